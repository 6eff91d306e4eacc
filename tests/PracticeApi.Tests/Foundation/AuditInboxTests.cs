using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Foundation;

/// <summary>
/// SQLite commits a read's audit event to the audit inbox (a database file of its own beside the main one) before the
/// read is answered, and moves the inbox into the trail in bulk: every audit query shows every read already answered,
/// each event exactly once, whoever moved it.
/// </summary>
public sealed class AuditInboxTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task A_read_is_committed_before_it_is_answered_and_the_trail_shows_it_once_with_its_client()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();

        await (await practice.Admin.GetAsync($"/api/v1/clients/{client}")).ReadJsonAsync(200);
        // Committed before the answer: in the inbox, or already moved into the trail, and nowhere twice.
        Assert.Equal(1, await CountReadsAsync(client));

        var reads = (await practice.AuditEventsAsync($"clientId={client}")).Where(e => e.GetProperty("action")
            .GetString() == "read").ToList();
        var read = Assert.Single(reads);
        Assert.Equal(client, Assert.Single(read.GetProperty("clientIds").EnumerateArray()).GetGuid());
        await using var inbox = OpenInbox(api.File);
        Assert.Equal(0, await inbox.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditInbox WHERE ResourceId = @Id",
            new { Id = Key(client) }));
        Assert.Equal(1, await CountReadsAsync(client));
    }

    [Fact]
    public async Task A_list_page_audits_each_client_it_showed_and_the_clients_access_log_shows_it()
    {
        var practice = await api.NewPracticeAsync();
        var first = await practice.Admin.CreateClientIdAsync();
        var second = await practice.Admin.CreateClientIdAsync();
        var third = await practice.Admin.CreateClientIdAsync();

        await (await practice.Admin.GetAsync("/api/v1/clients?limit=50")).ReadJsonAsync(200);

        foreach (var client in new[] { first, second, third })
        {
            var lists = (await practice.AuditEventsAsync($"clientId={client}"))
                .Where(e => e.GetProperty("action").GetString() == "read" && e.GetProperty("resourceId")
                .ValueKind == JsonValueKind.Null).ToList();
            var list = Assert.Single(lists);
            Assert.Equal(new[] { first, second, third }.Order(), list.GetProperty("clientIds").EnumerateArray()
                .Select(c => c.GetGuid()).Order());
        }
    }

    [Fact]
    public async Task Reads_answered_while_the_trail_is_queried_and_written_are_each_in_the_trail_exactly_once()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();

        // Reads and audit queries (each moves the inbox, on the main file's writer between write groups) at once, with
        // writes in groups around them: no read may be missed by a move or moved twice, and every write lands.
        var reads = Enumerable.Range(0,
            120).Select(async _ => await (await practice.Admin.GetAsync($"/api/v1/clients/{client}"))
            .ReadJsonAsync(200));
        var queries = Enumerable.Range(0, 12).Select(_ => practice.AuditEventsAsync($"clientId={client}"));
        var writes = Enumerable.Range(0, 24).Select(_ => practice.Admin.CreateClientIdAsync()).ToList();
        await Task.WhenAll(reads.Cast<Task>().Concat(queries).Concat(writes));
        var listed = (await (await practice.Admin.GetAsync("/api/v1/clients?limit=100")).ReadJsonAsync(200)).Ids();
        Assert.All(writes, w => Assert.Contains(w.Result, listed));

        var trail = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await practice.Admin.GetAsync($"/api/v1/audit-events?clientId={client}&limit=100{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync(200);
            trail.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(120, trail.Count(e => e.GetProperty("action").GetString() == "read" && e.GetProperty("resourceId")
            .ValueKind != JsonValueKind.Null));
        Assert.Equal(trail.Count, trail.Select(e => e.GetProperty("id").GetGuid()).Distinct().Count());
        await using var check = Open();
        Assert.Equal(120,
            await check.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM AuditEventClients c JOIN AuditEvents e ON e.Id = c.AuditEventId " +
            "WHERE c.ClientId = @Id AND e.Action = 'read' AND e.ResourceId = @Id", new { Id = Key(client) }));
    }

    [Fact]
    public async Task Events_a_stopped_process_left_in_the_inbox_are_moved_by_the_next_audit_query_exactly_once()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        var leftOver = Guid.CreateVersion7();
        await LeaveReadAsync(api.File, leftOver, practice, client, api.Clock.GetUtcNow().UtcDateTime);

        for (var i = 0; i < 2; i++)
        {
            var events = await practice.AuditEventsAsync($"clientId={client}");
            Assert.Single(events, e => e.GetProperty("id").GetGuid() == leftOver);
        }

        await using var check = OpenInbox(api.File);
        Assert.Equal(0, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditInbox WHERE Id = @Id",
            new { Id = Key(leftOver) }));
    }

    [Fact]
    public async Task An_event_already_in_the_trail_and_still_in_the_inbox_is_kept_once()
    {
        // A process stopped after the trail's commit and before the inbox's delete: the event is in both files.
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        await (await practice.Admin.GetAsync($"/api/v1/clients/{client}")).ReadJsonAsync(200);
        await practice.AuditEventsAsync($"clientId={client}"); // moved into the trail
        var read = Guid.CreateVersion7();
        var at = api.Clock.GetUtcNow().UtcDateTime;
        await LeaveReadAsync(api.File, read, practice, client, at, inTrail: true);
        await LeaveReadAsync(api.File, read, practice, client, at);

        var events = await practice.AuditEventsAsync($"clientId={client}");
        Assert.Single(events, e => e.GetProperty("id").GetGuid() == read);
        await using var check = Open();
        Assert.Equal(1, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditEvents WHERE Id = @Id",
            new { Id = Key(read) }));
        Assert.Equal(1,
            await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditEventClients WHERE AuditEventId = @Id",
            new { Id = Key(read) }));
        await using var left = OpenInbox(api.File);
        Assert.Equal(0, await left.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditInbox WHERE Id = @Id",
            new { Id = Key(read) }));
    }

    [Fact]
    public async Task What_a_stopped_process_left_in_the_inbox_is_moved_when_the_next_one_starts()
    {
        using var database = new SharedDatabaseFile("audit-inbox-restart");
        PracticeContext practice;
        Guid client;
        await using (var first = new SqliteFileApi(database.Path))
        {
            practice = await first.NewPracticeAsync();
            client = await practice.Admin.CreateClientIdAsync();
        }

        var leftOver = Guid.CreateVersion7();
        await using (var old = OpenInbox(database.Path))
        {
            // The inbox as versions before its migrations made it (in code, without AUTOINCREMENT, no journal), holding
            // a read a stopped process left: the next start migrates it, keeping the read, and moves it.
            await old.ExecuteAsync("""
                DROP TABLE SchemaMigrations; DROP TABLE AuditInbox;
                CREATE TABLE AuditInbox (Seq INTEGER PRIMARY KEY, Id BLOB NOT NULL, PracticeId BLOB NULL,
                    OccurredAt TEXT NOT NULL,
                    ActorKind TEXT NOT NULL, ActorId BLOB NULL, TokenId BLOB NULL, Action TEXT NOT NULL,
                        ResourceType TEXT NOT NULL,
                    ResourceId BLOB NULL, Outcome TEXT NOT NULL, SourceIp TEXT NULL, RequestId TEXT NULL,
                        Detail TEXT NULL, ClientIds BLOB NULL);
                """);
        }

        await LeaveReadAsync(database.Path, leftOver, practice, client, DateTime.UtcNow);

        await using var next = new SqliteFileApi(database.Path);
        _ = next.Services; // started: no request, no audit query
        await using var inbox = OpenInbox(database.Path);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await inbox.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditInbox") > 0
            && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(0, await inbox.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditInbox"));
        Assert.Contains("AUTOINCREMENT",
            await inbox.ExecuteScalarAsync<string>("SELECT sql FROM sqlite_master WHERE name = 'AuditInbox'"));
        await using var check = new SqliteConnection($"Data Source={database.Path};Pooling=False");
        Assert.Equal(1, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditEvents WHERE Id = @Id",
            new { Id = Key(leftOver) }));
        Assert.Equal(1,
            await check.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM AuditEventClients WHERE AuditEventId = @Id AND ClientId = @Client",
            new { Id = Key(leftOver), Client = Key(client) }));
    }

    private static byte[] Key(Guid id) => id.ToByteArray(bigEndian: true);

    /// <summary>
    /// A read of a client as a stopped process leaves it: committed to the inbox beside the database, or (inTrail)
    /// appended to the audit trail with its client row.
    /// </summary>
    private static async Task LeaveReadAsync(string file, Guid id, PracticeContext practice, Guid client, DateTime at,
        bool inTrail = false)
    {
        const string Columns = "Id, PracticeId, OccurredAt, ActorKind, ActorId, Action, ResourceType, ResourceId, Outcome, ClientIds";
        const string Values = "VALUES (@Id, @PracticeId, @At, 'user', @ActorId, 'read', 'client', @ClientId, 'success', @ClientId)";
        var values = new
        {
            Id = Key(id), PracticeId = Key(practice.PracticeId), At = DapperTypeHandlers.ToText(at), ActorId = Key(
                practice.AdminId), ClientId = Key(client),
        };
        await using var connection = inTrail
            ? new SqliteConnection($"Data Source={file};Pooling=False") : OpenInbox(file);
        await connection.ExecuteAsync(
            $"INSERT INTO {(inTrail ? "AuditEvents" : "AuditInbox")} ({Columns}) {Values}", values);
        if (inTrail)
        {
            await connection.ExecuteAsync(
                "INSERT INTO AuditEventClients (AuditEventId, PracticeId, ClientId, OccurredAt) VALUES (@Id, @PracticeId, @ClientId, @At)", values);
        }
    }

    private SqliteConnection Open() => new($"Data Source={api.File};Pooling=False");

    private static SqliteConnection OpenInbox(string file) =>
        new($"Data Source={file}{Db.AuditInboxSuffix};Pooling=False");

    private async Task<long> CountReadsAsync(Guid client)
    {
        // The inbox first, then the trail: an event the importer moves in between is seen in the trail, never missed;
        // one seen in both (appended, not yet deleted) is the same event, counted once by its id.
        const string Reads = "SELECT Id FROM {0} WHERE ResourceId = @Id AND Action = 'read'";
        var id = Key(client);
        await using var inbox = OpenInbox(api.File);
        var inInbox = await inbox.QueryAsync<byte[]>(string.Format(System.Globalization.CultureInfo.InvariantCulture,
            Reads, "AuditInbox"), new { Id = id });
        await using var connection = Open();
        var inTrail = await connection.QueryAsync<byte[]>(string.Format(
            System.Globalization.CultureInfo.InvariantCulture, Reads, "AuditEvents"), new { Id = id });
        return inInbox.Concat(inTrail).Select(Convert.ToHexString).Distinct().LongCount();
    }
}

/// <summary>Two hosts (two audit logs, each with its own importer) on one SQLite file: no read's audit event is
/// lost.</summary>
public sealed class AuditInboxTwoHostsTests
{
    [Fact]
    public async Task Two_hosts_reading_and_moving_the_inbox_at_once_lose_no_read_audit()
    {
        using var database = new SharedDatabaseFile("inbox-two-hosts");
        await using var first = new RestartableWebhookApi(database.Path, dispatcher: false);
        await using var second = new RestartableWebhookApi(database.Path, dispatcher: false);
        var practice = await first.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        var readers = new[] { practice.Admin, second.ClientWith(practice.AdminToken) };

        // Small bursts of reads from both hosts while both move the inbox (each audit query moves it first): the inbox
        // keeps emptying, so a move that deletes by position after another emptied it would take rows it never copied.
        const int rounds = 60;
        var reads = 0;
        for (var round = 0; round < rounds; round++)
        {
            var burst = Enumerable.Range(0, 6).Select(async i =>
            {
                var answer = await readers[i % 2].GetAsync($"/api/v1/clients/{client}");
                answer.EnsureSuccessStatusCode();
            });
            var moves = readers.Select(r => r.GetAsync($"/api/v1/audit-events?resourceType=nothing&limit=1"));
            await Task.WhenAll(burst.Concat<Task>(moves));
            reads += 6;
        }

        var events = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await practice.Admin.GetAsync($"/api/v1/audit-events?clientId={client}&limit=200{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync(200);
            events.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String
                ? next.GetString() : null;
        } while (cursor is not null);

        var clientReads = events.Count(e => e.GetProperty("action").GetString() == "read"
            && e.GetProperty("resourceType").GetString() == "client");
        Assert.Equal(reads, clientReads);
    }
}
