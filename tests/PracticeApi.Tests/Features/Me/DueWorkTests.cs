using System.Text.Json;
using System.Net.Http.Json;
using System.Globalization;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Me;

/// <summary>GET /api/v1/me/due (the repair path issue, part 2): what a partner has to do today and what is
/// overdue.</summary>
public sealed class DueWorkTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task Each_partner_sees_todays_and_overdue_unanswered_occurrences_per_assignment()
    {
        var c = await api.NewCoupleCaseAsync();
        var today = api.Today;
        string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var assignment = await c.Practice.Admin.AssignAsync(new { templateId = ExerciseWork.DailyCheckIn,
            coupleId = c.CoupleId, startsOn = Day(-3) });
        await (await c.PortalA.AnswerAsync(assignment, Day(-2), ExerciseWork.CheckIn())).ReadJsonAsync(201);

        async Task<(List<string?> Today, List<string?> Overdue)> DueAsync(HttpClient portal)
        {
            var page = await (await portal.GetAsync("/api/v1/me/due")).ReadJsonAsync(200);
            var item = Assert.Single(page.GetProperty("items").EnumerateArray());
            Assert.Equal(assignment, item.GetProperty("assignmentId").GetGuid());
            return (item.GetProperty("today").EnumerateArray().Select(o => o.GetProperty("date").GetString()).ToList(),
                item.GetProperty("overdue").EnumerateArray().Select(o => o.GetProperty("date").GetString()).ToList());
        }

        var a = await DueAsync(c.PortalA);
        Assert.Equal([Day(0)], a.Today);
        Assert.Equal([Day(-3), Day(-1)], a.Overdue);
        var b = await DueAsync(c.PortalB);
        Assert.Equal([Day(-3), Day(-2), Day(-1)], b.Overdue);

        await (await c.PortalA.AnswerAsync(assignment, Day(0), ExerciseWork.CheckIn())).ReadJsonAsync(201);
        Assert.Empty((await DueAsync(c.PortalA)).Today);

        await (await c.Practice.Admin.GetAsync("/api/v1/me/due")).AssertProblemAsync(403, "forbidden");
        await (await api.ClientWith(null).GetAsync("/api/v1/me/due")).AssertProblemAsync(401, "unauthorized");
        await (await c.PortalA.GetAsync("/api/v1/me/due?limit=0")).AssertProblemAsync(400, "validation");
    }

    [Fact]
    public async Task An_answer_without_a_date_goes_to_the_latest_occurrence_that_has_begun()
    {
        var c = await api.NewCoupleCaseAsync();
        var today = api.Today;
        string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var daily = await c.Practice.Admin.AssignAsync(new { templateId = ExerciseWork.DailyCheckIn,
            coupleId = c.CoupleId, startsOn = Day(-3) });
        var answered = await (await c.PortalA.PostAsJsonAsync($"/api/v1/me/assignments/{daily}/responses",
            new { answers = ExerciseWork.CheckIn() })).ReadJsonAsync(201);
        Assert.Equal(Day(0), answered.GetProperty("occurrenceDate").GetString());

        var weekly = await c.Practice.Admin.AssignAsync(new
        {
            templateId = ExerciseWork.TemplateId(
                "weekly_trust_rating"), coupleId = c.CoupleId, cadence = "weekly", startsOn = Day(-10),
        });
        var rated = await (await c.Practice.Admin.PostAsJsonAsync($"/api/v1/assignments/{weekly}/responses",
            new { respondentId = c.B, answers = new { trust = 6, connection = 7 } })).ReadJsonAsync(201);
        Assert.Equal(Day(-3), rated.GetProperty("occurrenceDate").GetString());

        var later = await c.Practice.Admin.AssignAsync(new { templateId = ExerciseWork.DailyCheckIn,
            coupleId = c.CoupleId, startsOn = Day(2) });
        await (await c.PortalA.PostAsJsonAsync($"/api/v1/me/assignments/{later}/responses",
            new { answers = ExerciseWork.CheckIn() }))
            .AssertProblemAsync(400, "validation");
        Assert.Empty(await c.PortalA.PortalResponsesAsync(later));
    }

    [Fact]
    public async Task A_check_in_held_together_is_one_shared_record_that_counts_for_both()
    {
        var c = await api.NewCoupleCaseAsync();
        var today = api.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var together = await (await c.Practice.Admin.PostAsJsonAsync("/api/v1/assignments", new
        {
            templateId = ExerciseWork.TemplateId(
                "check_in_together"), coupleId = c.CoupleId, occurrences = 7, visibility = "private",
        })).ReadJsonAsync(201);
        Assert.Equal("together", together.GetProperty("respondents").GetString());
        Assert.Equal("shared", together.GetProperty("visibility")
            .GetString()); // a record held together is both partners'
        var id = together.GetProperty("id").GetGuid();

        await (await c.PortalA.PostAsJsonAsync($"/api/v1/me/assignments/{id}/responses", new
        {
            answers = new { our_moods = "Me tired, you cheerful", what_we_need_today = "An early night; a text at lunch", grateful_for_each_other = "Dinner made" },
        })).ReadJsonAsync(201);

        // Answered for both: neither has today's occurrence left to do, and B reads the record A wrote.
        async Task<List<string?>> TodayAsync(HttpClient portal) =>
            (await (await portal.GetAsync("/api/v1/me/due")).ReadJsonAsync(200)).GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("assignmentId").GetGuid() == id)
            .SelectMany(i => i.GetProperty("today").EnumerateArray().Select(o => o.GetProperty("date")
            .GetString())).ToList();
        Assert.Empty(await TodayAsync(c.PortalA));
        Assert.Empty(await TodayAsync(c.PortalB));
        Assert.Single(await c.PortalB.PortalResponsesAsync(id));
        var occurrences = (await (await c.Practice.Admin.GetAsync($"/api/v1/assignments/{id}/occurrences?limit=200"))
            .ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray().Where(o => o.GetProperty("date").GetString() == today).ToList();
        Assert.Equal(2, occurrences.Count);
        Assert.All(occurrences, o => Assert.NotEqual(JsonValueKind.Null, o.GetProperty("responseId").ValueKind));

        var single = await c.Practice.Admin.CreateClientIdAsync();
        await (await c.Practice.Admin.PostAsJsonAsync("/api/v1/assignments", new { templateId = ExerciseWork.DailyCheckIn,
            clientId = single, respondents = "together" }))
            .AssertProblemAsync(400, "validation");
    }

    [Fact]
    public async Task Held_together_is_shared_so_a_safety_hold_for_danger_refuses_it_like_any_sharing()
    {
        var c = await api.NewCoupleCaseAsync();
        await (await c.Practice.Admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings",
            new { clientId = c.A, abuseOrDanger = true, untreatedAddiction = false }))
            .ReadJsonAsync(201);
        await (await c.Practice.Admin.PostAsJsonAsync("/api/v1/assignments", new { templateId = ExerciseWork.DailyCheckIn,
            coupleId = c.CoupleId, respondents = "together" }))
            .AssertProblemAsync(409, "safety-hold");
        Assert.Empty((await (await c.Practice.Admin.GetAsync($"/api/v1/assignments?coupleId={c.CoupleId}"))
            .ReadJsonAsync(200)).Ids());
        var separate = await (await c.Practice.Admin.PostAsJsonAsync("/api/v1/assignments",
            new { templateId = ExerciseWork.DailyCheckIn, coupleId = c.CoupleId }))
            .ReadJsonAsync(201);
        Assert.Equal("private", separate.GetProperty("visibility").GetString());
    }

    [Fact]
    public async Task Progress_counts_a_check_in_held_together_as_made_by_both()
    {
        var c = await api.NewCoupleCaseAsync();
        var today = api.Today;
        var id = await c.Practice.Admin.AssignAsync(new
        {
            templateId = ExerciseWork.DailyCheckIn, coupleId = c.CoupleId, respondents = "together",
            startsOn = today.AddDays(-1).ToString("yyyy-MM-dd",
                CultureInfo.InvariantCulture), occurrences = 1, dueTime = "00:00",
        });
        await (await c.PortalA.AnswerAsync(id, today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ExerciseWork.CheckIn())).ReadJsonAsync(201);
        var partners = (await (await c.Practice.Admin.GetAsync($"/api/v1/couples/{c.CoupleId}/progress"))
            .ReadJsonAsync(200)).GetProperty("partners").EnumerateArray().ToList();
        Assert.Equal(2, partners.Count);
        Assert.All(partners, p => Assert.Equal(1, p.GetProperty("last14Days").GetProperty("answered").GetInt32()));
    }
}
