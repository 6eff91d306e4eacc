using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PracticeApi.Features.Practices;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Examples;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Foundation;

/// <summary>
/// One form for every id in SQLite (<see cref="StoredIds"/>): V029 turns the text ids of a database made by an earlier
/// version into blobs, every one of them, and the API answers exactly as it did; whatever the application writes is in
/// that form too.
/// </summary>
public sealed partial class IdFormTests
{
    private static readonly string V029 = File.ReadAllText(RepoFiles.PathTo("db", "sqlite",
        "V029__one_form_for_every_id.sql"));

    // Text columns named for an id that hold something else, with the reason.
    private static readonly Dictionary<string, string> NotIds = new()
    {
        ["ErasureRequests.RequestedBy"] = "who asked for an erasure, and how, in the therapist's words",
        ["AuditEvents.RequestId"] = "the trace id of the request",
    };

    // The tables whose ids were blobs before V029 (V016): append-only, converted then.
    private static readonly string[] ConvertedByV016 = ["AuditEvents", "AuditEventClients"];

    /// <summary>The columns V029 converts, read from the file itself.</summary>
    private static HashSet<string> Converted() =>
        [.. Updates().Matches(V029).SelectMany(u => Sets().Matches(u.Groups["sets"].Value)
            .Select(s => $"{u.Groups["table"].Value}.{s.Groups["column"].Value}"))];

    [Fact]
    public async Task V029_converts_every_column_named_for_an_id_as_the_schema_before_it_declares_them()
    {
        using var file = new SharedDatabaseFile("ids");
        using (var db = EarlierVersions.SqliteDb(file.Path)) await EarlierVersions.Runner(db).MigrateThroughAsync(28);
        await using var connection = new SqliteConnection($"Data Source={file.Path};Pooling=False");
        var named = (await connection.QueryAsync<(string Table, string Column)>("""
            SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
            WHERE m.type = 'table' AND p.type = 'TEXT'
              AND (p.name = 'Id' OR p.name LIKE '%Id' OR p.name LIKE '%By' OR p.name = 'Requester')
            """)).Select(c => $"{c.Table}.{c.Column}")
            .Where(c => !NotIds.ContainsKey(c) && !ConvertedByV016.Contains(c.Split('.')[0])).ToHashSet();

        var converted = Converted();
        Assert.Empty(named.Except(converted));
        Assert.Empty(converted.Except(named));
        Assert.True(converted.Count > 200, $"{converted.Count} columns");
    }

    [Fact]
    public async Task A_database_with_text_ids_answers_as_before_once_V029_has_made_them_blobs_and_none_is_left()
    {
        await using var api = new SqliteApi();
        var demo = await api.Services.GetRequiredService<PracticeBootstrap>().CreateAsync("Praktijk Overgang",
            "Anouk de Wit", $"admin-{Guid.NewGuid():N}@demo.example", CancellationToken.None);
        var tokens = await api.Services.GetRequiredService<DemoPractice>().SeedAsync(demo, CancellationToken.None);
        var admin = api.ClientWith(tokens.Admin);
        string[] reads =
        [
            "/api/v1/clients", "/api/v1/couples", "/api/v1/sessions", "/api/v1/invoices", "/api/v1/alerts",
            "/api/v1/therapists", $"/api/v1/couples/{tokens.InfidelityCoupleId}/progress",
            $"/api/v1/couples/{tokens.AddictionCoupleId}/programs", $"/api/v1/clients/{DemoIds.Daan}/recovery-log",
            $"/fhir/Patient?_count=50", $"/fhir/QuestionnaireResponse?_count=50",
        ];

        async Task<List<string>> AnswersAsync()
        {
            var answers = new List<string>();
            foreach (var path in reads) answers.Add((await (await admin.GetAsync(path)).ReadJsonAsync(200)).ToString());
            return answers;
        }

        var before = await AnswersAsync();

        // The database as version 28 left it: every converted id back in its text form, V029 not yet applied.
        await using (var connection = new SqliteConnection($"Data Source={api.File};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync("PRAGMA defer_foreign_keys = ON; DROP TRIGGER TR_SessionNoteAddenda_NoUpdate;",
                transaction: tx);
            foreach (var table in Converted().GroupBy(c => c.Split('.')[0], c => c.Split('.')[1]))
            {
                await connection.ExecuteAsync($"UPDATE {table.Key} SET {string.Join(", ", table.Select(c =>
                    $"{c} = {AsText(c)}"))}", transaction: tx);
            }

            await connection.ExecuteAsync("""
                CREATE TRIGGER TR_SessionNoteAddenda_NoUpdate BEFORE UPDATE ON SessionNoteAddenda
                BEGIN SELECT RAISE(ABORT, 'note addenda are append-only'); END;
                DELETE FROM SchemaMigrations WHERE Version = 29;
                """, transaction: tx);
            await tx.CommitAsync();
            Assert.Equal("text", await connection.ExecuteScalarAsync<string>("SELECT typeof(Id) FROM Clients LIMIT 1"));
        }

        await api.Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);

        Assert.Equal(before, await AnswersAsync());
        await using var migrated = new SqliteConnection($"Data Source={api.File};Pooling=False");
        await migrated.OpenAsync();
        var converted = Converted();
        foreach (var (table, column) in await migrated.QueryAsync<(string, string)>("""
            SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%'
            """))
        {
            var forms = (await migrated.QueryAsync<(string Type, long Length)>(
                $"SELECT DISTINCT typeof({column}), length(CAST({column} AS BLOB)) FROM {table} WHERE {column} IS NOT NULL")).ToList();
            var place = $"{table}.{column}";
            if (converted.Contains(place)) Assert.All(forms, f => Assert.Equal(("blob", 16L), f));
            // No id left as text anywhere, and no blob id in a column V029 does not know.
            Assert.Equal(0, await migrated.ExecuteScalarAsync<long>(
                $"SELECT COUNT(*) FROM {table} WHERE typeof({column}) = 'text' AND length({column}) = 36 AND {column} GLOB '{GuidGlob}'"));
            if (forms.Contains(("blob", 16L)) && !ConvertedByV016.Contains(table)
                && place != "BulkExportFiles.ClientIds") Assert.Contains(place, converted);
        }
    }

    [Fact]
    public async Task A_value_that_is_not_an_id_stops_V029_before_anything_changes()
    {
        using var file = new SharedDatabaseFile("ids");
        using var db = EarlierVersions.SqliteDb(file.Path);
        var runner = EarlierVersions.Runner(db);
        await runner.MigrateThroughAsync(28);
        var practice = Guid.CreateVersion7().ToString().ToUpperInvariant();
        await using (var connection = new SqliteConnection($"Data Source={file.Path};Pooling=False;Foreign Keys=False"))
        {
            await connection.ExecuteAsync("""
                INSERT INTO Practices (Id, Name, CreatedAt) VALUES (@Practice, 'Praktijk', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO Clients (Id, PracticeId, FirstName, LastName, SearchName, PreferredLanguage, Status,
                    CreatedAt, UpdatedAt)
                VALUES ('not-an-id', @Practice, 'x', 'y', 'x y', 'nl', 'active', '2026-01-01T00:00:00.0000000Z',
                    '2026-01-01T00:00:00.0000000Z');
                """, new { Practice = practice });
        }

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => runner.MigrateAsync(CancellationToken.None));
        Assert.Contains("not a GUID", refused.ToString());
        await using var after = new SqliteConnection($"Data Source={file.Path};Pooling=False");
        Assert.Equal(28, await after.ExecuteScalarAsync<int>("SELECT MAX(Version) FROM SchemaMigrations"));
        Assert.Equal(("text", practice), await after.QuerySingleAsync<(string, string)>(
            "SELECT typeof(Id), Id FROM Practices"));
    }

    private const string GuidGlob =
        "[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]-*-*-*-*";

    // Microsoft.Data.Sqlite's text form of an id, as version 28 stored it.
    private static string AsText(string column) =>
        $"""
         CASE WHEN {column} IS NULL THEN NULL ELSE substr(hex({column}), 1, 8) || '-' || substr(hex({column}), 9, 4)
             || '-' || substr(hex({column}), 13, 4) || '-' || substr(hex({column}), 17, 4) || '-'
             || substr(hex({column}), 21) END
         """;

    [GeneratedRegex(@"UPDATE\s+(?<table>\w+)\s+SET\s+(?<sets>[^;]+);")]
    private static partial Regex Updates();

    [GeneratedRegex(@"(?<column>\w+)\s*=\s*unhex\(\k<column>, '-'\)")]
    private static partial Regex Sets();
}
