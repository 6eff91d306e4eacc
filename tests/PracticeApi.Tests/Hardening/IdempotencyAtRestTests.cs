using System.Net.Http.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Hardening;

/// <summary>Stored idempotent responses: encrypted at rest, replayed with their headers, and never stuck after a
/// crash.</summary>
public sealed class IdempotencyAtRestTests(WebhookApi api) : IClassFixture<WebhookApi>
{
    // Tables that own these values: tokens keep only their hash, the subscription its secret, the screening its notes.
    private static readonly HashSet<string> Owners = new(
        StringComparer.OrdinalIgnoreCase) { "WebhookSubscriptions", "SafetyScreenings" };

    [Fact]
    public async Task No_token_webhook_secret_or_screening_text_rests_in_plain_text_outside_its_own_table()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var token = await Keyed(admin, "/api/v1/tokens", new { kind = "integration", name = "EHR",
            scopes = new[] { "clients:read" } });
        var hook = await Keyed(admin, "/api/v1/webhooks", new { url = "http://127.0.0.1:9/hook",
            events = new[] { "client.created" } });
        const string notes = "Partner described threats at home last week";
        await Keyed(admin, $"/api/v1/couples/{c.CoupleId}/safety-screenings", new { clientId = c.A,
            abuseOrDanger = true, untreatedAddiction = false, notes });

        var secrets = new[] { token.GetProperty("token").GetString()!, hook.GetProperty("secret").GetString()!, notes };
        await using var connection = new SqliteConnection($"Data Source={api.File}");
        var tables = (await connection.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")).ToList();
        Assert.Contains("IdempotencyKeys", tables);
        foreach (var table in tables.Where(t => !Owners.Contains(t)))
        {
            foreach (IDictionary<string, object?> row in await connection.QueryAsync($"SELECT * FROM \"{table}\""))
            {
                foreach (var value in row.Values.OfType<string>())
                {
                    foreach (var secret in secrets) Assert.False(value.Contains(secret, StringComparison.Ordinal),
                        $"{table} holds '{secret[..6]}…' in plain text");
                }
            }
        }

        Assert.True(await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM IdempotencyKeys WHERE ResponseBody IS NOT NULL") >= 3);
    }

    [Fact]
    public async Task A_replay_answers_with_the_first_status_body_location_and_etag()
    {
        var practice = await api.NewPracticeAsync();
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Request() => new(HttpMethod.Post, "/api/v1/clients")
        {
            Content = JsonContent.Create(new { firstName = "Eva", lastName = "Bakker" }),
            Headers = { { "Idempotency-Key", key } },
        };
        var first = await practice.Admin.SendAsync(Request());
        var body = await first.ReadJsonAsync(201);
        var replay = await practice.Admin.SendAsync(Request());
        Assert.Equal(body.GetRawText(), (await replay.ReadJsonAsync(201)).GetRawText());
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.NotNull(first.Headers.ETag);
        Assert.Equal(first.Headers.ETag, replay.Headers.ETag);
    }

    [Fact]
    public async Task A_key_left_running_by_a_crash_is_taken_over_once_its_lease_runs_out()
    {
        var practice = await api.NewPracticeAsync();
        var key = Guid.NewGuid().ToString();
        var me = await (await practice.Admin.GetAsync("/api/v1/me")).ReadJsonAsync(200);
        var tokenId = me.GetProperty("tokenId").GetGuid();
        var now = api.Clock.GetUtcNow().UtcDateTime;
        await using (var connection = new SqliteConnection($"Data Source={api.File}"))
        {
            // What an instance killed mid-request leaves behind.
            await connection.ExecuteAsync("""
                INSERT INTO IdempotencyKeys (PracticeId, TokenId, IdempotencyKey, RequestHash, State, CreatedAt,
                    ExpiresAt, LeaseUntil)
                VALUES (@PracticeId, @TokenId, @Key, 'x', 'running', @Now, @Expires, @Lease)
                """, new
            {
                PracticeId = practice.PracticeId, TokenId = tokenId, Key = key,
                Now = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'"), Expires = now.AddHours(24)
                    .ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'"),
                Lease = now.AddSeconds(30).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'"),
            });
        }

        HttpRequestMessage Request() => new(HttpMethod.Post, "/api/v1/clients")
        {
            Content = JsonContent.Create(new { firstName = "Lotte", lastName = "Visser" }),
            Headers = { { "Idempotency-Key", key } },
        };
        await (await practice.Admin.SendAsync(Request())).AssertProblemAsync(409, "idempotency-key-in-use");

        api.Clock.Advance(TimeSpan.FromSeconds(61));
        var retried = await practice.Admin.SendAsync(Request());
        await retried.ReadJsonAsync(201);
        var replay = await practice.Admin.SendAsync(Request());
        Assert.Equal(retried.Headers.Location, replay.Headers.Location);
    }

    private static async Task<System.Text.Json.JsonElement> Keyed(HttpClient client, string url, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post,
            url) { Content = JsonContent.Create(body), Headers = { { "Idempotency-Key", Guid.NewGuid().ToString() } } };
        return await (await client.SendAsync(request)).ReadJsonAsync(201);
    }

    [Fact]
    public async Task A_replay_rechecks_that_the_caller_may_still_see_the_resource_and_is_audited_as_a_read()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var (couple, a, _) = await practice.Admin.CreateCoupleWithClientsAsync(new[] { therapist.Id });
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Request() => new(HttpMethod.Post, $"/api/v1/couples/{couple}/safety-screenings")
        {
            Content = JsonContent.Create(new { clientId = a, abuseOrDanger = true, untreatedAddiction = false,
                notes = "Frightened at home" }),
            Headers = { { "Idempotency-Key", key } },
        };
        await (await therapist.Client.SendAsync(Request())).ReadJsonAsync(201);

        var replay = await therapist.Client.SendAsync(Request());
        await replay.ReadJsonAsync(201);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        var reads = await practice.AuditEventsAsync($"clientId={a}");
        Assert.Contains(reads, e => e.GetProperty("action").GetString() == "read" && e.GetProperty("actorId")
            .GetGuid() == therapist.Id);

        // Taken off partner A's care team: the couple, and so the screening, is out of reach.
        var other = await practice.AddTherapistAsync();
        await (await practice.Admin.PutAsJsonAsync($"/api/v1/clients/{a}/care-team",
            new { therapistIds = new[] { other.Id } })).ReadJsonAsync(200);
        var denied = await therapist.Client.SendAsync(Request());
        var problem = await denied.AssertProblemAsync(404, "not-found");
        Assert.DoesNotContain("Frightened", problem.GetRawText());
        Assert.False(denied.Headers.Contains("Idempotent-Replayed"));
        var audited = await practice.AuditEventsAsync($"actorId={therapist.Id}");
        Assert.Contains(audited, e => e.GetProperty("outcome").GetString() == "denied" && e.GetProperty("resourceId")
            .GetGuid() == couple);
    }
}
