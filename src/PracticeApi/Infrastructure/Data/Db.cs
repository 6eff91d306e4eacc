using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data;

/// <summary>Opens short-lived connections to the configured database. One per operation.</summary>
public sealed class Db
{
    private readonly DatabaseOptions _options;

    public Db(DatabaseOptions options)
    {
        _options = options;
        Dialect = SqlDialect.For(options.Provider);
        DapperTypeHandlers.Register();
    }

    public SqlDialect Dialect { get; }

    public DatabaseProvider Provider => _options.Provider;

    /// <summary>Rewrites a query for this database's dialect (cached per query text).</summary>
    public string Sql(string text) => Dialect.Sql(text);

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection connection = _options.Provider == DatabaseProvider.SqlServer
            ? new SqlConnection(_options.ConnectionString)
            : new SqliteConnection(_options.ConnectionString);
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
}
