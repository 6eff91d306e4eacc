using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// One database transaction for a whole request, so that something written after the handler (the idempotency record
/// with the response it guards) commits with every change the handler made, or nothing does. While a unit is current
/// (<see cref="Begin"/>), <see cref="Db.OpenAsync"/> hands out views of one physical connection: the first write (or
/// the first transaction a store begins) opens the unit's transaction, every store transaction inside it is a savepoint
/// (its commit releases it, its rollback undoes only its own work), and every command after that runs in the unit's
/// transaction, reads included, so they see the request's own writes. Only <see cref="CommitAsync"/> commits. On SQLite
/// the unit's transaction is a member of the write group, holding the write gate until the request ends.
/// </summary>
public sealed partial class RequestUnitOfWork : IAsyncDisposable
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

    /// <summary>Starts a unit for the rest of this call path; dispose it to leave (rolling back unless
    /// committed).</summary>
    public static RequestUnitOfWork Begin(Db db)
    {
        if (Current is not null) throw new InvalidOperationException(
            "A request unit of work is already open on this call path.");
        var unit = new RequestUnitOfWork(db);
        Ambient.Value = unit;
        return unit;
    }

    /// <summary>Whether the unit's transaction is open (on SQLite: it holds the write gate).</summary>
    public bool HoldsWrite => _transaction is not null;

    /// <summary>Runs once the unit has committed (work that must not wait for, or run inside, the write
    /// gate).</summary>
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
    /// Runs <paramref name="last"/> in the unit's transaction (opening it if the request wrote nothing), commits, and
    /// then runs the after-commit work. Nothing the request wrote is visible to anyone before this.
    /// </summary>
    public async Task CommitAsync(Func<DbWrite, Task> last, CancellationToken ct)
    {
        var transaction = await TransactionAsync(ct);
        try
        {
            await last(new DbWrite(new UnitConnection(this, _inner!), transaction, _db.Dialect, ct));
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
}
