using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Progress;

/// <summary>A couple's progress (adherence, trends, computed milestones) and the alerts a therapist works from, on
/// their own caseload only.</summary>
public abstract class ProgressSuite(ApiFactory api)
{
    [SkippableFact]
    public async Task Progress_numbers_match_a_hand_computed_month()
    {
        var c = await api.NewCoupleCaseAsync(startedOn: "2025-09-01");
        var admin = c.Practice.Admin;
        api.Clock.Set(ExerciseWork.Utc("2026-03-01T08:00:00Z"));
        var id = await admin.AssignAsync(new { templateId = ExerciseWork.DailyCheckIn, coupleId = c.CoupleId,
            startsOn = "2026-03-01", occurrences = 30, dueTime = "21:00", visibility = "mutual_reveal" });

        // A checks in every day from the 7th to the 19th, an hour before the due time; B on the 10th, 12th and 14th.
        for (var day = 7; day <= 19; day++)
        {
            api.Clock.Set(ExerciseWork.Utc($"2026-03-{day:00}T19:00:00Z"));
            await (await c.PortalA.AnswerAsync(id, $"2026-03-{day:00}", ExerciseWork.CheckIn("sunny"))).ReadJsonAsync(201);
            if (day is 10 or 12 or 14) await (await c.PortalB.AnswerAsync(id, $"2026-03-{day:00}",
                ExerciseWork.CheckIn("stormy"))).ReadJsonAsync(201);
        }

        // Trigger episodes: three in the four weeks before the last four (intensities 8, 6, 7), one in the last four
        // (4).
        var episodes = $"/api/v1/couples/{c.CoupleId}/trigger-episodes";
        foreach (var (at, intensity) in new[] { ("2026-02-01T10:00:00Z", 8), ("2026-02-05T10:00:00Z", 6),
            ("2026-02-10T10:00:00Z", 7), ("2026-03-01T10:00:00Z", 4) })
        {
            await (await admin.PostAsJsonAsync(episodes, new { clientId = c.B, occurredAt = at, intensity }))
                .ReadJsonAsync(201);
        }

        api.Clock.Set(ExerciseWork.Utc("2026-03-20T12:00:00Z"));
        var progress = await (await admin.GetAsync(
            $"/api/v1/couples/{c.CoupleId}/progress?from=2026-03-02&to=2026-03-20")).ReadJsonAsync(200);
        var partners = progress.GetProperty("partners").EnumerateArray().ToDictionary(p => p.GetProperty("clientId")
            .GetGuid());

        // Last 14 days = 7–20 March; the 20th is not due yet at noon: 13 due. Last 30 days: 1–19 March due: 19.
        AssertAdherence(partners[c.A].GetProperty("last14Days"), 13, 13, 1.0);
        AssertAdherence(partners[c.B].GetProperty("last14Days"), 13, 3, 0.2308);
        AssertAdherence(partners[c.A].GetProperty("last30Days"), 19, 13, 0.6842);
        AssertAdherence(partners[c.B].GetProperty("last30Days"), 19, 3, 0.1579);
        Assert.Equal(13, partners[c.A].GetProperty("currentStreak").GetInt32());
        Assert.Equal(0, partners[c.B].GetProperty("currentStreak").GetInt32());
        Assert.Equal(0, progress.GetProperty("sharedStreak").GetInt32());

        var moods = progress.GetProperty("moodByWeek").EnumerateArray()
            .ToDictionary(m => (m.GetProperty("weekStart").GetString(), m.GetProperty("clientId").GetGuid()));
        Assert.Equal(2, moods[("2026-03-02", c.A)].GetProperty("sunny").GetInt32()); // 7th and 8th
        Assert.Equal(7, moods[("2026-03-09", c.A)].GetProperty("sunny").GetInt32());
        Assert.Equal(4, moods[("2026-03-16", c.A)].GetProperty("sunny").GetInt32());
        Assert.Equal(3, moods[("2026-03-09", c.B)].GetProperty("stormy").GetInt32());

        var weeks = progress.GetProperty("triggersByWeek").EnumerateArray().ToList();
        Assert.Equal(["2026-03-02", "2026-03-09", "2026-03-16"], weeks.Select(w => w.GetProperty("weekStart")
            .GetString()));
        Assert.All(weeks, w => Assert.Equal(0, w.GetProperty("episodes").GetInt32()));

        var timeline = progress.GetProperty("timeline");
        Assert.Equal(6, timeline.GetProperty("monthsInRepair").GetInt32());
        Assert.Equal("within_window", timeline.GetProperty("position").GetString());
        var milestones = progress.GetProperty("milestones").EnumerateArray().Select(m => m.GetProperty("key")
            .GetString()).ToList();
        Assert.Equal(["months_in_repair_3", "months_in_repair_6"], milestones);

        // Alerts: B's adherence is under half; no step forward in six months; triggers are decreasing (3 then 1).
        var alerts = (await (await admin.GetAsync($"/api/v1/couples/{c.CoupleId}/alerts")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["low_adherence", "no_step_progress"], alerts.Select(a => a.GetProperty("kind")
            .GetString()).Order());
        var low = alerts.Single(a => a.GetProperty("kind").GetString() == "low_adherence");
        Assert.Equal(c.B, low.GetProperty("data").GetProperty("clientId").GetGuid());
        Assert.Equal(0.2308, low.GetProperty("data").GetProperty("rate").GetDouble(), 4);

        // Two more episodes in the last four weeks: 3 against 3 is not decreasing (mean intensity (4 + 5 + 6) / 3 = 5).
        await admin.PostAsJsonAsync(episodes, new { clientId = c.A, occurredAt = "2026-03-10T10:00:00Z",
            intensity = 5 });
        await admin.PostAsJsonAsync(episodes, new { clientId = c.A, occurredAt = "2026-03-15T10:00:00Z",
            intensity = 6 });
        await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/step", new { step = 2 });
        await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/breaches", new { occurredOn = "2026-03-18",
            type = "lies_or_secrets" });
        await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings", new { clientId = c.A,
            abuseOrDanger = false, untreatedAddiction = true });

        var after = (await (await admin.GetAsync($"/api/v1/couples/{c.CoupleId}/alerts")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["low_adherence", "new_breach", "safety_concern", "triggers_not_decreasing"],
            after.Select(a => a.GetProperty("kind").GetString()).Order());
        var trend = after.Single(a => a.GetProperty("kind").GetString() == "triggers_not_decreasing")
            .GetProperty("data");
        Assert.Equal(3, trend.GetProperty("previousFourWeeks").GetInt32());
        Assert.Equal(3, trend.GetProperty("lastFourWeeks").GetInt32());
        Assert.Equal(5.0, trend.GetProperty("lastMeanIntensity").GetDouble());
        Assert.Equal(7.0, trend.GetProperty("previousMeanIntensity").GetDouble());

        var byWeek = (await (await admin.GetAsync(
            $"/api/v1/couples/{c.CoupleId}/progress?from=2026-03-02&to=2026-03-20")).ReadJsonAsync(200))
            .GetProperty("triggersByWeek").EnumerateArray().ToList();
        Assert.Equal(2, byWeek[1].GetProperty("episodes").GetInt32()); // 10th and 15th fall in the week of the 9th
        Assert.Equal(5.5, byWeek[1].GetProperty("meanIntensity").GetDouble());

        var caseload = await (await admin.GetAsync("/api/v1/alerts")).ReadJsonAsync(200);
        Assert.Equal(4, caseload.GetProperty("items").EnumerateArray().Count(a => a.GetProperty("coupleId")
            .GetGuid() == c.CoupleId));
    }

    [SkippableFact]
    public async Task Thirty_shared_days_of_check_ins_is_a_computed_milestone()
    {
        var c = await api.NewCoupleCaseAsync(startedOn: "2026-02-20");
        api.Clock.Set(ExerciseWork.Utc("2026-03-01T08:00:00Z"));
        var id = await c.Practice.Admin.AssignAsync(new { templateId = ExerciseWork.DailyCheckIn, coupleId = c.CoupleId,
            startsOn = "2026-03-01", occurrences = 31 });
        for (var day = 1; day <= 30; day++)
        {
            api.Clock.Set(ExerciseWork.Utc($"2026-03-{day:00}T18:00:00Z"));
            await (await c.PortalA.AnswerAsync(id, $"2026-03-{day:00}", ExerciseWork.CheckIn())).ReadJsonAsync(201);
            await (await c.PortalB.AnswerAsync(id, $"2026-03-{day:00}", ExerciseWork.CheckIn())).ReadJsonAsync(201);
        }

        api.Clock.Set(ExerciseWork.Utc("2026-03-31T10:00:00Z"));
        var progress = await (await c.Practice.Admin.GetAsync($"/api/v1/couples/{c.CoupleId}/progress"))
            .ReadJsonAsync(200);
        Assert.Equal(30, progress.GetProperty("sharedStreak").GetInt32());
        var milestone = progress.GetProperty("milestones").EnumerateArray().Single(m => m.GetProperty("key")
            .GetString() == "check_ins_30_days_together");
        Assert.Equal("2026-03-30", milestone.GetProperty("reachedOn").GetString());
        Assert.Empty((await (await c.Practice.Admin.GetAsync($"/api/v1/couples/{c.CoupleId}/alerts"))
            .ReadJsonAsync(200)).GetProperty("items").EnumerateArray());
    }

    [SkippableFact]
    public async Task Alerts_cover_only_the_callers_caseload()
    {
        var practice = await api.NewPracticeAsync();
        var ann = await practice.AddTherapistAsync();
        var (mine, a, _) = await ann.Client.CreateCoupleWithClientsAsync();
        var (notMine, b, _) = await practice.Admin.CreateCoupleWithClientsAsync();
        await ann.Client.PostAsJsonAsync($"/api/v1/couples/{mine}/safety-screenings", new { clientId = a,
            abuseOrDanger = true, untreatedAddiction = false });
        await practice.Admin.PostAsJsonAsync($"/api/v1/couples/{notMine}/safety-screenings", new { clientId = b,
            abuseOrDanger = true, untreatedAddiction = false });

        var annAlerts = (await (await ann.Client.GetAsync("/api/v1/alerts")).ReadJsonAsync(200)).GetProperty("items")
            .EnumerateArray().ToList();
        Assert.All(annAlerts, x => Assert.Equal(mine, x.GetProperty("coupleId").GetGuid()));
        Assert.Contains(annAlerts, x => x.GetProperty("kind").GetString() == "safety_concern");
        await (await ann.Client.GetAsync($"/api/v1/couples/{notMine}/alerts")).AssertProblemAsync(404);
        await (await ann.Client.GetAsync($"/api/v1/couples/{notMine}/progress")).AssertProblemAsync(404);
        var adminAlerts = (await (await practice.Admin.GetAsync("/api/v1/alerts?limit=1")).ReadJsonAsync(200));
        Assert.NotNull(adminAlerts.GetProperty("nextCursor").GetString());
    }

    private static void AssertAdherence(JsonElement adherence, int due, int answered, double rate)
    {
        Assert.Equal(due, adherence.GetProperty("due").GetInt32());
        Assert.Equal(answered, adherence.GetProperty("answered").GetInt32());
        Assert.Equal(rate, adherence.GetProperty("rate").GetDouble(), 4);
    }
}

public sealed class ProgressOnSqlite(SqliteApi api) : ProgressSuite(api), IClassFixture<SqliteApi>;

public sealed class ProgressOnSqlServer(SqlServerApi api) : ProgressSuite(api), IClassFixture<SqlServerApi>;
