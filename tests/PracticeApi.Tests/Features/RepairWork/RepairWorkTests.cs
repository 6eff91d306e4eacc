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
        api.Clock.Set(ExerciseWork.Utc("2026-03-20T12:00:00Z"));
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
        api.Clock.Set(ExerciseWork.Utc("2026-03-20T12:00:00Z"));
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
        api.Clock.Set(ExerciseWork.Utc("2026-03-20T12:00:00Z"));
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

}

public sealed class RepairWorkOnSqlite(SqliteApi api) : RepairWorkSuite(api), IClassFixture<SqliteApi>;

public sealed class RepairWorkOnSqlServer(SqlServerApi api) : RepairWorkSuite(api), IClassFixture<SqlServerApi>;
