using System.Data.Common;
using Dapper;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// A unit of work that reads, begun by <see cref="Db.BeginReadAsync"/> (and, as <see cref="DbWrite"/>, one that writes,
/// by <see cref="Db.BeginWriteAsync"/>): the only way a store runs SQL. Every command runs on the unit's connection, in
/// its transaction when there is one, with its text rewritten for the database's dialect (<see cref="SqlDialect"/>) and
/// the unit's cancellation token, so none of the three can be forgotten. Disposing the unit gives its connection back.
/// </summary>
public class DbSession : IAsyncDisposable
{
    private readonly SqlDialect _dialect;

    internal DbSession(DbConnection connection, DbTransaction? transaction, SqlDialect dialect, CancellationToken ct)
    {
        Connection = connection;
        Transaction = transaction;
        _dialect = dialect;
        Cancellation = ct;
    }

    internal DbConnection Connection { get; }

    internal DbTransaction? Transaction { get; }

    /// <summary>The token the work was started with.</summary>
    public CancellationToken Cancellation { get; }

    public DatabaseProvider Provider => _dialect.Provider;

    private protected CommandDefinition Command(string sql, object? param) =>
        new(_dialect.Sql(sql), EnumParameters.Refuse(param), Transaction, cancellationToken: Cancellation);

    public async Task<List<T>> QueryAsync<T>(string sql, object? param = null) =>
        (await Connection.QueryAsync<T>(Command(sql, param))).AsList();

    /// <summary>Rows mapped to two types each and combined (Dapper's multi-mapping, split at <paramref
    /// name="splitOn"/>).</summary>
    public async Task<List<TResult>> QueryAsync<TFirst, TSecond, TResult>(string sql, Func<TFirst, TSecond,
        TResult> map, object? param, string splitOn) =>
        (await Connection.QueryAsync(Command(sql, param), map, splitOn)).AsList();

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? param = null) =>
        Connection.QuerySingleOrDefaultAsync<T>(Command(sql, param));

    public Task<T> QuerySingleAsync<T>(string sql,
        object? param = null) => Connection.QuerySingleAsync<T>(Command(sql, param));

    public Task<T?> QueryFirstOrDefaultAsync<T>(string sql, object? param = null) =>
        Connection.QueryFirstOrDefaultAsync<T>(Command(sql, param));

    public Task<T?> ExecuteScalarAsync<T>(string sql,
        object? param = null) => Connection.ExecuteScalarAsync<T>(Command(sql, param));

    /// <summary>
    /// One statement to run many times with values bound by position (<see cref="RepeatedCommand"/>): batches of
    /// identical inserts, and reads mapped by hand.
    /// </summary>
    public RepeatedCommand Repeated(string sql, params string[] parameterNames) =>
        new(Connection, Transaction, _dialect.Sql(sql), parameterNames);

    public virtual async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// A unit of work that writes: a connection and its open transaction, begun by <see cref="Db.BeginWriteAsync"/>. What
/// it changes is kept only once <see cref="CommitAsync"/> has run; a unit disposed before that (the work answered a
/// failure or threw) is rolled back. Reads run in the transaction too, so they see the unit's own changes.
/// </summary>
public sealed class DbWrite : DbSession
{
    private readonly DbTransaction _transaction;

    internal DbWrite(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken ct)
        : base(connection, transaction, dialect, ct) =>
        _transaction = transaction;

    /// <summary>Keeps what the unit changed. Nothing runs in the unit after it.</summary>
    public Task CommitAsync() => _transaction.CommitAsync(Cancellation);

    public override async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>Runs a statement: the number of rows it changed.</summary>
    public Task<int> ExecuteAsync(string sql, object? param = null) => Connection.ExecuteAsync(Command(sql, param));

    /// <summary>
    /// Runs a write that a unique key guards (a claim, a once-per-day entry, an e-mail in use): false when the key
    /// already holds a row, whichever request, instance or round came first. The unit stays usable (the statement alone
    /// failed), so the caller answers its own conflict, or rolls the unit back by not committing it.
    /// </summary>
    public async Task<bool> ExecuteOnceAsync(string sql, object? param = null)
    {
        try
        {
            await ExecuteAsync(sql, param);
            return true;
        }
        catch (DbException e) when (DbErrors.IsUniqueViolation(e))
        {
            return false;
        }
    }
}
