using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.RepairWork;

/// <summary>Progress shows each partner's weekly trust rating and the gap between them (the repair path issue, part
/// 4).</summary>
public sealed class TrustRatingTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task Each_partners_weekly_rating_and_the_gap_between_them_are_in_progress()
    {
        var c = await api.NewCoupleCaseAsync();
        var assignment = await c.Practice.Admin.AssignAsync(new { templateId = ExerciseWork.TemplateId(
            "weekly_trust_rating"), coupleId = c.CoupleId });
        var date = (await (await c.PortalA.GetAsync($"/api/v1/me/assignments/{assignment}/occurrences"))
            .ReadJsonAsync(200))
            .GetProperty("items")[0].GetProperty("date").GetString()!;
        await (await c.PortalA.AnswerAsync(assignment, date, new { trust = 7, connection = 6 })).ReadJsonAsync(201);
        await (await c.PortalB.AnswerAsync(assignment, date, new { trust = 3, connection = 4 })).ReadJsonAsync(201);

        var progress = await (await c.Practice.Admin.GetAsync($"/api/v1/couples/{c.CoupleId}/progress"))
            .ReadJsonAsync(200);
        var week = Assert.Single(progress.GetProperty("trustByWeek").EnumerateArray());
        Assert.Equal(4, week.GetProperty("trustGap").GetDouble());
        Assert.Equal(2, week.GetProperty("connectionGap").GetDouble());
        var a = week.GetProperty("partners").EnumerateArray().Single(p => p.GetProperty("clientId").GetGuid() == c.A);
        Assert.Equal(7, a.GetProperty("trust").GetDouble());
    }
}
