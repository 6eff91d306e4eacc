using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Tests.Infrastructure;
using PracticeApi.Infrastructure.Data.Sqlite;

namespace PracticeApi.Tests.Foundation;

public sealed class HostTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    /// <summary>
    /// Settings files are read once: a watched content root would watch the database folder beneath it too (data/ by
    /// default), and every write to the database or its WAL would wake a file-watching thread.
    /// </summary>
    [Fact]
    public void Settings_files_are_read_at_start_and_not_watched()
    {
        var configuration = (IConfigurationRoot)api.Services.GetRequiredService<IConfiguration>();
        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.Contains(files, f => f.Source.Path == "appsettings.json");
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, $"{f.Source.Path} is watched"));
    }

    /// <summary>The API runs with workstation GC: on two cores server GC's per-core heaps cost more CPU per request and
    /// more memory.</summary>
    [Fact]
    public void The_api_runs_with_workstation_gc()
    {
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory,
            "PracticeApi.runtimeconfig.json")))!;
        Assert.False(config["runtimeOptions"]!["configProperties"]!["System.GC.Server"]!.GetValue<bool>());
    }

    /// <summary>
    /// Every SQLite connection plans a statement once, whatever its parameters: otherwise a statement with LIKE
    /// @pattern (the client list's name search, every change's webhook-subscriber lookup) is prepared again at every
    /// execution. And it keeps its statement journal in memory: each write transaction is a savepoint of its group,
    /// whose copies of the pages it changes would otherwise spill to a temporary file.
    /// </summary>
    [Fact]
    public async Task Sqlite_connections_keep_their_plans_whatever_the_parameters_and_their_statement_journals_in_memory()
    {
        var db = api.Services.GetRequiredService<Db>();
        foreach (var open in new Func<Task<System.Data.Common.DbConnection>>[] { () => db.OpenAsync(
            CancellationToken.None), () => Task.FromResult(db.OpenAuditInbox()) })
        {
            await using var connection = (SqliteConnection)await open();
            SQLitePCL.raw.sqlite3_db_config(connection.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_ENABLE_QPSG, -1,
                out var enabled);
            Assert.Equal(1, enabled);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA temp_store";
            Assert.Equal(2L, await command.ExecuteScalarAsync()); // MEMORY
        }
    }

    /// <summary>
    /// The write group and the storage fault seam know a write by its text: a statement that writes after a WITH clause
    /// is a write too, and no query is.
    /// </summary>
    [Fact]
    public void Every_sqlite_statement_that_writes_is_known_as_a_write()
    {
        var statements = SqlCatalogue.All.Where(s => s.RunsOn(DatabaseProvider.Sqlite)).ToList();
        var withWrites = statements.Where(s => s.Text.TrimStart().StartsWith("WITH",
            StringComparison.OrdinalIgnoreCase) &&
            System.Text.RegularExpressions.Regex.IsMatch(s.Text,
                @"\b(INSERT\s+(OR\s+\w+\s+)?INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET)\b",
                System.Text.RegularExpressions.RegexOptions.IgnoreCase)).ToList();
        Assert.True(PracticeSqliteConnection.IsWrite(
            "WITH Moved (Id) AS (SELECT Id FROM A) INSERT OR IGNORE INTO B (Id) SELECT Id FROM Moved"));
        Assert.All(withWrites, s => Assert.True(PracticeSqliteConnection.IsWrite(s.Text),
            $"{s.Owner}.{s.Name} is not known as a write"));
        Assert.All(statements.Where(s => s.Text.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) ||
                (s.Text.TrimStart().StartsWith("WITH", StringComparison.OrdinalIgnoreCase) && !withWrites.Contains(s))),
            s => Assert.False(PracticeSqliteConnection.IsWrite(s.Text), $"{s.Owner}.{s.Name} is taken for a write"));
    }
}
