using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// The application's SQLite connection, one physical connection kept open by <see cref="SqlitePool"/> with its prepared
/// statements. Three things set it apart from a plain <see cref="SqliteConnection"/>:
/// <list type="bullet">
/// <item>Prepared statements live as long as the physical connection. Dapper creates a command per call, and
/// Microsoft.Data.Sqlite prepares a command's SQL again each time (and finalises it at every pooled close): measured,
/// preparation was about half of a point read. Commands created through <see cref="DbConnection.CreateCommand"/> (Dapper's
/// way) run on a statement kept per SQL text.</item>
/// <item>Write transactions are group-committed (<see cref="SqliteWriteGroup"/>): they run one after the other on the
/// pool's single writer connection, each inside a savepoint of one SQLite transaction that commits when no writer is
/// waiting, and each caller's commit returns only once that transaction has committed.</item>
/// <item>With <c>checkStatements</c> (the test suite), any command whose text is not in <see cref="SqlCatalogue"/> is
/// refused, so the suite fails when a store sends SQL that the static SQL Server check has not bound; the
/// <see cref="StorageFaults"/> seam acts through it too.</item>
/// </list>
/// </summary>
internal sealed partial class PracticeSqliteConnection : SqliteConnection
{
    // Distinct statement texts kept per connection; Dapper's list expansion makes one text per list length.
    private const int MaxStatements = 256;

    private readonly SqlitePool _pool;
    private readonly bool _checkStatements;
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteStatement> _kept = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;
    private GroupTransaction? _group;
    private bool _leased;

    public PracticeSqliteConnection(string connectionString, SqlitePool pool, bool checkStatements) : base(connectionString)
    {
        _pool = pool;
        _checkStatements = checkStatements;
    }

    internal long Epoch { get; init; }

    /// <summary>The pool's writer: its transactions are the groups' outer transactions.</summary>
    internal bool IsWriter { get; init; }

    public override void Open()
    {
        base.Open();
        Leased();
    }

    /// <summary>Handed to a caller (again): the storage fault seam judges every lease as an open.</summary>
    internal void Leased()
    {
        _leased = true;
        if (_checkStatements) StorageFaults.Opened(this);
    }

    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken)
    {
        if (_group is not null) throw new InvalidOperationException("SqliteConnection does not support nested transactions.");
        return _group = await _pool.Group.BeginAsync(this);
    }

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
    {
        if (_group is not null) throw new InvalidOperationException("SqliteConnection does not support nested transactions.");
        return _group = _pool.Group.BeginAsync(this).GetAwaiter().GetResult();
    }

    public override SqliteTransaction BeginTransaction(IsolationLevel isolationLevel, bool deferred) =>
        IsWriter
            ? _transaction = base.BeginTransaction(isolationLevel, deferred)
            : throw new NotSupportedException("Application connections take their transactions from the write group: use BeginTransactionAsync.");

    internal void GroupEnded(GroupTransaction group)
    {
        if (ReferenceEquals(_group, group)) _group = null;
    }

    /// <summary>
    /// Runs a transaction-control statement (SAVEPOINT, RELEASE, ROLLBACK TO) in the writer's open transaction, on a kept
    /// statement: two of them frame every write transaction.
    /// </summary>
    internal void Run(string sql)
    {
        FaultPoint();
        var statement = TakeStatement(sql);
        try
        {
            statement.Transaction = _transaction;
            statement.ExecuteNonQuery();
        }
        finally
        {
            ReturnStatement(sql, statement);
        }
    }

    internal void OuterEnded() => _transaction = null;

    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string Attach = "ATTACH DATABASE @File AS attached";

    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string Detach = "DETACH DATABASE attached";

    /// <summary>
    /// The writer only, between groups (<see cref="SqliteWriteGroup.RunAloneAsync{T}"/>): runs work (Dapper on the writer,
    /// with its kept statements and the storage fault seam) in a transaction of its own with another database file attached
    /// as <c>attached</c>. The transaction is DEFERRED, so it locks only what it writes; committed when work returns,
    /// rolled back when it throws; the file is detached either way.
    /// </summary>
    internal T InTransactionWithAttached<T>(string file, Func<DbConnection, T> work)
    {
        if (!IsWriter || _transaction is not null) throw new InvalidOperationException("Only the writer, between groups, attaches a file.");
        using (var attach = CreateCommand())
        {
            attach.CommandText = Attach;
            attach.Parameters.AddWithValue("@File", file);
            attach.ExecuteNonQuery();
        }

        try
        {
            T result;
            using (var transaction = BeginTransaction(IsolationLevel.Serializable, deferred: true))
            {
                // Commands on the writer without a transaction of their own run in this one (KeptStatementCommand).
                result = work(this);
                transaction.Commit();
            }

            return result;
        }
        finally
        {
            _transaction = null;
            Run(Detach);
        }
    }

    /// <summary>Back to the pool, open, with its statements: a transaction left open is rolled back first.</summary>
    public override void Close()
    {
        if (!_leased) return;
        _leased = false;
        _group?.Dispose();
        _group = null;
        _pool.Return(this);
    }

    /// <summary>
    /// An INSERT, UPDATE or DELETE, also after a WITH clause (what the write group and the storage fault seam treat as a
    /// write).
    /// </summary>
    internal static bool IsWrite(string sql)
    {
        var text = sql.TrimStart();
        return text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) ||
               text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) ||
               (text.StartsWith("WITH", StringComparison.OrdinalIgnoreCase) && WriteAfterWith().IsMatch(text));
    }

    // The statement a WITH clause leads to follows the closing parenthesis of its last common table expression.
    [System.Text.RegularExpressions.GeneratedRegex(@"\)\s*(INSERT|UPDATE|DELETE)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex WriteAfterWith();

    internal void CloseForGood()
    {
        _leased = false;
        _transaction = null;
        foreach (var statement in _statements.Values) statement.Dispose();
        _statements.Clear();
        foreach (var statement in _kept.Values) statement.Dispose();
        _kept.Clear();
        base.Close();
    }

    // Microsoft.Data.Sqlite's own commands (BEGIN, COMMIT, ROLLBACK) come through here.
    public override SqliteCommand CreateCommand() =>
        new TrackedCommand(this) { Connection = this, CommandTimeout = DefaultTimeout, Transaction = _transaction };

    // Dapper's and the stores' commands come through here.
    protected override DbCommand CreateDbCommand() => new KeptStatementCommand(this);

    private void Check(string? sql)
    {
        if (!_checkStatements || string.IsNullOrEmpty(sql)) return;
        if (SqlDialect.HasMarker(sql))
        {
            throw new InvalidOperationException($"This SQL still holds a dialect marker (such as /*LIMIT*/): pass it through db.Sql() first. {sql}");
        }

        if (!SqlCatalogue.IsKnownSqlite(sql)) throw new UnknownStatementException(sql);
    }

    private void CheckWrite(string sql)
    {
        if (_checkStatements) StorageFaults.CheckWrite(this, sql);
    }

    /// <summary>A step that changes the file other than a statement (savepoints, commits): the storage fault seam may fail it.</summary>
    internal void FaultPoint()
    {
        if (_checkStatements) StorageFaults.Step(this);
    }

    /// <summary>
    /// A read kept prepared on this connection and run through SQLite's own API (<see cref="SqliteStatement"/>): for a hot
    /// read mapped by hand, outside the write group, or on the writer inside its transaction for a read a write needs.
    /// </summary>
    internal SqliteStatement Query(string sql, string[] parameterNames) =>
        _kept.TryGetValue(sql, out var kept) ? kept
        : IsWrite(sql) ? throw new InvalidOperationException("A kept query reads: writes go through the write group.")
        : Kept(sql, parameterNames);

    /// <summary>
    /// A write kept prepared on the writer, to run in the transaction open on it (a write group's, or its own attached one)
    /// through SQLite's own API: for the inserts repeated most (<see cref="RepeatedCommand"/>). The storage fault seam
    /// judges it here, as it judges a command at each execution (a connection's state does not change within a transaction).
    /// </summary>
    internal SqliteStatement Write(string sql, string[] parameterNames)
    {
        if (!IsWriter || _transaction is null) throw new InvalidOperationException("Writes run on the writer, in its transaction.");
        CheckWrite(sql);
        return Kept(sql, parameterNames);
    }

    private SqliteStatement Kept(string sql, string[] parameterNames)
    {
        if (_kept.TryGetValue(sql, out var kept)) return kept;
        Check(sql);
        return _kept[sql] = new SqliteStatement(Handle!, sql, parameterNames);
    }

    /// <summary>The kept statement for this text, taken out of the cache while a command uses it.</summary>
    internal SqliteCommand TakeStatement(string sql)
    {
        if (_statements.Remove(sql, out var kept)) return kept;
        return new SqliteCommand(sql, this);
    }

    internal void ReturnStatement(string sql, SqliteCommand statement)
    {
        if (State != ConnectionState.Open || _statements.Count >= MaxStatements || !_statements.TryAdd(sql, statement)) statement.Dispose();
    }

    /// <summary>A command for Microsoft.Data.Sqlite's own use (BEGIN, COMMIT, ROLLBACK) and the writer's savepoints.</summary>
    private sealed class TrackedCommand(PracticeSqliteConnection owner) : SqliteCommand
    {
        [AllowNull]
        public override string CommandText
        {
            get => base.CommandText;
            set
            {
                owner.Check(value);
                base.CommandText = value;
            }
        }
    }

    /// <summary>
    /// A command that runs on the connection's kept statement for its SQL text: parameters are collected here and bound to
    /// that statement at execution; the statement goes back to the connection when this command is disposed.
    /// </summary>
    private sealed class KeptStatementCommand(PracticeSqliteConnection owner) : DbCommand
    {
        private readonly SqliteCommand _parameters = new();
        private string _text = "";
        private SqliteCommand? _statement;
        private PracticeSqliteConnection? _statementOwner;
        private string? _statementText;
        private DbDataReader? _reader;

        [AllowNull]
        public override string CommandText
        {
            get => _text;
            set
            {
                owner.Check(value);
                _text = value ?? "";
            }
        }

        public override int CommandTimeout { get; set; } = owner.DefaultTimeout;

        public override CommandType CommandType { get; set; } = CommandType.Text;

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection
        {
            get => owner;
            set
            {
                if (value is not null && !ReferenceEquals(value, owner)) throw new InvalidOperationException("A kept-statement command stays on its connection.");
            }
        }

        protected override DbParameterCollection DbParameterCollection => _parameters.Parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel()
        {
        }

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => new SqliteParameter();

        // In a write-group transaction the statement runs on the writer, inside the group's transaction.
        private SqliteCommand Bound()
        {
            Release();
            var (connection, transaction) = DbTransaction switch
            {
                GroupTransaction group when ReferenceEquals(group.Connection, owner) => (group.Writer, group.Outer),
                // As SqlClient does: a command on a connection with a transaction open must run in it (a read would not see
                // the transaction's own writes, a write would not be part of it).
                null when owner._group is not null => throw new InvalidOperationException(
                    "This connection has a transaction open, and the command was given none: pass the transaction to the command " +
                    "(Dapper: new CommandDefinition(sql, args, tx)). A read without it would not see the transaction's writes."),
                // On the writer, only its own transaction can be open here (InTransactionWithAttached): callers never lease it.
                null => (owner, owner._transaction),
                _ => throw new InvalidOperationException("The transaction belongs to another connection: run the command on the connection that began it."),
            };
            connection.CheckWrite(_text);
            var statement = connection.TakeStatement(_text);
            _statement = statement;
            _statementOwner = connection;
            _statementText = _text;
            statement.Transaction = transaction;
            statement.CommandTimeout = CommandTimeout;
            statement.Parameters.Clear();
            foreach (SqliteParameter parameter in _parameters.Parameters)
            {
                // Dapper names a parameter without its prefix ("Id" for @Id); Microsoft.Data.Sqlite then looks the name up
                // four times at every execution ("Id", "@Id", "$Id", ":Id"). The application's SQL names its parameters @.
                if (parameter.ParameterName is [not ('@' or '$' or ':'), ..] name) parameter.ParameterName = Prefixed.GetOrAdd(name, n => "@" + n);
                statement.Parameters.Add(parameter);
            }

            return statement;
        }

        private static readonly ConcurrentDictionary<string, string> Prefixed = new(StringComparer.Ordinal);

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => _reader = Bound().ExecuteReader(behavior);

        public override int ExecuteNonQuery() => Bound().ExecuteNonQuery();

        // A write outside a transaction joins the write group as a transaction of its own: run on another connection it
        // would wait for SQLite's lock (held by the group) in the busy handler's sleeps.
        public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
        {
            // With a transaction open on this connection, a write without it is a slip: ExecuteNonQuery refuses it by name.
            if (DbTransaction is not null || owner._group is not null || owner.IsWriter || !IsWrite(_text)) return ExecuteNonQuery();
            await using var transaction = await owner.BeginTransactionAsync(cancellationToken);
            DbTransaction = transaction;
            try
            {
                var changed = ExecuteNonQuery();
                Release();
                await transaction.CommitAsync(cancellationToken);
                return changed;
            }
            finally
            {
                DbTransaction = null;
            }
        }

        public override object? ExecuteScalar() => Bound().ExecuteScalar();

        private void Release()
        {
            _reader?.Dispose();
            _reader = null;
            if (_statement is null) return;
            _statement.Parameters.Clear();
            _statementOwner!.ReturnStatement(_statementText!, _statement);
            _statement = null;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Release();
                _parameters.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>
/// This process's open SQLite connections to one database file, each with its prepared statements, and the write gate
/// of that file. Connections return here instead of closing; <see cref="Clear"/> (after a storage error, or at shutdown)
/// closes the idle ones and retires the ones in use when they come back.
/// </summary>
internal sealed class SqlitePool : IDisposable
{
    private const int MaxIdle = 64;

    private static readonly ConcurrentDictionary<SqlitePool, byte> Live = new();

    private readonly string _connectionString;
    private readonly bool _checkStatements;
    private readonly string? _onOpen;
    private readonly ConcurrentBag<PracticeSqliteConnection> _idle = [];
    private long _epoch;

    public SqlitePool(string connectionString, bool checkStatements, string? onOpen)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        _connectionString = builder.ToString();
        _checkStatements = checkStatements;
        _onOpen = onOpen;
        Group = new SqliteWriteGroup(this);
        Live.TryAdd(this, 0);
    }

    public SqliteWriteGroup Group { get; }

    /// <summary>The group's writer: a connection of its own, never handed to callers.</summary>
    internal PracticeSqliteConnection OpenWriter() => Open(writer: true);

    public DbConnection Rent()
    {
        while (_idle.TryTake(out var idle))
        {
            if (idle.Epoch == Interlocked.Read(ref _epoch) && idle.State == ConnectionState.Open)
            {
                idle.Leased();
                return idle;
            }

            idle.CloseForGood();
        }

        return Open(writer: false);
    }

    private PracticeSqliteConnection Open(bool writer)
    {
        var connection = new PracticeSqliteConnection(_connectionString, this, _checkStatements) { Epoch = Interlocked.Read(ref _epoch), IsWriter = writer };
        try
        {
            connection.Open();
            // Plans no longer depend on parameter values. Without this, SQLite prepares a statement with LIKE @pattern
            // again at every execution that binds the pattern (to try its LIKE-prefix index optimisation, which none of
            // the application's LIKEs can use): measured, the client list and every change's webhook-subscriber lookup
            // were prepared anew on each call.
            SQLitePCL.raw.sqlite3_db_config(connection.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_ENABLE_QPSG, 1, out _);
            if (_onOpen is not null)
            {
                using var command = connection.CreateCommand();
                command.CommandText = _onOpen;
                command.ExecuteNonQuery();
            }
        }
        catch
        {
            connection.CloseForGood();
            connection.Dispose();
            throw;
        }

        return connection;
    }

    public void Return(PracticeSqliteConnection connection)
    {
        if (connection.Epoch != Interlocked.Read(ref _epoch) || _idle.Count >= MaxIdle) connection.CloseForGood();
        else _idle.Add(connection);
    }

    public void Clear()
    {
        Interlocked.Increment(ref _epoch);
        Group.ResetWriter();
        while (_idle.TryTake(out var idle)) idle.CloseForGood();
    }

    /// <summary>Every pool of this process (after a storage error: connections opened while storage failed do not outlive it).</summary>
    public static void ClearAll()
    {
        foreach (var pool in Live.Keys) pool.Clear();
    }

    public void Dispose()
    {
        Live.TryRemove(this, out _);
        Clear();
        Group.CloseWriter();
    }
}

/// <summary>
/// Group commit for SQLite writes. A write transaction takes the group's gate, runs on the pool's one writer connection inside
/// a savepoint of the group's SQLite transaction, and on commit releases its savepoint and hands the gate on. Whoever holds the
/// gate when nobody is waiting (or when the group is full) commits the SQLite transaction for every member; each member's
/// commit returns only after that, so nothing is acknowledged before it is durable in the database, and a failed group
/// commit fails every member (nothing half-written: the whole SQLite transaction rolls back). A member's rollback undoes
/// only its savepoint. Why: a commit writes every page its transaction touched to the WAL; one commit for many requests
/// writes the shared pages (table ends, index pages) once. Waiting for the gate never gives up: every holder ends in a
/// commit or a rollback (a connection closed with an open transaction rolls it back).
/// </summary>
internal sealed class SqliteWriteGroup(SqlitePool pool)
{
    private const int MaxMembers = 256;
    private const string Savepoint = "SAVEPOINT member";
    private const string Release = "RELEASE member";
    private const string RollbackTo = "ROLLBACK TO member";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _waiting;
    private PracticeSqliteConnection? _writer;
    private SqliteTransaction? _outer;
    private TaskCompletionSource? _committed;
    private int _members;
    private bool _resetWriter;

    /// <summary>Asked by <see cref="SqlitePool.Clear"/>: the writer is replaced before the next group.</summary>
    public void ResetWriter() => _resetWriter = true;

    /// <summary>At shutdown: closes the writer unless a group is still open (then the process is ending anyway).</summary>
    public void CloseWriter()
    {
        if (!_gate.Wait(TimeSpan.Zero)) return;
        try
        {
            if (_outer is not null) return;
            _writer?.CloseForGood();
            _writer = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    // Takes the gate, counted as waiting meanwhile (a member commits its group only when nobody waits).
    private async Task EnterAsync()
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _gate.WaitAsync().ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    // With the gate held and no transaction open: the writer, replaced first when the pool was cleared, leased again.
    private PracticeSqliteConnection ReadyWriter()
    {
        if (_resetWriter && _writer is not null)
        {
            _writer.CloseForGood();
            _writer = null;
        }

        _resetWriter = false;
        _writer ??= pool.OpenWriter();
        _writer.Leased();
        return _writer;
    }

    /// <summary>
    /// Runs work on the writer with the gate held and no group open (a group already open commits first, as it would when
    /// nobody waits): for a transaction that needs the writer to itself, such as one that attaches another file (a
    /// group's BEGIN IMMEDIATE would take the write lock of every attached file).
    /// </summary>
    public async Task<T> RunAloneAsync<T>(Func<PracticeSqliteConnection, T> work)
    {
        await EnterAsync().ConfigureAwait(false);
        try
        {
            if (_outer is not null) CommitGroup();
            return work(ReadyWriter());
        }
        catch (Exception e)
        {
            Fail(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<GroupTransaction> BeginAsync(PracticeSqliteConnection requester)
    {
        await EnterAsync().ConfigureAwait(false);
        try
        {
            if (_outer is null)
            {
                _outer = ReadyWriter().BeginTransaction(IsolationLevel.Serializable, deferred: false);
                _committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _members = 0;
            }

            _writer!.Run(Savepoint);
            _members++;
            return new GroupTransaction(this, requester, _writer, _outer, _committed!);
        }
        catch (Exception e)
        {
            Fail(e);
            _gate.Release();
            throw;
        }
    }

    internal async Task CommitAsync(GroupTransaction member)
    {
        try
        {
            member.Writer.Run(Release);
            if (Volatile.Read(ref _waiting) == 0 || _members >= MaxMembers) CommitGroup();
        }
        catch (Exception e)
        {
            Fail(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }

        await member.Committed.Task.ConfigureAwait(false);
    }

    internal void Rollback(GroupTransaction member)
    {
        try
        {
            member.Writer.Run(RollbackTo);
            member.Writer.Run(Release);
            // Members before this one may be waiting for the group's commit.
            if (Volatile.Read(ref _waiting) == 0 || _members >= MaxMembers) CommitGroup();
        }
        catch (Exception e)
        {
            Fail(e);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void CommitGroup()
    {
        var committed = _committed!;
        _writer!.FaultPoint();
        _outer!.Commit();
        _writer!.OuterEnded();
        _outer = null;
        _committed = null;
        committed.TrySetResult();
    }

    // The SQLite transaction is lost or cannot commit: every member of the group fails, and the writer is replaced.
    private void Fail(Exception e)
    {
        try
        {
            _outer?.Dispose();
        }
        catch (SqliteException)
        {
        }

        _outer = null;
        _committed?.TrySetException(e);
        _committed = null;
        _writer?.CloseForGood();
        _writer = null;
    }
}

/// <summary>A caller's transaction in a write group (see <see cref="SqliteWriteGroup"/>).</summary>
internal sealed class GroupTransaction(
    SqliteWriteGroup group, PracticeSqliteConnection requester, PracticeSqliteConnection writer, SqliteTransaction outer, TaskCompletionSource committed)
    : DbTransaction
{
    private bool _completed;

    public PracticeSqliteConnection Writer { get; } = writer;

    public SqliteTransaction Outer { get; } = outer;

    public TaskCompletionSource Committed { get; } = committed;

    public override IsolationLevel IsolationLevel => IsolationLevel.Serializable;

    protected override DbConnection DbConnection => requester;

    public override async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        Complete();
        await group.CommitAsync(this).ConfigureAwait(false);
    }

    public override void Commit() => CommitAsync().GetAwaiter().GetResult();

    public override void Rollback()
    {
        Complete();
        group.Rollback(this);
    }

    /// <summary>
    /// Undoes this transaction's savepoint and returns once the rest of its group has committed (or failed): what the caller
    /// reads next, on any connection, includes what the group's other members wrote before it.
    /// </summary>
    public override async Task RollbackAsync(CancellationToken cancellationToken = default)
    {
        Rollback();
        try
        {
            await Committed.Task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The group failed; this member had rolled back anyway.
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_completed) Rollback();
        requester.GroupEnded(this);
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_completed) await RollbackAsync().ConfigureAwait(false);
        requester.GroupEnded(this);
        GC.SuppressFinalize(this);
    }

    private void Complete()
    {
        if (_completed) throw new InvalidOperationException("This transaction has completed; it is no longer usable.");
        _completed = true;
        requester.GroupEnded(this);
    }
}

/// <summary>A command text that is not one of the application's SQL constants (see <see cref="SqlCatalogue"/>).</summary>
public sealed class UnknownStatementException(string sql)
    : InvalidOperationException($"SQL that is not in the statement catalogue (declare it as a const string of its store): {sql}");
