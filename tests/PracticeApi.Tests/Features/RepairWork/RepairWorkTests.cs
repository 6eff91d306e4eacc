using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.RepairWork;

public abstract class RepairWorkSuite(ApiFactory api)
{
    private static object Line(string area, string agreement, string measure,
        Guid? lineId = null) => new { lineId, area, agreement, measure };

    [SkippableFact]
    public async Task The_trust_contract_is_versioned_agreed_by_both_and_evaluated_monthly()
    {
        var c = await api.NewCoupleCaseAsync();
        api.Clock.Set(Exercises.Utc("2026-03-20T12:00:00Z"));
        var admin = c.Practice.Admin;
        var url = $"/api/v1/couples/{c.CoupleId}/trust-contract";
        await (await admin.GetAsync(url)).AssertProblemAsync(404, "not-found");

        var v1Response = await admin.PutAsJsonAsync(url, new { lines = new[] { Line("Phone", "Phone open on the table",
            "No locked screens"), Line("Evenings", "Home by 22:00", "Message if later") } });
        var v1 = await v1Response.ReadJsonAsync(200);
        Assert.Equal("\"1\"", v1Response.Headers.ETag!.Tag);
        var lines = v1.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("lineId").GetGuid()).ToList();

        await (await c.PortalA.PostAsJsonAsync($"{url}/agreements", new { clientId = c.B })).AssertProblemAsync(403,
            "forbidden");
        await (await c.PortalA.PostAsJsonAsync($"{url}/agreements", new { clientId = c.A })).ReadJsonAsync(201);
        await (await c.PortalA.PostAsJsonAsync($"{url}/agreements", new { clientId = c.A })).AssertProblemAsync(409,
            "already-agreed");
        var agreed = await (await c.PortalB.PostAsJsonAsync($"{url}/agreements", new { clientId = c.B }))
            .ReadJsonAsync(201);
        Assert.True(agreed.GetProperty("agreedByBoth").GetBoolean());

        var evaluation = new
        {
            clientId = c.A, month = "2026-03",
            ratings = new[] { new { lineId = lines[0], rating = "kept", comment = "Every day" }, new { lineId = lines[1], rating = "broken", comment = "Twice late" } },
            decisions = new[] { new { lineId = lines[1], decision = "adjust" } },
        };
        await (await c.PortalA.PostAsJsonAsync($"{url}/evaluations", evaluation)).ReadJsonAsync(201);
        await (await c.PortalA.PostAsJsonAsync($"{url}/evaluations", evaluation)).AssertProblemAsync(409,
            "already-evaluated");
        await (await c.PortalA.PostAsJsonAsync($"{url}/evaluations", evaluation with { month = "2026-04" }))
            .AssertProblemAsync(400, "validation");
        await (await c.PortalB.PostAsJsonAsync($"{url}/evaluations", evaluation with { clientId = c.B,
            ratings = evaluation.ratings.Take(1).ToArray() }))
            .AssertProblemAsync(400, "validation");
        var badRating = await c.PortalB.PostAsJsonAsync($"{url}/evaluations", new { clientId = c.B, month = "2026-03",
            ratings = new[] { new { lineId = lines[0], rating = "mostly" } } });
        await badRating.AssertProblemAsync(400, "validation");
        await (await c.PortalB.PostAsJsonAsync($"{url}/evaluations", evaluation with
        {
            clientId = c.B,
            ratings = new[] { new { lineId = lines[0], rating = "kept", comment = "Yes" }, new { lineId = lines[1], rating = "partly_kept", comment = "Mostly" } },
        })).ReadJsonAsync(201);

        // Version 2 adjusts line 2, drops line 1, adds one; agreements start again.
        var v2Put = Api.Put(url, new { lines = new[] { Line("Evenings", "Home by 22:30", "Message before 22:00",
            lines[1]), Line("Weekends", "One walk together", "We both say it happened") } });
        var v2 = await (await admin.SendAsync(v2Put.WithIfMatch(1))).ReadJsonAsync(200);
        Assert.Equal(2, v2.GetProperty("version").GetInt32());
        Assert.False(v2.GetProperty("agreedByBoth").GetBoolean());
        Assert.Equal(lines[1], v2.GetProperty("lines")[0].GetProperty("lineId").GetGuid());
        await (await admin.SendAsync(Api.Put(url, new { lines = new[] { Line("X", "Y", "Z") } }).WithIfMatch(1)))
            .AssertProblemAsync(412, "stale-version");
        await (await admin.PutAsJsonAsync(url, new { lines = new[] { Line("X", "Y", "Z", Guid.NewGuid()) } }))
            .AssertProblemAsync(400, "validation");
        await (await c.PortalA.PutAsJsonAsync(url, new { lines = new[] { Line("X", "Y", "Z") } }))
            .AssertProblemAsync(403);

        var history = await (await c.PortalB.GetAsync($"{url}/history")).ReadJsonAsync(200);
        var versions = history.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([2, 1], versions.Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(2, versions[1].GetProperty("evaluations").GetArrayLength());
        Assert.Equal(2, versions[1].GetProperty("agreements").GetArrayLength());

        var progress = await (await admin.GetAsync(
            $"/api/v1/couples/{c.CoupleId}/progress?from=2026-03-01&to=2026-03-20")).ReadJsonAsync(200);
        var march = Assert.Single(progress.GetProperty("contractByMonth").EnumerateArray());
        Assert.Equal("2026-03", march.GetProperty("month").GetString());
        Assert.Equal(4, march.GetProperty("ratings").GetInt32());
        Assert.Equal(2, march.GetProperty("kept").GetInt32());
        Assert.Equal(1, march.GetProperty("partlyKept").GetInt32());
        Assert.Equal(1, march.GetProperty("broken").GetInt32());
    }

    [SkippableFact]
    public async Task Trigger_plan_and_episodes_partners_log_their_own()
    {
        var c = await api.NewCoupleCaseAsync();
        api.Clock.Set(Exercises.Utc("2026-03-20T12:00:00Z"));
        var planUrl = $"/api/v1/couples/{c.CoupleId}/trigger-plan";
        var plan = new
        {
            partners = new[]
            {
                new { clientId = c.B, myTriggers = "Phone face down", mySteps = "Breathe, name it", whatIAskOfYou = "Show me the phone", whenYouAreTriggered = "Stay close" },
            },
        };
        var created = await (await c.Practice.Admin.PutAsJsonAsync(planUrl, plan)).ReadJsonAsync(200);
        Assert.Equal(1, created.GetProperty("version").GetInt32());
        Assert.Equal("Phone face down", (await (await c.PortalB.GetAsync(planUrl)).ReadJsonAsync(200))
            .GetProperty("partners")[0].GetProperty("myTriggers").GetString());
        await (await c.Practice.Admin.SendAsync(Api.Put(planUrl, plan).WithIfMatch(7))).AssertProblemAsync(412);
        await (await c.Practice.Admin.PutAsJsonAsync(planUrl,
            new { partners = new[] { new { clientId = Guid.NewGuid() } } })).AssertProblemAsync(404);

        var episodes = $"/api/v1/couples/{c.CoupleId}/trigger-episodes";
        await (await c.PortalB.PostAsJsonAsync(episodes, new { clientId = c.B, occurredAt = "2026-03-18T20:00:00Z",
            intensity = 7, trigger = "Late message", whatHelped = "Talking it through" }))
            .ReadJsonAsync(201);
        await (await c.PortalB.PostAsJsonAsync(episodes, new { clientId = c.A, occurredAt = "2026-03-18T20:00:00Z",
            intensity = 3 })).AssertProblemAsync(403, "forbidden");
        var invalid = await (await c.PortalB.PostAsJsonAsync(episodes, new { clientId = c.B,
            occurredAt = "2026-04-18T20:00:00Z", intensity = 11 })).AssertProblemAsync(400);
        Assert.Contains("intensity", invalid.ErrorFields());
        Assert.Contains("occurredAt", invalid.ErrorFields());
        await (await c.Practice.Admin.PostAsJsonAsync(episodes, new { clientId = c.A,
            occurredAt = "2026-03-19T08:00:00Z", intensity = 4 })).ReadJsonAsync(201);

        Assert.Single((await (await c.PortalB.GetAsync(episodes)).ReadJsonAsync(200)).GetProperty("items")
            .EnumerateArray());
        Assert.Equal(2, (await (await c.Practice.Admin.GetAsync(episodes)).ReadJsonAsync(200)).GetProperty("items")
            .GetArrayLength());
    }

    /// <summary>A closed couple's repair work is kept as it was: every route that changes it refuses, for staff and
    /// partners alike.</summary>
    [SkippableFact]
    public async Task Every_repair_work_write_refuses_a_closed_couple_and_changes_nothing()
    {
        var c = await api.NewCoupleCaseAsync();
        api.Clock.Set(Exercises.Utc("2026-03-20T12:00:00Z"));
        var admin = c.Practice.Admin;
        var couple = $"/api/v1/couples/{c.CoupleId}";
        var plan = new { partners = new[] { new { clientId = c.B, myTriggers = "Phone face down", mySteps = "Breathe", whatIAskOfYou = "Show me", whenYouAreTriggered = "Stay" } } };
        var contract = new { lines = new[] { Line("Phone", "Phone open on the table", "No locked screens") } };
        var lineId = (await (await admin.PutAsJsonAsync($"{couple}/trust-contract", contract)).ReadJsonAsync(200))
            .GetProperty("lines")[0].GetProperty("lineId").GetGuid();
        await (await admin.PutAsJsonAsync($"{couple}/trigger-plan", plan)).ReadJsonAsync(200);
        Assert.Equal(204, (int)(await admin.PostAsync($"{couple}/close", null)).StatusCode);

        var writes = new (HttpClient Caller, HttpMethod Method, string Path, object Body)[]
        {
            (admin, HttpMethod.Put, "trust-contract", contract),
            (c.PortalA, HttpMethod.Post, "trust-contract/agreements", new { clientId = c.A }),
            (admin, HttpMethod.Post, "trust-contract/agreements", new { clientId = c.B }),
            (c.PortalA, HttpMethod.Post, "trust-contract/evaluations",
                new { clientId = c.A, month = "2026-03", ratings = new[] { new { lineId, rating = "kept", comment = "Yes" } } }),
            (admin, HttpMethod.Put, "trigger-plan", plan),
            (c.PortalB, HttpMethod.Post, "trigger-episodes", new { clientId = c.B, occurredAt = "2026-03-18T20:00:00Z",
                intensity = 7 }),
            (admin, HttpMethod.Post, "trigger-episodes", new { clientId = c.A, occurredAt = "2026-03-18T20:00:00Z",
                intensity = 4 }),
            (c.PortalA, HttpMethod.Post, "milestones", new { title = "First holiday", occurredOn = "2026-02-14" }),
            (admin, HttpMethod.Post, "milestones", new { title = "Three calm months", occurredOn = "2026-03-01" }),
        };
        foreach (var (caller, method, path, body) in writes)
        {
            var problem = await (await caller.SendAsync(new HttpRequestMessage(method,
                $"{couple}/{path}") { Content = JsonContent.Create(body) }))
                .AssertProblemAsync(409, "invalid-transition");
            // Staff read English; a partner's portal reads the language they chose (Dutch here).
            Assert.Contains(caller == admin ? "closed" : "afgesloten", problem.GetProperty("detail").GetString());
        }

        var kept = await (await admin.GetAsync($"{couple}/trust-contract")).ReadJsonAsync(200);
        Assert.Equal(1, kept.GetProperty("version").GetInt32());
        Assert.Empty(kept.GetProperty("agreements").EnumerateArray());
        Assert.Equal(1, (await (await admin.GetAsync($"{couple}/trigger-plan")).ReadJsonAsync(200))
            .GetProperty("version").GetInt32());
        Assert.Empty((await (await admin.GetAsync($"{couple}/trigger-episodes")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());
        Assert.Empty((await (await admin.GetAsync($"{couple}/milestones")).ReadJsonAsync(200)).GetProperty("items")
            .EnumerateArray());
    }

    [SkippableFact]
    public async Task Milestones_are_entered_by_therapist_or_partners()
    {
        var c = await api.NewCoupleCaseAsync();
        var url = $"/api/v1/couples/{c.CoupleId}/milestones";
        await (await c.PortalA.PostAsJsonAsync(url, new { title = "First holiday since the crisis",
            occurredOn = "2026-02-14" })).ReadJsonAsync(201);
        await (await c.Practice.Admin.PostAsJsonAsync(url, new { title = "Three months without a big fight",
            occurredOn = "2026-03-01", note = "Named in session" })).ReadJsonAsync(201);
        await (await c.Practice.Admin.PostAsJsonAsync(url, new { title = "", occurredOn = "2026-03-01" }))
            .AssertProblemAsync(400, "validation");
        var list = (await (await c.PortalB.GetAsync(url)).ReadJsonAsync(200)).GetProperty("items")
            .EnumerateArray().ToList();
        Assert.Equal(["partner", "therapist"], list.Select(m => m.GetProperty("recordedByKind").GetString()));
    }

    [SkippableFact]
    public async Task Progress_numbers_match_a_hand_computed_month()
    {
        var c = await api.NewCoupleCaseAsync(startedOn: "2025-09-01");
        var admin = c.Practice.Admin;
        api.Clock.Set(Exercises.Utc("2026-03-01T08:00:00Z"));
        var id = await admin.AssignAsync(new { templateId = Exercises.DailyCheckIn, coupleId = c.CoupleId,
            startsOn = "2026-03-01", occurrences = 30, dueTime = "21:00", visibility = "mutual_reveal" });

        // A checks in every day from the 7th to the 19th, an hour before the due time; B on the 10th, 12th and 14th.
        for (var day = 7; day <= 19; day++)
        {
            api.Clock.Set(Exercises.Utc($"2026-03-{day:00}T19:00:00Z"));
            await (await c.PortalA.AnswerAsync(id, $"2026-03-{day:00}", Exercises.CheckIn("sunny"))).ReadJsonAsync(201);
            if (day is 10 or 12 or 14) await (await c.PortalB.AnswerAsync(id, $"2026-03-{day:00}",
                Exercises.CheckIn("stormy"))).ReadJsonAsync(201);
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

        api.Clock.Set(Exercises.Utc("2026-03-20T12:00:00Z"));
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
        api.Clock.Set(Exercises.Utc("2026-03-01T08:00:00Z"));
        var id = await c.Practice.Admin.AssignAsync(new { templateId = Exercises.DailyCheckIn, coupleId = c.CoupleId,
            startsOn = "2026-03-01", occurrences = 31 });
        for (var day = 1; day <= 30; day++)
        {
            api.Clock.Set(Exercises.Utc($"2026-03-{day:00}T18:00:00Z"));
            await (await c.PortalA.AnswerAsync(id, $"2026-03-{day:00}", Exercises.CheckIn())).ReadJsonAsync(201);
            await (await c.PortalB.AnswerAsync(id, $"2026-03-{day:00}", Exercises.CheckIn())).ReadJsonAsync(201);
        }

        api.Clock.Set(Exercises.Utc("2026-03-31T10:00:00Z"));
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

    [SkippableFact]
    public async Task The_support_network_is_kept_with_the_client()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        var url = $"/api/v1/clients/{client}/support-network";
        var sponsor = await (await practice.Admin.PostAsJsonAsync(url, new
        {
            name = "Karin", relationship = "sponsor", effect = "supports", expectations = "Call after a hard day", mayContact = true, contact = "+31 6 1234 5678",
        })).ReadJsonAsync(201);
        var friendResponse = await practice.Admin.PostAsJsonAsync(url, new { name = "Old drinking friend",
            relationship = "friend", effect = "strains", mayContact = false });
        var friend = await friendResponse.ReadJsonAsync(201);
        var invalid = await (await practice.Admin.PostAsJsonAsync(url, new { name = "", relationship = "friend",
            effect = "both", mayContact = false, contact = "x" }))
            .AssertProblemAsync(400, "validation");
        foreach (var field in new[] { "name", "contact" }) Assert.Contains(field, invalid.ErrorFields());
        var neighbour = await (await practice.Admin.PostAsJsonAsync(url, new { name = "N", relationship = "neighbour",
            effect = "both", mayContact = false }))
            .AssertProblemAsync(400, "validation");
        Assert.Equal(["relationship"], neighbour.ErrorFields());

        var friendId = friend.GetProperty("id").GetGuid();
        var updated = await (await practice.Admin.SendAsync(Api.Put($"{url}/{friendId}", new { name = "Old friend",
            relationship = "friend", effect = "both", mayContact = false }).WithIfMatch(1)))
            .ReadJsonAsync(200);
        Assert.Equal("both", updated.GetProperty("effect").GetString());
        await (await practice.Admin.SendAsync(Api.Put($"{url}/{friendId}", new { name = "X", relationship = "friend",
            effect = "both", mayContact = false }).WithIfMatch(1)))
            .AssertProblemAsync(412);
        Assert.Equal(204, (int)(await practice.Admin.DeleteAsync($"{url}/{friendId}")).StatusCode);
        await (await practice.Admin.DeleteAsync($"{url}/{friendId}")).AssertProblemAsync(404);
        Assert.Equal([sponsor.GetProperty("id").GetGuid()], (await (await practice.Admin.GetAsync(url))
            .ReadJsonAsync(200)).Ids());

        var other = await api.NewPracticeAsync();
        await (await other.Admin.GetAsync(url)).AssertProblemAsync(404);
        await (await other.Admin.DeleteAsync($"{url}/{sponsor.GetProperty("id").GetGuid()}")).AssertProblemAsync(404);
        var therapist = await practice.AddTherapistAsync();
        await (await therapist.Client.GetAsync(url)).AssertProblemAsync(404);
        var events = await practice.AuditEventsAsync($"clientId={client}");
        Assert.Contains(events, e => e.GetProperty("resourceType").GetString() == "support_person"
            && e.GetProperty("action").GetString() == "delete");
    }

    private static void AssertAdherence(JsonElement adherence, int due, int answered, double rate)
    {
        Assert.Equal(due, adherence.GetProperty("due").GetInt32());
        Assert.Equal(answered, adherence.GetProperty("answered").GetInt32());
        Assert.Equal(rate, adherence.GetProperty("rate").GetDouble(), 4);
    }
}

public sealed class RepairWorkOnSqlite(SqliteApi api) : RepairWorkSuite(api), IClassFixture<SqliteApi>;

public sealed class RepairWorkOnSqlServer(SqlServerApi api) : RepairWorkSuite(api), IClassFixture<SqlServerApi>;
