using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// Opens short-lived connections to the configured database, one per operation. SQLite connections come from this
/// process's <see cref="SqlitePool"/> (open, with their prepared statements); SQL Server's from SqlClient's pool.
/// </summary>
public sealed class Db : IDisposable
{
    private readonly DatabaseOptions _options;
    private readonly SqlitePool? _sqlite;

    public Db(DatabaseOptions options)
    {
        _options = options;
        Dialect = SqlDialect.For(options.Provider);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // In WAL mode, NORMAL syncs at checkpoints instead of at every commit: a commit survives an application crash
            // (the WAL is in the OS's hands), and only an OS crash or power loss can roll back the last commits.
            // busy_timeout: SQLite waits for another process's write lock in small steps itself.
            _sqlite = new SqlitePool(options.ConnectionString, options.CheckStatements,
                $"PRAGMA synchronous = {options.SqliteSynchronous}; PRAGMA busy_timeout = 10000;");
        }

        DapperTypeHandlers.Register();
    }

    public SqlDialect Dialect { get; }

    public DatabaseProvider Provider => _options.Provider;

    /// <summary>Rewrites a query for this database's dialect (cached per query text).</summary>
    public string Sql(string text) => Dialect.Sql(text);

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        if (_sqlite is not null) return _sqlite.Rent();
        var connection = new SqlConnection(_options.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public void Dispose() => _sqlite?.Dispose();
}
