using System.Net.Http.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.RepairWork;

/// <summary>triggers_not_decreasing needs a minimum of data (the repair path issue, part 4).</summary>
public sealed class TriggerTrendTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task The_first_episode_after_a_quiet_period_is_not_a_trend_but_steady_episodes_are()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var episodes = $"/api/v1/couples/{c.CoupleId}/trigger-episodes";
        var now = api.Clock.GetUtcNow().UtcDateTime;
        async Task<List<string?>> KindsAsync() =>
            (await (await admin.GetAsync($"/api/v1/couples/{c.CoupleId}/alerts")).ReadJsonAsync(200))
                .GetProperty("items").EnumerateArray()
            .Select(a => a.GetProperty("kind").GetString()).ToList();

        (await admin.PostAsJsonAsync(episodes, new { clientId = c.A, occurredAt = now.AddDays(-2), intensity = 6 }))
            .EnsureSuccessStatusCode();
        Assert.DoesNotContain("triggers_not_decreasing", await KindsAsync());

        (await admin.PostAsJsonAsync(episodes, new { clientId = c.A, occurredAt = now.AddDays(-35), intensity = 6 }))
            .EnsureSuccessStatusCode();
        Assert.DoesNotContain("triggers_not_decreasing", await KindsAsync()); // one against one: not yet three in all

        (await admin.PostAsJsonAsync(episodes, new { clientId = c.B, occurredAt = now.AddDays(-10), intensity = 4 }))
            .EnsureSuccessStatusCode();
        Assert.Contains("triggers_not_decreasing", await KindsAsync()); // two in the last four weeks against one before
    }
}
