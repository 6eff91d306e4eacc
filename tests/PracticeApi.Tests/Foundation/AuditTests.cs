using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Foundation;

public abstract class AuditSuite(ApiFactory api)
{
    [SkippableFact]
    public async Task Token_creation_revocation_and_therapist_changes_are_audited_with_the_actor()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var tokens = await (await practice.Admin.GetAsync($"/api/v1/tokens?therapistId={therapist.Id}"))
            .ReadJsonAsync(200);
        var tokenId = tokens.GetProperty("items")[0].GetProperty("id").GetGuid();
        await practice.Admin.DeleteAsync($"/api/v1/tokens/{tokenId}");
        await practice.Admin.PostAsync($"/api/v1/therapists/{therapist.Id}/deactivate", null);

        var events = await EventsAsync(practice, $"actorId={practice.AdminId}");
        Assert.Contains(events, e => Is(e, "create", "therapist", therapist.Id));
        Assert.Contains(events, e => Is(e, "create", "token", tokenId));
        Assert.Contains(events, e => Is(e, "delete", "token", tokenId));
        Assert.Contains(events, e => Is(e, "update", "therapist", therapist.Id));
        Assert.All(events, e => Assert.Equal(practice.AdminId, e.GetProperty("actorId").GetGuid()));
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("requestId").GetString())));
    }

    [SkippableFact]
    public async Task Failed_authentication_with_a_known_token_is_audited_in_its_practice()
    {
        var practice = await api.NewPracticeAsync();
        var created = await (await practice.Admin.PostAsJsonAsync("/api/v1/tokens",
            new { kind = "integration", name = "old", scopes = new[] { "clients:read" } })).ReadJsonAsync(201);
        var tokenId = created.GetProperty("id").GetGuid();
        await practice.Admin.DeleteAsync($"/api/v1/tokens/{tokenId}");
        await api.ClientWith(created.GetProperty("token").GetString()).GetAsync("/api/v1/me");

        var events = await EventsAsync(practice, "");
        var denied = Assert.Single(events, e => e.GetProperty("action").GetString() == "authenticate");
        Assert.Equal("denied", denied.GetProperty("outcome").GetString());
        Assert.Equal(tokenId, denied.GetProperty("tokenId").GetGuid());
        Assert.Equal("revoked token", denied.GetProperty("detail").GetString());
    }

    [SkippableFact]
    public async Task Audit_events_filter_by_time_and_page_newest_first()
    {
        var practice = await api.NewPracticeAsync();
        api.Clock.Advance(TimeSpan.FromSeconds(1)); // the practice's own bootstrap events stay before the window
        var before = api.Clock.GetUtcNow();
        for (var i = 0; i < 5; i++) await practice.AddTherapistAsync();

        var from = Uri.EscapeDataString(before.UtcDateTime.ToString("O"));
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await practice.Admin.GetAsync($"/api/v1/audit-events?from={from}&limit=4{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync(200);
            all.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);

        Assert.Equal(10, all.Count); // each therapist: created, then a token created
        Assert.Equal(all.Count, all.Select(e => e.GetProperty("id").GetGuid()).Distinct().Count());
        var times = all.Select(e => e.GetProperty("occurredAt").GetDateTime()).ToList();
        Assert.Equal(times.OrderDescending(), times);

        var to = Uri.EscapeDataString(before.UtcDateTime.ToString("O"));
        var earlier = await (await practice.Admin.GetAsync($"/api/v1/audit-events?to={to}")).ReadJsonAsync(200);
        Assert.All(earlier.GetProperty("items").EnumerateArray(), e => Assert.True(e.GetProperty("occurredAt")
            .GetDateTime() < before.UtcDateTime));
    }

    [SkippableFact]
    public async Task Audit_events_of_another_practice_are_never_listed()
    {
        var mine = await api.NewPracticeAsync();
        var theirs = await api.NewPracticeAsync();
        var theirTherapist = await theirs.AddTherapistAsync();
        var events = await EventsAsync(mine, $"actorId={theirs.AdminId}");
        Assert.Empty(events);
        var all = await EventsAsync(mine, "");
        Assert.DoesNotContain(all, e => e.GetProperty("resourceId").ValueKind == JsonValueKind.String
            && e.GetProperty("resourceId").GetGuid() == theirTherapist.Id);
    }

    private static bool Is(JsonElement e, string action, string type, Guid id) =>
        e.GetProperty("action").GetString() == action && e.GetProperty("resourceType").GetString() == type &&
        e.GetProperty("resourceId").GetGuid() == id;

    private static async Task<List<JsonElement>> EventsAsync(PracticeContext practice, string query)
    {
        var page = await (await practice.Admin.GetAsync($"/api/v1/audit-events?limit=200&{query}")).ReadJsonAsync(200);
        return page.GetProperty("items").EnumerateArray().ToList();
    }
}

public sealed class AuditOnSqlite(SqliteApi api) : AuditSuite(api), IClassFixture<SqliteApi>;

public sealed class AuditOnSqlServer(SqlServerApi api) : AuditSuite(api), IClassFixture<SqlServerApi>;
