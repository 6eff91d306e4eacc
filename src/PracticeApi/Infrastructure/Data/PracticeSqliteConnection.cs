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
/// <item>Write transactions of this process queue for one in-process gate per database file before SQLite's own lock: a
/// transaction that finds the database busy would otherwise sleep in SQLite's busy handler (1, 2, 5, 10... ms steps) while
/// the writer ahead of it needed a fraction of a millisecond. The gate is released the moment COMMIT or ROLLBACK has run.
/// Other processes on the same file still meet SQLite's lock and busy timeout.</item>
/// <item>With <c>checkStatements</c> (the test suite), any command whose text is not in <see cref="SqlCatalogue"/> is
/// refused, so the suite fails when a store sends SQL that the static SQL Server check has not bound; the
/// <see cref="StorageFaults"/> seam acts through it too.</item>
/// </list>
/// </summary>
internal sealed class PracticeSqliteConnection : SqliteConnection
{
    // Distinct statement texts kept per connection; Dapper's list expansion makes one text per list length.
    private const int MaxStatements = 256;

    private readonly SqlitePool _pool;
    private readonly bool _checkStatements;
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;
    private bool _holdsGate;
    private bool _leased;

    public PracticeSqliteConnection(string connectionString, SqlitePool pool, bool checkStatements) : base(connectionString)
    {
        _pool = pool;
        _checkStatements = checkStatements;
    }

    internal long Epoch { get; init; }

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
        if (!_holdsGate)
        {
            await _pool.Gate.EnterAsync(cancellationToken);
            _holdsGate = true;
        }

        return BeginTransaction(isolationLevel);
    }

    public override SqliteTransaction BeginTransaction(IsolationLevel isolationLevel, bool deferred)
    {
        if (!_holdsGate)
        {
            _pool.Gate.Enter();
            _holdsGate = true;
        }

        try
        {
            return _transaction = base.BeginTransaction(isolationLevel, deferred);
        }
        catch
        {
            TransactionEnded();
            throw;
        }
    }

    /// <summary>Back to the pool, open, with its statements: a transaction left open is rolled back first.</summary>
    public override void Close()
    {
        if (!_leased) return;
        _leased = false;
        try
        {
            _transaction?.Dispose();
        }
        catch (SqliteException)
        {
            CloseForGood();
            return;
        }
        finally
        {
            TransactionEnded();
        }

        _pool.Return(this);
    }

    internal void CloseForGood()
    {
        _leased = false;
        TransactionEnded();
        foreach (var statement in _statements.Values) statement.Dispose();
        _statements.Clear();
        base.Close();
    }

    // Microsoft.Data.Sqlite's own commands (BEGIN, COMMIT, ROLLBACK) come through here.
    public override SqliteCommand CreateCommand() =>
        new TrackedCommand(this) { Connection = this, CommandTimeout = DefaultTimeout, Transaction = _transaction };

    // Dapper's and the stores' commands come through here.
    protected override DbCommand CreateDbCommand() => new KeptStatementCommand(this);

    private void TransactionEnded()
    {
        _transaction = null;
        if (!_holdsGate) return;
        _holdsGate = false;
        _pool.Gate.Leave();
    }

    private void Check(string? sql)
    {
        if (!_checkStatements || string.IsNullOrEmpty(sql)) return;
        if (!SqlCatalogue.IsKnownSqlite(sql)) throw new UnknownStatementException(sql);
        StorageFaults.CheckWrite(this, sql);
    }

    /// <summary>The kept statement for this text, taken out of the cache while a command uses it.</summary>
    private SqliteCommand TakeStatement(string sql)
    {
        if (_statements.Remove(sql, out var kept)) return kept;
        return new SqliteCommand(sql, this);
    }

    private void ReturnStatement(string sql, SqliteCommand statement)
    {
        if (State != ConnectionState.Open || _statements.Count >= MaxStatements || !_statements.TryAdd(sql, statement)) statement.Dispose();
    }

    /// <summary>A command for Microsoft.Data.Sqlite's own use: notices the end of a transaction.</summary>
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

        public override int ExecuteNonQuery()
        {
            var result = base.ExecuteNonQuery();
            if (owner._transaction is not null && EndsTransaction(CommandText)) owner.TransactionEnded();
            return result;
        }

        private static bool EndsTransaction(string sql) =>
            sql.StartsWith("COMMIT", StringComparison.OrdinalIgnoreCase) || sql.StartsWith("ROLLBACK;", StringComparison.OrdinalIgnoreCase);
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

        private SqliteCommand Bound()
        {
            Release();
            var statement = owner.TakeStatement(_text);
            _statement = statement;
            _statementText = _text;
            statement.Transaction = (SqliteTransaction?)DbTransaction;
            statement.CommandTimeout = CommandTimeout;
            statement.Parameters.Clear();
            foreach (SqliteParameter parameter in _parameters.Parameters) statement.Parameters.Add(parameter);
            return statement;
        }

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => _reader = Bound().ExecuteReader(behavior);

        public override int ExecuteNonQuery() => Bound().ExecuteNonQuery();

        public override object? ExecuteScalar() => Bound().ExecuteScalar();

        private void Release()
        {
            _reader?.Dispose();
            _reader = null;
            if (_statement is null) return;
            _statement.Parameters.Clear();
            owner.ReturnStatement(_statementText!, _statement);
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
        Gate = SqliteWriteGate.For(builder.DataSource);
        Live.TryAdd(this, 0);
    }

    public SqliteWriteGate Gate { get; }

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

        var connection = new PracticeSqliteConnection(_connectionString, this, _checkStatements) { Epoch = Interlocked.Read(ref _epoch) };
        try
        {
            connection.Open();
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
    }
}

/// <summary>One queue per database file for this process's SQLite write transactions (see <see cref="PracticeSqliteConnection"/>).</summary>
internal sealed class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SqliteWriteGate> Gates = new(StringComparer.Ordinal);

    // As long as SQLite's own busy timeout: past it, the answer is the same "database is locked" (a 503 with Retry-After).
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public static SqliteWriteGate For(string dataSource) =>
        Gates.GetOrAdd(dataSource.StartsWith(':') ? dataSource : Path.GetFullPath(dataSource), _ => new SqliteWriteGate());

    public async Task EnterAsync(CancellationToken ct)
    {
        if (!await _semaphore.WaitAsync(Timeout, ct)) throw Locked();
    }

    public void Enter()
    {
        if (!_semaphore.Wait(Timeout)) throw Locked();
    }

    public void Leave() => _semaphore.Release();

    private static SqliteException Locked() => new("database is locked (waited for this process's other writers)", 5);
}

/// <summary>A command text that is not one of the application's SQL constants (see <see cref="SqlCatalogue"/>).</summary>
public sealed class UnknownStatementException(string sql)
    : InvalidOperationException($"SQL that is not in the statement catalogue (declare it as a const string of its store): {sql}");
