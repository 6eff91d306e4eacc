using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.AuditEvents;

/// <summary>The client's own access log (the clinical record issue, part 4).</summary>
public sealed class AccessLogTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private static List<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();

    [Fact]
    public async Task A_client_sees_who_read_or_changed_their_record_but_not_their_partners_or_refused_attempts()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync(name: "Eva Jansen");
        var (coupleId, a, b) = await therapist.Client.CreateCoupleWithClientsAsync();
        var ehr = await practice.IntegrationAsync("clients:read");
        var portal = api.ClientWith((await (await therapist.Client.PostAsJsonAsync(
            $"/api/v1/clients/{a}/portal-tokens", new { })).ReadJsonAsync(201))
            .GetProperty("token").GetString());

        (await therapist.Client.GetAsync($"/api/v1/clients/{a}")).EnsureSuccessStatusCode();
        (await ehr.GetAsync($"/api/v1/clients/{a}")).EnsureSuccessStatusCode();
        (await therapist.Client.GetAsync($"/api/v1/clients/{b}"))
            .EnsureSuccessStatusCode(); // the partner's record alone
        var outsider = await practice.AddTherapistAsync(name: "Not On The Team");
        await (await outsider.Client.GetAsync($"/api/v1/clients/{a}")).AssertProblemAsync(404,
            "not-found"); // refused: no access

        var log = Items(await (await portal.GetAsync("/api/v1/me/access-log")).ReadJsonAsync(200));
        Assert.Contains(log, e => e.GetProperty("actorKind").GetString() == "staff" && e.GetProperty("actorName")
            .GetString() == "Eva Jansen"
                                  && e.GetProperty("actorRole").GetString() == "therapist" && e.GetProperty("action")
                                      .GetString() == "read"
                                  && e.GetProperty("dataKind").GetString() == "client");
        Assert.Contains(log, e => e.GetProperty("actorKind").GetString() == "integration" && e.GetProperty("actorName")
            .GetString() == "ehr");
        Assert.Contains(log, e => e.GetProperty("action").GetString() == "create" && e.GetProperty("dataKind")
            .GetString() == "couple");
        Assert.DoesNotContain(log, e => e.GetProperty("actorName").ValueKind == JsonValueKind.String
            && e.GetProperty("actorName").GetString() == "Not On The Team");
        var clientReads = log.Count(e => e.GetProperty("dataKind").GetString() == "client" && e.GetProperty("action")
            .GetString() == "read");
        Assert.Equal(2,
            clientReads); // the therapist's and the integration's read of this client; the partner's read is not listed
        Assert.True(log.Select(e => e.GetProperty("occurredAt").GetDateTime())
            .SequenceEqual(log.Select(e => e.GetProperty("occurredAt").GetDateTime()).OrderDescending()));

        // Reading the log is itself in the log.
        var again = Items(await (await portal.GetAsync("/api/v1/me/access-log?limit=1")).ReadJsonAsync(200));
        Assert.Equal("access_log", Assert.Single(again).GetProperty("dataKind").GetString());
        Assert.Equal("self", again[0].GetProperty("actorKind").GetString());
        _ = coupleId;
    }

    [Fact]
    public async Task The_access_log_pages_and_is_for_portal_tokens_only()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        for (var i = 0; i < 3; i++) (await practice.Admin.GetAsync($"/api/v1/clients/{client}"))
            .EnsureSuccessStatusCode();
        var portal = api.ClientWith((await (await practice.Admin.PostAsJsonAsync(
            $"/api/v1/clients/{client}/portal-tokens", new { })).ReadJsonAsync(201))
            .GetProperty("token").GetString());

        var seen = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await portal.GetAsync(
                $"/api/v1/me/access-log?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync(200);
            seen.AddRange(Items(page));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && seen.Count < 50);
        Assert.True(seen.Count(e => e.GetProperty("action").GetString() == "read" && e.GetProperty("dataKind")
            .GetString() == "client") == 3);

        await (await portal.GetAsync("/api/v1/me/access-log?cursor=nonsense")).AssertProblemAsync(400, "validation");
        await (await portal.GetAsync("/api/v1/me/access-log?limit=0")).AssertProblemAsync(400, "validation");
        await (await practice.Admin.GetAsync("/api/v1/me/access-log")).AssertProblemAsync(403, "forbidden");
        await (await (await practice.IntegrationAsync("clients:read")).GetAsync("/api/v1/me/access-log"))
            .AssertProblemAsync(403, "forbidden");
        await (await api.ClientWith(null).GetAsync("/api/v1/me/access-log")).AssertProblemAsync(401, "unauthorized");
    }
}
