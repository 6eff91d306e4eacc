using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// One database transaction for a whole request, so that something written after the handler (the idempotency record
/// with the response it guards) commits with every change the handler made, or nothing does. While a unit is current
/// (<see cref="Begin"/>), <see cref="Db.OpenAsync"/> hands out views of one physical connection: the first write (or the
/// first transaction a store begins) opens the unit's transaction, every store transaction inside it is a savepoint
/// (its commit releases it, its rollback undoes only its own work), and every command after that runs in the unit's
/// transaction, reads included, so they see the request's own writes. Only <see cref="CommitAsync"/> commits.
/// On SQLite the unit's transaction is a member of the write group, holding the write gate until the request ends.
/// </summary>
public sealed class RequestUnitOfWork : IAsyncDisposable
{
    private static readonly AsyncLocal<RequestUnitOfWork?> Ambient = new();

    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string SavepointSql = "SAVEPOINT unit_member";

    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string ReleaseSql = "RELEASE unit_member";

    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string RollbackToSql = "ROLLBACK TO unit_member";

    private const string SqlServerSavepoint = "unit_member";

    private readonly Db _db;
    private readonly List<Func<Task>> _afterCommit = [];
    private DbConnection? _inner;
    private DbTransaction? _transaction;
    private bool _ended;

    private RequestUnitOfWork(Db db) => _db = db;

    /// <summary>The unit of the request running on this call path, if any (and still open).</summary>
    public static RequestUnitOfWork? Current => Ambient.Value is { _ended: false } unit ? unit : null;

    /// <summary>Starts a unit for the rest of this call path; dispose it to leave (rolling back unless committed).</summary>
    public static RequestUnitOfWork Begin(Db db)
    {
        if (Current is not null) throw new InvalidOperationException("A request unit of work is already open on this call path.");
        var unit = new RequestUnitOfWork(db);
        Ambient.Value = unit;
        return unit;
    }

    /// <summary>Whether the unit's transaction is open (on SQLite: it holds the write gate).</summary>
    public bool HoldsWrite => _transaction is not null;

    /// <summary>Runs once the unit has committed (work that must not wait for, or run inside, the write gate).</summary>
    public void AfterCommit(Func<Task> action) => _afterCommit.Add(action);

    internal async Task<DbConnection> ConnectionAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        _inner ??= await _db.OpenPhysicalAsync(ct);
        return new UnitConnection(this, _inner);
    }

    internal async Task<DbTransaction> TransactionAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        _inner ??= await _db.OpenPhysicalAsync(ct);
        return _transaction ??= await _inner.BeginTransactionAsync(ct);
    }

    internal async Task SavepointAsync(CancellationToken ct)
    {
        var transaction = await TransactionAsync(ct);
        if (transaction is SqlTransaction sql) sql.Save(SqlServerSavepoint);
        else await RunAsync(transaction, SavepointSql, ct);
    }

    internal async Task ReleaseAsync(CancellationToken ct)
    {
        if (_transaction is null or SqlTransaction) return; // SQL Server savepoints need no release
        await RunAsync(_transaction, ReleaseSql, ct);
    }

    internal async Task RollbackToSavepointAsync(CancellationToken ct)
    {
        if (_transaction is null) return;
        if (_transaction is SqlTransaction sql)
        {
            sql.Rollback(SqlServerSavepoint);
            return;
        }

        await RunAsync(_transaction, RollbackToSql, ct);
        await RunAsync(_transaction, ReleaseSql, ct);
    }

    private async Task RunAsync(DbTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = _inner!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Runs <paramref name="last"/> in the unit's transaction (opening it if the request wrote nothing), commits, and then
    /// runs the after-commit work. Nothing the request wrote is visible to anyone before this.
    /// </summary>
    public async Task CommitAsync(Func<DbConnection, DbTransaction, Task> last, CancellationToken ct)
    {
        var transaction = await TransactionAsync(ct);
        try
        {
            await last(new UnitConnection(this, _inner!), transaction);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            await EndAsync();
        }

        foreach (var action in _afterCommit) await action();
    }

    /// <summary>Undoes everything the request wrote.</summary>
    public async Task RollbackAsync()
    {
        if (_ended) return;
        try
        {
            if (_transaction is not null) await _transaction.RollbackAsync();
        }
        finally
        {
            await EndAsync();
        }
    }

    private async Task EndAsync()
    {
        _ended = true;
        if (_transaction is not null) await _transaction.DisposeAsync();
        _transaction = null;
        if (_inner is not null) await _inner.DisposeAsync();
        _inner = null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RollbackAsync();
        }
        finally
        {
            if (ReferenceEquals(Ambient.Value, this)) Ambient.Value = null;
        }
    }

    /// <summary>
    /// A store's view of the unit's connection: closing or disposing it leaves the physical connection open, a transaction
    /// begun on it is a savepoint of the unit's, and its commands run in the unit's transaction once that is open.
    /// </summary>
    private sealed class UnitConnection(RequestUnitOfWork unit, DbConnection inner) : DbConnection
    {
        public RequestUnitOfWork Unit { get; } = unit;

        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string ConnectionString
        {
            get => inner.ConnectionString;
            set => throw new NotSupportedException("A unit of work's connection is not configured by its users.");
        }

        public override string Database => inner.Database;

        public override string DataSource => inner.DataSource;

        public override string ServerVersion => inner.ServerVersion;

        public override ConnectionState State => Unit._ended ? ConnectionState.Closed : ConnectionState.Open;

        public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();

        public override void Open()
        {
        }

        public override Task OpenAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Close()
        {
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        protected override void Dispose(bool disposing)
        {
        }

        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
            BeginDbTransactionAsync(isolationLevel, CancellationToken.None).AsTask().GetAwaiter().GetResult();

        protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken)
        {
            await Unit.SavepointAsync(cancellationToken);
            return new UnitTransaction(this);
        }

        protected override DbCommand CreateDbCommand() => new UnitCommand(this, inner.CreateCommand());
    }

    /// <summary>A store's transaction inside the unit: a savepoint.</summary>
    private sealed class UnitTransaction(UnitConnection connection) : DbTransaction
    {
        private bool _completed;

        public override IsolationLevel IsolationLevel => connection.Unit._transaction?.IsolationLevel ?? IsolationLevel.Unspecified;

        protected override DbConnection DbConnection => connection;

        public override void Commit() => CommitAsync().GetAwaiter().GetResult();

        public override async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            Complete();
            await connection.Unit.ReleaseAsync(cancellationToken);
        }

        public override void Rollback() => RollbackAsync().GetAwaiter().GetResult();

        public override async Task RollbackAsync(CancellationToken cancellationToken = default)
        {
            Complete();
            await connection.Unit.RollbackToSavepointAsync(cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_completed && !connection.Unit._ended) Rollback();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            if (!_completed && !connection.Unit._ended) await RollbackAsync();
            GC.SuppressFinalize(this);
        }

        private void Complete()
        {
            if (_completed) throw new InvalidOperationException("This transaction has completed; it is no longer usable.");
            _completed = true;
        }
    }

    /// <summary>
    /// A command on the unit's connection: it runs in the unit's transaction once that is open (a write opens it), whatever
    /// transaction its user passed, so a read after a write sees it and no write escapes the unit.
    /// </summary>
    private sealed class UnitCommand(UnitConnection connection, DbCommand inner) : DbCommand
    {
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string CommandText
        {
            get => inner.CommandText;
            set => inner.CommandText = value;
        }

        public override int CommandTimeout
        {
            get => inner.CommandTimeout;
            set => inner.CommandTimeout = value;
        }

        public override CommandType CommandType
        {
            get => inner.CommandType;
            set => inner.CommandType = value;
        }

        public override bool DesignTimeVisible
        {
            get => inner.DesignTimeVisible;
            set => inner.DesignTimeVisible = value;
        }

        public override UpdateRowSource UpdatedRowSource
        {
            get => inner.UpdatedRowSource;
            set => inner.UpdatedRowSource = value;
        }

        protected override DbConnection? DbConnection
        {
            get => connection;
            set
            {
                if (value is null || ReferenceEquals(value, connection) || (value is UnitConnection other && other.Unit == connection.Unit)) return;
                throw new InvalidOperationException("A command of a request's unit of work stays on the unit's connection.");
            }
        }

        protected override DbParameterCollection DbParameterCollection => inner.Parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel() => inner.Cancel();

        public override void Prepare() => inner.Prepare();

        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        private async Task EnlistAsync(CancellationToken ct)
        {
            var unit = connection.Unit;
            inner.Transaction = unit.HoldsWrite || PracticeSqliteConnection.IsWrite(inner.CommandText) ? await unit.TransactionAsync(ct) : null;
        }

        private void Enlist() => EnlistAsync(CancellationToken.None).GetAwaiter().GetResult();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            Enlist();
            return inner.ExecuteReader(behavior);
        }

        protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
        {
            await EnlistAsync(cancellationToken);
            return await inner.ExecuteReaderAsync(behavior, cancellationToken);
        }

        public override int ExecuteNonQuery()
        {
            Enlist();
            return inner.ExecuteNonQuery();
        }

        public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
        {
            await EnlistAsync(cancellationToken);
            return await inner.ExecuteNonQueryAsync(cancellationToken);
        }

        public override object? ExecuteScalar()
        {
            Enlist();
            return inner.ExecuteScalar();
        }

        public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
        {
            await EnlistAsync(cancellationToken);
            return await inner.ExecuteScalarAsync(cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
