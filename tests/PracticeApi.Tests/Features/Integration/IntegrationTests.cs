using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Integration;

public abstract class IntegrationSuite(ApiFactory api)
{
    private const string EhrSystem = "https://ehr.example/patient";

    private static HttpRequestMessage Post(string url, object body, string key) =>
        new(HttpMethod.Post, url) { Content = JsonContent.Create(body), Headers = { { "Idempotency-Key", key } } };

    [SkippableFact]
    public async Task Upserting_a_client_by_identifier_creates_then_updates_without_a_duplicate()
    {
        var practice = await api.NewPracticeAsync();
        var ehr = await practice.IntegrationAsync("clients:read", "clients:write");
        var url = $"/api/v1/clients/by-identifier?system={Uri.EscapeDataString(EhrSystem)}&value=P-42";

        var created = await ehr.PutAsJsonAsync(url, new { firstName = "Anna", lastName = "Smit",
            careTeam = new[] { practice.AdminId } });
        var first = await created.ReadJsonAsync(201);
        Assert.Equal($"/api/v1/clients/{first.GetProperty("id").GetGuid()}", created.Headers.Location!.OriginalString);
        Assert.Equal("P-42", first.GetProperty("identifiers")[0].GetProperty("value").GetString());

        var updated = await (await ehr.PutAsJsonAsync(url, new { firstName = "Anna", lastName = "Smit-de Wit",
            phone = "+31 20 123 4567" })).ReadJsonAsync(200);
        Assert.Equal(first.GetProperty("id").GetGuid(), updated.GetProperty("id").GetGuid());
        Assert.Equal("Smit-de Wit", updated.GetProperty("lastName").GetString());
        Assert.Equal(2, updated.GetProperty("version").GetInt32());
        Assert.Single((await (await ehr.GetAsync("/api/v1/clients")).ReadJsonAsync(200)).Ids());

        await (await ehr.PutAsJsonAsync($"/api/v1/clients/by-identifier?system=nope&value=1", new { firstName = "A",
            lastName = "B" })).AssertProblemAsync(400, "validation");
        await (await ehr.SendAsync(Api.Put(url, new { firstName = "A", lastName = "B" }).WithIfMatch(1)))
            .AssertProblemAsync(412);
    }

    [SkippableFact]
    public async Task A_retried_upsert_with_its_idempotency_key_gets_the_first_answer_again()
    {
        var practice = await api.NewPracticeAsync();
        var url = $"/api/v1/clients/by-identifier?system={Uri.EscapeDataString(EhrSystem)}&value=P-77";
        HttpRequestMessage Upsert() => new(HttpMethod.Put, url)
        {
            Content = JsonContent.Create(new { firstName = "Timed",
                lastName = "Out" }), Headers = { { "Idempotency-Key", "upsert-P-77" } },
        };

        var first = await practice.Admin.SendAsync(Upsert());
        var retry = await practice.Admin.SendAsync(Upsert());
        Assert.Equal(201, (int)first.StatusCode);
        Assert.Equal(201, (int)retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(200, (int)(await practice.Admin.PutAsJsonAsync(url, new { firstName = "Timed", lastName = "Out" }))
            .StatusCode);
        Assert.Single((await (await practice.Admin.GetAsync("/api/v1/clients")).ReadJsonAsync(200)).Ids());
    }

    [SkippableFact]
    public async Task Upserting_a_session_by_identifier_schedules_then_reschedules()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        var ehr = await practice.IntegrationAsync("sessions:write", "sessions:read");
        var url = $"/api/v1/sessions/by-identifier?system={Uri.EscapeDataString("https://ehr.example/appointment")}&value=A-9";
        var start = api.Clock.GetUtcNow().UtcDateTime.Date.AddDays(3).AddHours(9);
        var body = new { clientId = client, therapistId = practice.AdminId, kind = "individual", modality = "video", startsAt = start, durationMinutes = 50 };

        var first = await (await ehr.PutAsJsonAsync(url, body)).ReadJsonAsync(201);
        var moved = await (await ehr.PutAsJsonAsync(url, body with { startsAt = start.AddHours(2) }))
            .ReadJsonAsync(200);
        Assert.Equal(first.GetProperty("id").GetGuid(), moved.GetProperty("id").GetGuid());
        Assert.Equal(start.AddHours(2), moved.GetProperty("startsAt").GetDateTime().ToUniversalTime());
        Assert.Single((await (await ehr.GetAsync("/api/v1/sessions")).ReadJsonAsync(200)).Ids());

        var other = await practice.Admin.CreateClientIdAsync();
        await (await ehr.PutAsJsonAsync(url, body with { clientId = other })).AssertProblemAsync(409,
            "subject-changed");
    }

    [SkippableFact]
    public async Task A_repeated_idempotent_post_returns_the_stored_response_and_creates_nothing_new()
    {
        var practice = await api.NewPracticeAsync();
        var body = new { firstName = "Ilse", lastName = "Retry" };
        var first = await practice.Admin.SendAsync(Post("/api/v1/clients", body, "key-1"));
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(201, (int)first.StatusCode);

        var repeat = await practice.Admin.SendAsync(Post("/api/v1/clients", body, "key-1"));
        Assert.Equal(201, (int)repeat.StatusCode);
        Assert.Equal(firstBody, await repeat.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, repeat.Headers.Location);
        Assert.Equal("true", repeat.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Single((await (await practice.Admin.GetAsync("/api/v1/clients")).ReadJsonAsync(200)).Ids());

        await (await practice.Admin.SendAsync(Post("/api/v1/clients", body with { lastName = "Other" }, "key-1")))
            .AssertProblemAsync(422, "idempotency-key-reused");
        Assert.Single((await (await practice.Admin.GetAsync("/api/v1/clients")).ReadJsonAsync(200)).Ids());

        // A rejected request is stored too: the retry gets the same 400.
        var invalid = await practice.Admin.SendAsync(Post("/api/v1/clients", new { firstName = "" }, "key-2"));
        Assert.Equal(400, (int)invalid.StatusCode);
        Assert.Equal(400, (int)(await practice.Admin.SendAsync(Post("/api/v1/clients", new { firstName = "" },
            "key-2"))).StatusCode);
    }

    [SkippableFact]
    public async Task Keys_belong_to_one_token_of_one_practice()
    {
        var mine = await api.NewPracticeAsync();
        var theirs = await api.NewPracticeAsync();
        var body = new { firstName = "Same", lastName = "Key" };
        var a = await (await mine.Admin.SendAsync(Post("/api/v1/clients", body, "shared-key"))).ReadJsonAsync(201);
        var b = await (await theirs.Admin.SendAsync(Post("/api/v1/clients", body, "shared-key"))).ReadJsonAsync(201);
        Assert.NotEqual(a.GetProperty("id").GetGuid(), b.GetProperty("id").GetGuid());
        var otherToken = api.ClientWith(await mine.IssueTokenAsync(new { kind = "user", name = "second device",
            therapistId = mine.AdminId }));
        var c = await (await otherToken.SendAsync(Post("/api/v1/clients", body, "shared-key"))).ReadJsonAsync(201);
        Assert.NotEqual(a.GetProperty("id").GetGuid(), c.GetProperty("id").GetGuid());
        Assert.Equal(2, (await (await mine.Admin.GetAsync("/api/v1/clients")).ReadJsonAsync(200)).Ids().Count);
    }

    [SkippableFact]
    public async Task Concurrent_requests_with_one_key_create_one_client()
    {
        var practice = await api.NewPracticeAsync();
        var body = new { firstName = "Twin", lastName = "Request" };
        var responses = await Task.WhenAll(Enumerable.Range(0,
            6).Select(_ => practice.Admin.SendAsync(Post("/api/v1/clients", body, "race-key"))));
        Assert.All(responses, r => Assert.Contains((int)r.StatusCode, new[] { 201, 409 }));
        Assert.Contains(responses, r => (int)r.StatusCode == 201);
        foreach (var conflict in responses.Where(r => (int)r.StatusCode == 409)) await conflict.AssertProblemAsync(409,
            "idempotency-key-in-use");
        Assert.Single((await (await practice.Admin.GetAsync("/api/v1/clients")).ReadJsonAsync(200)).Ids());
    }

    [SkippableFact]
    public async Task The_change_feed_lists_each_change_once_in_order_without_clinical_text()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var start = await (await admin.GetAsync("/api/v1/events")).ReadJsonAsync(200);
        var cursor = start.GetProperty("nextCursor").GetString();

        api.Clock.Set(Infrastructure.ExerciseWork.Utc("2026-03-05T18:00:00Z"));
        var client = await admin.CreateClientIdAsync();
        await admin.PutAsJsonAsync($"/api/v1/clients/{client}", new { firstName = "Secret", lastName = "Name" });
        var session = await admin.CreateSessionAsync(new { coupleId = c.CoupleId },
            Infrastructure.ExerciseWork.Utc("2026-03-05T10:00:00Z").UtcDateTime);
        await admin.PutAsJsonAsync($"/api/v1/sessions/{session}", new { kind = "couple", modality = "video",
            startsAt = "2026-03-05T11:00:00Z", durationMinutes = 50 });
        await admin.PostAsJsonAsync($"/api/v1/sessions/{session}/complete", new
        {
            attendance = new[] { new { clientId = c.A, attended = true }, new { clientId = c.B, attended = true } },
            note = new { format = "free", sections = new Dictionary<string, string> { ["text"] = "Very private clinical words" } },
        });
        var other = await admin.CreateSessionAsync(new { clientId = client },
            Infrastructure.ExerciseWork.Utc("2026-03-09T10:00:00Z").UtcDateTime);
        await admin.PostAsJsonAsync($"/api/v1/sessions/{other}/cancel", new { reason = "Holiday", byClient = true });
        var assignment = await admin.AssignAsync(new { templateId = Infrastructure.ExerciseWork.DailyCheckIn,
            coupleId = c.CoupleId, startsOn = "2026-03-05" });
        await c.PortalA.AnswerAsync(assignment, "2026-03-05", Infrastructure.ExerciseWork.CheckIn());
        await admin.PostAsync($"/api/v1/assignments/{assignment}/cancel", null);
        await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings", new { clientId = c.A,
            abuseOrDanger = true, untreatedAddiction = false });

        var feed = await (await admin.GetAsync($"/api/v1/events?after={cursor}")).ReadJsonAsync(200);
        var types = feed.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["client.created", "client.updated", "session.scheduled", "session.updated", "session.completed",
            "session.scheduled",
            "session.cancelled", "assignment.created", "response.submitted", "assignment.cancelled", "couple.safety_hold_changed"], types);
        var raw = feed.GetRawText();
        Assert.DoesNotContain("Very private", raw);
        Assert.DoesNotContain("Secret", raw);
        Assert.DoesNotContain("Holiday", raw);

        var next = feed.GetProperty("nextCursor").GetString();
        var empty = await (await admin.GetAsync($"/api/v1/events?after={next}")).ReadJsonAsync(200);
        Assert.Empty(empty.GetProperty("items").EnumerateArray());
        Assert.Equal(next, empty.GetProperty("nextCursor").GetString());
        var other_practice = await api.NewPracticeAsync();
        Assert.Empty((await (await other_practice.Admin.GetAsync("/api/v1/events")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());
        var therapist = await c.Practice.AddTherapistAsync();
        await (await therapist.Client.GetAsync("/api/v1/events")).AssertProblemAsync(403);
    }

    [SkippableFact]
    public async Task Webhook_targets_on_private_networks_or_without_https_are_refused()
    {
        var practice = await api.NewPracticeAsync();
        foreach (var url in new[] { "https://127.0.0.1/hook", "https://10.1.2.3/hook",
            "https://169.254.169.254/latest", "https://[::1]/x",
                     "https://192.168.0.10/x", "http://93.184.216.34/plain-http", "ftp://example.com/x", "https://user:pw@93.184.216.34/x" })
        {
            var problem = await (await practice.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url,
                events = new[] { "client.created" } })).AssertProblemAsync(400, "validation");
            Assert.Contains("url", problem.ErrorFields());
        }

        await (await practice.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://93.184.216.34/hook",
            events = new[] { "client.exploded" } }))
            .AssertProblemAsync(400, "validation");
        var created = await (await practice.Admin.PostAsJsonAsync("/api/v1/webhooks",
            new { url = "https://93.184.216.34/hook", events = new[] { "client.created" } })).ReadJsonAsync(201);
        Assert.StartsWith("whsec_", created.GetProperty("secret").GetString());
        Assert.DoesNotContain("whsec_", await practice.Admin.GetStringAsync("/api/v1/webhooks"));
        var therapist = await practice.AddTherapistAsync();
        await (await therapist.Client.GetAsync("/api/v1/webhooks")).AssertProblemAsync(403);
        var manager = await practice.IntegrationAsync("webhooks:manage");
        Assert.Single((await (await manager.GetAsync("/api/v1/webhooks")).ReadJsonAsync(200)).Ids());
    }
}

public sealed class IntegrationOnSqlite(SqliteApi api) : IntegrationSuite(api), IClassFixture<SqliteApi>;

public sealed class IntegrationOnSqlServer(SqlServerApi api) : IntegrationSuite(api), IClassFixture<SqlServerApi>;

public sealed class IdempotencyStateTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task A_repeat_while_the_first_request_is_still_running_is_409()
    {
        var practice = await api.NewPracticeAsync();
        var tokenId = (await (await practice.Admin.GetAsync("/api/v1/me")).ReadJsonAsync(200))
            .GetProperty("tokenId").GetGuid();
        await using (var connection = new SqliteConnection($"Data Source={api.File}"))
        {
            await connection.ExecuteAsync("""
                INSERT INTO IdempotencyKeys (PracticeId, TokenId, IdempotencyKey, RequestHash, State,
                    CreatedAt, ExpiresAt)
                VALUES (@PracticeId, @TokenId, 'in-flight', 'x', 'running', '2026-01-01T00:00:00.0000000Z',
                    '2999-01-01T00:00:00.0000000Z')
                """, new { PracticeId = practice.PracticeId, TokenId = tokenId });
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients")
        {
            Content = JsonContent.Create(new { firstName = "Wait",
                lastName = "ForIt" }), Headers = { { "Idempotency-Key", "in-flight" } },
        };
        var response = await practice.Admin.SendAsync(request);
        await response.AssertProblemAsync(409, "idempotency-key-in-use");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Empty((await (await practice.Admin.GetAsync("/api/v1/clients")).ReadJsonAsync(200)).Ids());
    }
}

public sealed class WebhookDeliveryTests(WebhookApi api) : IClassFixture<WebhookApi>
{
    [Fact]
    public async Task Deliveries_are_signed_retried_with_back_off_and_recorded()
    {
        using var receiver = new WebhookReceiver(failFirst: 2);
        var practice = await api.NewPracticeAsync();
        var hook = await (await practice.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url,
            events = new[] { "client.created", "session.scheduled" } }))
            .ReadJsonAsync(201);
        receiver.Secret = hook.GetProperty("secret").GetString();
        var hookId = hook.GetProperty("id").GetGuid();

        var client = await practice.Admin.CreateClientIdAsync();
        var first = await receiver.WaitForAsync(1);
        Assert.True(first[0].SignatureValid, "the signature must verify with the secret");
        using (var payload = JsonDocument.Parse(first[0].Body))
        {
            Assert.Equal("client.created", payload.RootElement.GetProperty("type").GetString());
            Assert.Equal(client, payload.RootElement.GetProperty("data").GetProperty("clientId").GetGuid());
        }

        // Not retried before the back-off has passed; then retried until the receiver accepts.
        await Task.Delay(300);
        Assert.Single(receiver.Requests);
        api.Clock.Advance(TimeSpan.FromSeconds(6));
        await receiver.WaitForAsync(2);
        api.Clock.Advance(TimeSpan.FromSeconds(31));
        var all = await receiver.WaitForAsync(3);
        Assert.Equal([500, 500, 200], all.Select(r => r.AnsweredWith));
        Assert.Single(all.Select(r => r.Id).Distinct());
        Assert.All(all, r => Assert.True(r.SignatureValid));

        var deliveries = await WaitForDeliveredAsync(practice, hookId);
        var delivery = Assert.Single(deliveries.GetProperty("items").EnumerateArray());
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal([500, 500, 200], delivery.GetProperty("attemptLog").EnumerateArray()
            .Select(a => a.GetProperty("statusCode").GetInt32()));

        // Redeliver on request.
        Assert.Equal(204,
            (int)(await practice.Admin.PostAsync($"/api/v1/webhooks/{hookId}/deliveries/{delivery.GetProperty("id").GetGuid()}/redeliver", null)).StatusCode);
        await receiver.WaitForAsync(4);
        var other = await api.NewPracticeAsync();
        await (await other.Admin.GetAsync($"/api/v1/webhooks/{hookId}/deliveries")).AssertProblemAsync(404);
        await (await other.Admin.DeleteAsync($"/api/v1/webhooks/{hookId}")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Each_write_fires_one_webhook_for_each_subscribed_event()
    {
        using var receiver = new WebhookReceiver();
        var practice = await api.NewPracticeAsync();
        var hook = await (await practice.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url,
            events = new[] { "client.created", "client.updated" } })).ReadJsonAsync(201);
        receiver.Secret = hook.GetProperty("secret").GetString();
        var client = await practice.Admin.CreateClientIdAsync();
        await practice.Admin.PutAsJsonAsync($"/api/v1/clients/{client}", new { firstName = "New", lastName = "Name" });
        await practice.Admin.CreateSessionAsync(new { clientId = client }, api.Clock.GetUtcNow()
            .UtcDateTime.AddDays(2)); // not subscribed

        var received = await receiver.WaitForAsync(2);
        await Task.Delay(300);
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(["client.created", "client.updated"], received.Select(r => JsonDocument.Parse(r.Body)
            .RootElement.GetProperty("type").GetString()));
        Assert.Equal(2, received.Select(r => r.Id).Distinct().Count());
    }

    private static async Task<JsonElement> WaitForDeliveredAsync(PracticeContext practice, Guid hookId)
    {
        for (var i = 0; i < 100; i++)
        {
            var page = await (await practice.Admin.GetAsync($"/api/v1/webhooks/{hookId}/deliveries"))
                .ReadJsonAsync(200);
            if (page.GetProperty("items").EnumerateArray().All(d => d.GetProperty("status")
                .GetString() == "delivered")) return page;
            await Task.Delay(50);
        }

        throw new TimeoutException("deliveries were not marked delivered");
    }
}

public sealed class WebhookRestartTests
{
    [Fact]
    public async Task Undelivered_events_are_delivered_after_a_restart()
    {
        using var receiver = new WebhookReceiver();
        using var database = new SharedDatabaseFile("restart");
        var file = database.Path;
        Guid client;
        await using (var stopped = new RestartableWebhookApi(file, dispatcher: false))
        {
            var practice = await stopped.NewPracticeAsync();
            var hook = await (await practice.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url,
                events = new[] { "client.created" } })).ReadJsonAsync(201);
            receiver.Secret = hook.GetProperty("secret").GetString();
            client = await practice.Admin.CreateClientIdAsync();
            await Task.Delay(300);
            Assert.Empty(receiver.Requests);
        }

        await using var restarted = new RestartableWebhookApi(file, dispatcher: true);
        _ = restarted.Services; // starts the host and its dispatcher
        var received = await receiver.WaitForAsync(1);
        Assert.True(received[0].SignatureValid);
        Assert.Contains(client.ToString(), received[0].Body);
    }

    [Fact]
    public async Task Delivery_to_a_private_address_is_refused_when_private_targets_are_not_allowed()
    {
        using var receiver = new WebhookReceiver();
        await using var api = new StrictWebhookApi();
        var practice = await api.NewPracticeAsync();
        // A subscription that passed registration elsewhere (say, before its DNS changed) now points at loopback.
        await using (var connection = new SqliteConnection($"Data Source={api.File}"))
        {
            await connection.ExecuteAsync("""
                INSERT INTO WebhookSubscriptions (Id, PracticeId, Url, Events, Secret, CreatedAt)
                VALUES (@Id, @PracticeId, @Url, ',client.created,',
                    'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=', '2026-01-01T00:00:00.0000000Z')
                """, new { Id = Guid.NewGuid(), PracticeId = practice.PracticeId, receiver.Url });
        }

        await practice.Admin.CreateClientIdAsync();
        await Task.Delay(800);
        Assert.Empty(receiver.Requests);
        await using var check = new SqliteConnection($"Data Source={api.File}");
        var error = await check.ExecuteScalarAsync<string>("SELECT LastError FROM WebhookDeliveries");
        Assert.Contains("refused", error);
    }

    private sealed class StrictWebhookApi : SqliteApi
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Webhooks:AllowHttp"] = "true",
            ["Webhooks:PollMilliseconds"] = "50",
        };
    }
}
