using System.Data.Common;
using System.Data;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data.Sqlite;

/// <summary>
/// The application's SQLite connection, one physical connection kept open by <see cref="SqlitePool"/> with its prepared
/// statements. Three things set it apart from a plain <see cref="SqliteConnection"/>:
/// <list type="bullet">
/// <item>Prepared statements live as long as the physical connection. Dapper creates a command per call, and
/// Microsoft.Data.Sqlite prepares a command's SQL again each time (and finalises it at every pooled close): measured,
/// preparation was about half of a point read. Commands created through <see cref="DbConnection.CreateCommand"/>
/// (Dapper's way) run on a statement kept per SQL text.</item>
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

    public PracticeSqliteConnection(string connectionString, SqlitePool pool,
        bool checkStatements) : base(connectionString)
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

    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel,
        CancellationToken cancellationToken)
    {
        if (_group is not null) throw new InvalidOperationException(
            "SqliteConnection does not support nested transactions.");
        return _group = await _pool.Group.BeginAsync(this);
    }

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
    {
        if (_group is not null) throw new InvalidOperationException(
            "SqliteConnection does not support nested transactions.");
        return _group = _pool.Group.BeginAsync(this).GetAwaiter().GetResult();
    }

    public override SqliteTransaction BeginTransaction(IsolationLevel isolationLevel, bool deferred) =>
        IsWriter
            ? _transaction = base.BeginTransaction(isolationLevel, deferred)
            : throw new NotSupportedException(
                "Application connections take their transactions from the write group: use BeginTransactionAsync.");

    internal void GroupEnded(GroupTransaction group)
    {
        if (ReferenceEquals(_group, group)) _group = null;
    }

    /// <summary>
    /// Runs a transaction-control statement (SAVEPOINT, RELEASE, ROLLBACK TO) in the writer's open transaction, on a
    /// kept statement: two of them frame every write transaction.
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
    /// The writer only, between groups (<see cref="SqliteWriteGroup.RunAloneAsync{T}"/>): runs work (Dapper on the
    /// writer, with its kept statements and the storage fault seam) in a transaction of its own with another database
    /// file attached as <c>attached</c>. The transaction is DEFERRED, so it locks only what it writes; committed when
    /// work returns, rolled back when it throws; the file is detached either way.
    /// </summary>
    internal T InTransactionWithAttached<T>(string file, Func<DbConnection, T> work)
    {
        if (!IsWriter
            || _transaction is not null) throw new InvalidOperationException(
                "Only the writer, between groups, attaches a file.");
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
    /// An INSERT, UPDATE or DELETE, also after a WITH clause (what the write group and the storage fault seam treat as
    /// a write).
    /// </summary>
    internal static bool IsWrite(string sql)
    {
        var text = sql.TrimStart();
        return text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("UPDATE",
            StringComparison.OrdinalIgnoreCase) ||
               text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) ||
               (text.StartsWith("WITH", StringComparison.OrdinalIgnoreCase) && WriteAfterWith().IsMatch(text));
    }

    // The statement a WITH clause leads to follows the closing parenthesis of its last common table expression.
    [System.Text.RegularExpressions.GeneratedRegex(@"\)\s*(INSERT|UPDATE|DELETE)\b",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
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
            throw new InvalidOperationException($"This SQL still holds a dialect marker (such as /*LIMIT*/): run it through a unit of work (Db.BeginReadAsync / BeginWriteAsync), which rewrites it with SqlDialect.Sql. {sql}");
        }

        if (!SqlCatalogue.IsKnownSqlite(sql)) throw new UnknownStatementException(sql);
    }

    private void CheckWrite(string sql)
    {
        if (_checkStatements) StorageFaults.CheckWrite(this, sql);
    }

    /// <summary>A step that changes the file other than a statement (savepoints, commits): the storage fault seam may
    /// fail it.</summary>
    internal void FaultPoint()
    {
        if (_checkStatements) StorageFaults.Step(this);
    }
}
