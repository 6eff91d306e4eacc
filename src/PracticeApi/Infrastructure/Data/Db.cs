using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data;

/// <summary>Opens short-lived connections to the configured database. One per operation.</summary>
public sealed class Db
{
    private readonly DatabaseOptions _options;

    // In WAL mode, NORMAL syncs at checkpoints instead of at every commit: a commit survives an application crash
    // (the WAL is in the OS's hands), and only an OS crash or power loss can roll back the last commits.
    private readonly string? _synchronous;

    public Db(DatabaseOptions options)
    {
        _options = options;
        Dialect = SqlDialect.For(options.Provider);
        // busy_timeout: SQLite waits for the write lock in small steps itself, instead of the driver retrying every 150 ms.
        _synchronous = options.Provider == DatabaseProvider.Sqlite ? $"PRAGMA synchronous = {options.SqliteSynchronous}; PRAGMA busy_timeout = 10000;" : null;
        DapperTypeHandlers.Register();
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> ConfiguredHandles = new();
    private static readonly object Configured = new();

    public SqlDialect Dialect { get; }

    public DatabaseProvider Provider => _options.Provider;

    /// <summary>Rewrites a query for this database's dialect (cached per query text).</summary>
    public string Sql(string text) => Dialect.Sql(text);

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection connection = _options.Provider == DatabaseProvider.SqlServer
            ? new SqlConnection(_options.ConnectionString)
            : _options.CheckStatements ? new CheckedSqliteConnection(_options.ConnectionString) : new SqliteConnection(_options.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            // Pooled connections keep their settings: configure each physical SQLite connection once.
            if (_synchronous is not null && connection is SqliteConnection sqlite && ConfiguredHandles.TryAdd(sqlite.Handle!, Configured))
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = _synchronous;
                await pragma.ExecuteNonQueryAsync(ct);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
