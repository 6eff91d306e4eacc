using PracticeApi.Infrastructure.Data.Sqlite;
namespace PracticeApi.Infrastructure.Data;

public enum DatabaseProvider { Sqlite, SqlServer }

public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString, bool MigrateOnStartup,
    string SqliteSynchronous = "NORMAL", bool CheckStatements = false)
{
    public static DatabaseOptions From(IConfiguration configuration, string contentRoot)
    {
        var providerText = configuration["Database:Provider"] ?? nameof(DatabaseProvider.Sqlite);
        if (!Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var provider))
        {
            throw new InvalidOperationException(
                $"Database:Provider '{providerText}' is not supported; use 'Sqlite' or 'SqlServer'.");
        }

        var connectionString = configuration.GetConnectionString("Practice");
        if (provider == DatabaseProvider.Sqlite)
        {
            connectionString = SqliteConnectionStrings.Normalise(connectionString, contentRoot);
        }
        else if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("ConnectionStrings:Practice is required for the SqlServer provider.");
        }

        // Embedded SQLite migrates itself by default; a shared SQL Server is migrated on purpose.
        var migrate = configuration.GetValue<bool?>("Database:MigrateOnStartup") ?? provider == DatabaseProvider.Sqlite;
        var synchronous = (configuration["Database:SqliteSynchronous"] ?? "NORMAL").ToUpperInvariant();
        if (synchronous is not ("NORMAL" or "FULL" or "EXTRA"))
        {
            throw new InvalidOperationException("Database:SqliteSynchronous must be NORMAL, FULL or EXTRA.");
        }

        // Refuse SQL that is not one of the stores' constants (on in the test suite; see SqlCatalogue).
        var check = configuration.GetValue("Database:CheckStatements", false);
        return new DatabaseOptions(provider, connectionString!, migrate, synchronous, check);
    }
}
