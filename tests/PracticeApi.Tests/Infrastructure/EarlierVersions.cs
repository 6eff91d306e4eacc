using Microsoft.Extensions.Logging.Abstractions;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Data.Sqlite;

namespace PracticeApi.Tests.Infrastructure;

/// <summary>A SQLite database as an earlier version of the application left it, for the tests of a migration that
/// converts one.</summary>
internal static class EarlierVersions
{
    /// <summary>The database of <paramref name="file"/>, as the application opens it.</summary>
    public static Db SqliteDb(string file) => new(new DatabaseOptions(DatabaseProvider.Sqlite,
        SqliteConnectionStrings.Normalise($"Data Source={file}", "/"), true));

    public static MigrationRunner Runner(Db db) => new(db, TimeProvider.System, NullLogger<MigrationRunner>.Instance);

    /// <summary>Applies the SQLite migrations up to and including <paramref name="version"/>, and no later one.</summary>
    public static Task MigrateThroughAsync(this MigrationRunner runner, int version) => runner.MigrateAsync(
        MigrationRunner.Embedded(DatabaseProvider.Sqlite).Where(m => m.Version <= version).ToList(),
        CancellationToken.None);
}
