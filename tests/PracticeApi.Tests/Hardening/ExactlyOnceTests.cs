using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Tests.Infrastructure;
using PracticeApi.Infrastructure.Data.Sqlite;

namespace PracticeApi.Tests.Hardening;

/// <summary>
/// Exactly once (issue 27): a keyed request's change and the record of its answer commit together, so a fault at any
/// step between the first write and the answer leaves nothing, and the retry runs once; every caller's replay works.
/// </summary>
public sealed class ExactlyOnceTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private static HttpRequestMessage Keyed(HttpMethod method, string url, object body, string key) =>
        new(method, url) { Content = JsonContent.Create(body), Headers = { { "Idempotency-Key", key } } };

    [Fact]
    public async Task A_storage_fault_at_any_step_of_a_keyed_create_leaves_nothing_and_its_retry_runs_once()
    {
        var practice = await api.NewPracticeAsync();
        var faulted = 0;
        for (var step = 1; step <= 60; step++)
        {
            var key = Guid.NewGuid().ToString();
            var name = $"Fault{step}";
            var body = new { firstName = name, lastName = "Stap", careTeam = new[] { practice.AdminId } };
            var feed = await FeedAsync(practice);
            // The reads audited so far are moved now, so that the background mover takes no step of the main file
            // meanwhile.
            await api.Services.GetRequiredService<PracticeApi.Infrastructure.Audit.AuditLog>()
                .FlushAsync(CancellationToken.None);

            StorageFaults.FailStep(api.File, step);
            HttpResponseMessage first;
            int counted;
            try
            {
                first = await practice.Admin.SendAsync(Keyed(HttpMethod.Post, "/api/v1/clients", body, key));
            }
            finally
            {
                counted = StorageFaults.StopFailing();
            }

            if (counted < step)
            {
                // The request took fewer steps than this: it ran whole, and every earlier step was faulted once.
                await first.ReadJsonAsync(201);
                break;
            }

            faulted++;
            await first.AssertProblemAsync(503, "storage-unavailable");
            Assert.Empty(await NamedAsync(practice, name));
            Assert.Equal(feed, await FeedAsync(practice));

            // The retry runs the change (it never committed) once; its own retry is a replay.
            var retried = await practice.Admin.SendAsync(Keyed(HttpMethod.Post, "/api/v1/clients", body, key));
            var created = await retried.ReadJsonAsync(201);
            Assert.False(retried.Headers.Contains("Idempotent-Replayed"),
                $"step {step}: the retry replayed a change that never committed");
            var replay = await practice.Admin.SendAsync(Keyed(HttpMethod.Post, "/api/v1/clients", body, key));
            Assert.Equal(created.GetRawText(), (await replay.ReadJsonAsync(201)).GetRawText());
            Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
            Assert.Single(await NamedAsync(practice, name));
            Assert.Equal(feed + 1, await FeedAsync(practice));
            var audit = await practice.AuditEventsAsync($"clientId={created.GetProperty("id").GetGuid()}");
            Assert.Single(audit, e => e.GetProperty("action").GetString() == "create");
        }

        // The reservation, the client row, its care team, its audit event, its webhook event, the key's answer, the
        // commit.
        Assert.True(faulted >= 5, $"only {faulted} steps faulted");
    }

    [Fact]
    public async Task Work_a_request_does_after_its_first_transaction_commits_with_it_or_not_at_all()
    {
        // A couple action that advances programs writes twice (the action, then the advancement): one fault in the
        // second write must undo the first as well, or a retry would act twice.
        var c = await api.NewCoupleCaseAsync();
        var key = Guid.NewGuid().ToString();
        var feed = await FeedAsync(c.Practice);
        var body = new { step = 2, note = "Ready for the next step" };
        StorageFaults.FailStep(api.File, 6);
        HttpResponseMessage first;
        try
        {
            first = await c.Practice.Admin.SendAsync(Keyed(HttpMethod.Post, $"/api/v1/couples/{c.CoupleId}/step",
                body, key));
        }
        finally
        {
            StorageFaults.StopFailing();
        }

        await first.AssertProblemAsync(503, "storage-unavailable");
        Assert.Equal(feed, await FeedAsync(c.Practice));
        var couple = await (await c.Practice.Admin.GetAsync($"/api/v1/couples/{c.CoupleId}")).ReadJsonAsync(200);
        Assert.Equal(1, couple.GetProperty("currentStep").GetInt32());

        await (await c.Practice.Admin.SendAsync(Keyed(HttpMethod.Post, $"/api/v1/couples/{c.CoupleId}/step", body,
            key))).ReadJsonAsync(200);
        couple = await (await c.Practice.Admin.GetAsync($"/api/v1/couples/{c.CoupleId}")).ReadJsonAsync(200);
        Assert.Equal(2, couple.GetProperty("currentStep").GetInt32());
    }

    [SkippableFact]
    public async Task A_partner_replays_a_portal_request_through_a_route_they_may_read()
    {
        api.Clock.Set(Infrastructure.ExerciseWork.Utc("2027-03-10T10:00:00Z"));
        var c = await api.NewCoupleCaseAsync();
        var checkIn = await c.Practice.Admin.AssignAsync(new { templateId = Infrastructure.ExerciseWork.DailyCheckIn,
            coupleId = c.CoupleId, startsOn = "2027-03-10" });
        var lines = new[] { new { area = "Phone", agreement = "Phones stay open to each other", measure = "Weekly check" } };
        await (await c.Practice.Admin.PutAsJsonAsync($"/api/v1/couples/{c.CoupleId}/trust-contract", new { lines }))
            .ReadJsonAsync(200);

        var requests = new (string Url, object Body)[]
        {
            ($"/api/v1/me/assignments/{checkIn}/responses", new { occurrenceDate = "2027-03-10",
                answers = Infrastructure.ExerciseWork.CheckIn() }),
            ("/api/v1/me/recovery-log", new { kind = "meeting", meeting = "Tuesday group" }),
            ($"/api/v1/couples/{c.CoupleId}/trigger-episodes", new { clientId = c.A,
                occurredAt = "2027-03-09T20:00:00Z", intensity = 3, trigger = "A late message" }),
            ($"/api/v1/couples/{c.CoupleId}/trust-contract/agreements", new { clientId = c.A }),
        };
        foreach (var (url, body) in requests)
        {
            var key = Guid.NewGuid().ToString();
            var first = await c.PortalA.SendAsync(Keyed(HttpMethod.Post, url, body, key));
            var answer = await first.ReadJsonAsync(201);
            var replay = await c.PortalA.SendAsync(Keyed(HttpMethod.Post, url, body, key));
            Assert.True(replay.IsSuccessStatusCode,
                $"{url}: replay answered {(int)replay.StatusCode} {await replay.Content.ReadAsStringAsync()}");
            Assert.Equal(answer.GetRawText(), (await replay.ReadJsonAsync(201)).GetRawText());
            Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
            Assert.Equal(first.Headers.Location, replay.Headers.Location);
            // The place it names is one the partner may read.
            await (await c.PortalA.GetAsync(first.Headers.Location!.OriginalString)).ReadJsonAsync(200);
        }
    }

    private static async Task<int> FeedAsync(PracticeContext practice) =>
        (await (await practice.Admin.GetAsync("/api/v1/events?limit=200")).ReadJsonAsync(200)).GetProperty("items")
            .GetArrayLength();

    private static async Task<List<Guid>> NamedAsync(PracticeContext practice, string name) =>
        (await (await practice.Admin.GetAsync($"/api/v1/clients?q={name}")).ReadJsonAsync(200)).Ids().ToList();
}

/// <summary>A key ring that cannot encrypt is found before anything commits (issue 27.4).</summary>
public sealed class BrokenKeyRingTests
{
    [Fact]
    public async Task An_empty_key_file_makes_keyed_writes_refuse_with_nothing_committed_and_readiness_fail()
    {
        await using var api = new SqliteApi();
        var keys = Path.Combine(Path.GetDirectoryName(api.File)!, Path.GetFileNameWithoutExtension(api.File) + "-keys");
        Directory.CreateDirectory(keys);
        File.WriteAllText(Path.Combine(keys, $"key-{Guid.NewGuid()}.xml"), "");
        try
        {
            var practice = await api.NewPracticeAsync();
            var ready = await api.ClientWith(null).GetAsync("/health/ready");
            var problem = await ready.AssertProblemAsync(503, "not-ready");
            Assert.Contains("DataProtection:KeysPath", problem.GetProperty("detail").GetString());

            var key = Guid.NewGuid().ToString();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients")
            {
                Content = JsonContent.Create(new { firstName = "Sleutel",
                    lastName = "Bos" }), Headers = { { "Idempotency-Key", key } },
            };
            var refused = await practice.Admin.SendAsync(request);
            await refused.AssertProblemAsync(503, "key-ring-unavailable");
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Empty((await (await practice.Admin.GetAsync("/api/v1/clients?q=Sleutel")).ReadJsonAsync(200)).Ids());
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }
}
