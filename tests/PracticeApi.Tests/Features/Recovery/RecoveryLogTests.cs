using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Recovery;

/// <summary>The recovery log (the repair path issue, part 3): the partner in recovery's own record, shared only by
/// their choice.</summary>
public abstract class RecoveryLogSuite(ApiFactory api)
{
    private sealed record AddictionCouple(PracticeContext Practice, Guid CoupleId, Guid Daan, Guid Lotte,
        HttpClient DaanPortal, HttpClient LottePortal);

    private async Task<AddictionCouple> NewAsync()
    {
        var practice = await api.NewPracticeAsync();
        var daan = await practice.Admin.CreateClientIdAsync();
        var lotte = await practice.Admin.CreateClientIdAsync();
        var couple = (await (await practice.Admin.PostAsJsonAsync("/api/v1/couples", new
        {
            partnerAId = daan, partnerBId = lotte, breachType = "hidden_addiction", partnerARole = "in_recovery", partnerBRole = "partner", startedOn = "2027-01-04",
        })).ReadJsonAsync(201)).GetProperty("id").GetGuid();
        return new AddictionCouple(practice, couple, daan, lotte, api.ClientWith(await practice.PortalTokenAsync(daan)),
            api.ClientWith(await practice.PortalTokenAsync(lotte)));
    }

    private static async Task<JsonElement> LogAsync(HttpClient client, string path = "/api/v1/me/recovery-log") =>
        await (await client.GetAsync(path)).ReadJsonAsync(200);

    [SkippableFact]
    public async Task The_partner_in_recovery_keeps_a_log_a_setback_restarts_the_count_and_moves_nothing_in_the_repair()
    {
        api.Clock.Set(ExerciseWork.Utc("2027-06-10T10:00:00Z"));
        var c = await NewAsync();
        await (await c.Practice.Admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/step", new { step = 3 }))
            .ReadJsonAsync(200);

        await (await c.DaanPortal.PostAsJsonAsync("/api/v1/me/recovery-log", new { kind = "sober_day",
            date = "2027-06-08" })).ReadJsonAsync(201);
        var day = await (await c.DaanPortal.PostAsJsonAsync("/api/v1/me/recovery-log", new { kind = "sober_day",
            date = "2027-06-09" })).ReadJsonAsync(201);
        Assert.Equal(c.Daan, day.GetProperty("clientId").GetGuid());
        await (await c.DaanPortal.PostAsJsonAsync("/api/v1/me/recovery-log", new { kind = "sober_day",
            date = "2027-06-09" })).AssertProblemAsync(409, "already-logged");
        await (await c.DaanPortal.PostAsJsonAsync("/api/v1/me/recovery-log", new { kind = "meeting",
            date = "2027-06-09", meeting = "Thursday group" })).ReadJsonAsync(201);
        var setback = await (await c.DaanPortal.PostAsJsonAsync("/api/v1/me/recovery-log", new
        {
            kind = "setback", whatHappened = "Drinks after a hard day at work.", whatILearnt = "Call Ruben before, not after.",
        })).ReadJsonAsync(201);
        Assert.Equal("2027-06-10", setback.GetProperty("date").GetString());

        // Invalid entries are refused, each naming its field, and change nothing.
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { kind = "relapse" }, "kind"),
                     (new { kind = "setback" }, "whatHappened"),
                     (new { kind = "meeting" }, "meeting"),
                     (new { kind = "sober_day", whatHappened = "x" }, "whatHappened"),
                     (new { kind = "sober_day", date = "2027-06-12" }, "date"),
                     (new { kind = "sober_day", date = "2027-04-01" }, "date"),
                 })
        {
            var problem = await (await c.DaanPortal.PostAsJsonAsync("/api/v1/me/recovery-log", body))
                .AssertProblemAsync(400, "validation");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} not named in {problem}");
        }

        var log = await LogAsync(c.DaanPortal);
        Assert.Equal(4, log.GetProperty("items").GetArrayLength());
        Assert.Equal("setback", log.GetProperty("items")[0].GetProperty("kind").GetString());
        Assert.False(log.GetProperty("sharedWithPartner").GetBoolean());
        var summary = log.GetProperty("summary");
        Assert.Equal(0, summary.GetProperty("soberDays").GetInt32());
        Assert.Equal("2027-06-10", summary.GetProperty("lastSetbackOn").GetString());
        Assert.Equal(2, summary.GetProperty("soberDaysLogged30").GetInt32());
        Assert.Equal(1, summary.GetProperty("meetings30").GetInt32());

        // The care team sees the setback as a signal; the couple's repair stays where it was.
        var alerts = (await (await c.Practice.Admin.GetAsync($"/api/v1/couples/{c.CoupleId}/alerts"))
            .ReadJsonAsync(200)).GetProperty("items").EnumerateArray().ToList();
        var signal = Assert.Single(alerts, a => a.GetProperty("kind").GetString() == "recovery_setback");
        Assert.Equal(c.Daan, signal.GetProperty("data").GetProperty("clientId").GetGuid());
        var progress = await (await c.Practice.Admin.GetAsync($"/api/v1/couples/{c.CoupleId}/progress"))
            .ReadJsonAsync(200);
        Assert.Equal(3, progress.GetProperty("timeline").GetProperty("currentStep").GetInt32());
        var recovery = Assert.Single(progress.GetProperty("recovery").EnumerateArray());
        Assert.Equal(c.Daan, recovery.GetProperty("clientId").GetGuid());

        api.Clock.Set(ExerciseWork.Utc("2027-06-13T10:00:00Z"));
        Assert.Equal(3, (await LogAsync(c.DaanPortal)).GetProperty("summary").GetProperty("soberDays").GetInt32());
        api.Clock.Set(ExerciseWork.Utc("2027-06-18T10:00:00Z"));
        alerts = (await (await c.Practice.Admin.GetAsync($"/api/v1/couples/{c.CoupleId}/alerts")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray().ToList();
        Assert.DoesNotContain(alerts, a => a.GetProperty("kind").GetString() == "recovery_setback");

        // The care team reads the log and records what was reported in session; the export carries it.
        var staffLog = await LogAsync(c.Practice.Admin, $"/api/v1/clients/{c.Daan}/recovery-log");
        Assert.Equal(4, staffLog.GetProperty("items").GetArrayLength());
        await (await c.Practice.Admin.PostAsJsonAsync($"/api/v1/clients/{c.Daan}/recovery-log", new { kind = "meeting",
            meeting = "Group, as told in session" }))
            .ReadJsonAsync(201);
        var export = await (await c.Practice.Admin.PostAsync($"/api/v1/clients/{c.Daan}/export", null))
            .ReadJsonAsync(200);
        Assert.Equal(5, export.GetProperty("recoveryLog").GetArrayLength());
    }

    [SkippableFact]
    public async Task Only_the_client_shares_the_log_with_their_partner_and_can_stop_sharing()
    {
        var c = await NewAsync();
        await (await c.DaanPortal.PostAsJsonAsync("/api/v1/me/recovery-log", new { kind = "setback",
            whatHappened = "A bet on the match." })).ReadJsonAsync(201);
        await (await c.LottePortal.GetAsync("/api/v1/me/partner/recovery-log")).AssertProblemAsync(403, "not-shared");

        var shared = await (await c.DaanPortal.PutAsJsonAsync("/api/v1/me/recovery-log/sharing",
            new { coupleId = c.CoupleId, sharedWithPartner = true }))
            .ReadJsonAsync(200);
        Assert.True(shared.GetProperty("sharedWithPartner").GetBoolean());
        Assert.Equal(c.Lotte, shared.GetProperty("partnerId").GetGuid());
        var seen = await LogAsync(c.LottePortal, "/api/v1/me/partner/recovery-log");
        Assert.Equal(c.Daan, seen.GetProperty("clientId").GetGuid());
        Assert.Equal("A bet on the match.", seen.GetProperty("items")[0].GetProperty("whatHappened").GetString());
        // Lotte keeps no log herself, and sharing is Daan's alone: her own page is empty and his choice is not hers to
        // make.
        Assert.Empty((await LogAsync(c.LottePortal)).GetProperty("items").EnumerateArray());
        await (await c.LottePortal.PutAsJsonAsync("/api/v1/me/recovery-log/sharing", new { coupleId = c.CoupleId,
            sharedWithPartner = true })).ReadJsonAsync(200);
        await (await c.DaanPortal.GetAsync("/api/v1/me/partner/recovery-log")).ReadJsonAsync(200);

        await (await c.DaanPortal.PutAsJsonAsync("/api/v1/me/recovery-log/sharing", new { coupleId = c.CoupleId,
            sharedWithPartner = false })).ReadJsonAsync(200);
        await (await c.LottePortal.GetAsync("/api/v1/me/partner/recovery-log")).AssertProblemAsync(403, "not-shared");

        // A client without a partner has no partner's log to read.
        var single = await c.Practice.Admin.CreateClientIdAsync();
        var alone = api.ClientWith(await c.Practice.PortalTokenAsync(single));
        await (await alone.GetAsync("/api/v1/me/partner/recovery-log")).AssertProblemAsync(404, "not-found");
    }

    [SkippableFact]
    public async Task Sharing_names_the_couple_so_a_client_in_two_couples_shares_with_one_partner_only()
    {
        var c = await NewAsync();
        // Daan is also in a second couple, with Iris (a new relationship, in care at the same practice).
        var iris = await c.Practice.Admin.CreateClientIdAsync();
        var second = (await (await c.Practice.Admin.PostAsJsonAsync("/api/v1/couples", new
        {
            partnerAId = c.Daan, partnerBId = iris, breachType = "hidden_addiction", partnerARole = "in_recovery", partnerBRole = "partner", startedOn = "2027-02-01",
        })).ReadJsonAsync(201)).GetProperty("id").GetGuid();
        var irisPortal = api.ClientWith(await c.Practice.PortalTokenAsync(iris));
        await (await c.DaanPortal.PostAsJsonAsync("/api/v1/me/recovery-log", new { kind = "setback",
            whatHappened = "A drink at the station." })).ReadJsonAsync(201);

        // Daan's couples, each with its partner; nothing shared yet.
        var choices = (await LogAsync(c.DaanPortal, "/api/v1/me/recovery-log/sharing")).EnumerateArray().ToList();
        Assert.Equal(new[] { c.CoupleId, second }.Order(), choices.Select(x => x.GetProperty("coupleId")
            .GetGuid()).Order());
        Assert.All(choices, x => Assert.False(x.GetProperty("sharedWithPartner").GetBoolean()));
        Assert.Equal(iris, choices.Single(x => x.GetProperty("coupleId").GetGuid() == second).GetProperty("partnerId")
            .GetGuid());

        // Sharing without naming the couple is refused and changes nothing; sharing names the couple with Lotte.
        var missing = await (await c.DaanPortal.PutAsJsonAsync("/api/v1/me/recovery-log/sharing",
            new { sharedWithPartner = true })).AssertProblemAsync(400, "validation");
        Assert.Contains("coupleId", missing.ErrorFields());
        await (await c.LottePortal.GetAsync("/api/v1/me/partner/recovery-log")).AssertProblemAsync(403, "not-shared");
        await (await c.DaanPortal.PutAsJsonAsync("/api/v1/me/recovery-log/sharing", new { coupleId = c.CoupleId,
            sharedWithPartner = true })).ReadJsonAsync(200);

        Assert.Equal("A drink at the station.",
            (await LogAsync(c.LottePortal, "/api/v1/me/partner/recovery-log"))
                .GetProperty("items")[0].GetProperty("whatHappened").GetString());
        await (await irisPortal.GetAsync("/api/v1/me/partner/recovery-log")).AssertProblemAsync(403, "not-shared");
        await (await irisPortal.GetAsync($"/api/v1/me/partner/recovery-log?coupleId={second}")).AssertProblemAsync(403,
            "not-shared");
        // Iris cannot reach the other couple's share by naming it: it is not her couple.
        await (await irisPortal.GetAsync($"/api/v1/me/partner/recovery-log?coupleId={c.CoupleId}"))
            .AssertProblemAsync(404, "not-found");
        // Daan, in two couples, names the couple whose partner's log he wants.
        var ambiguous = await (await c.DaanPortal.GetAsync("/api/v1/me/partner/recovery-log")).AssertProblemAsync(400,
            "validation");
        Assert.Contains("coupleId", ambiguous.ErrorFields());
        await (await c.DaanPortal.GetAsync($"/api/v1/me/partner/recovery-log?coupleId={c.CoupleId}"))
            .AssertProblemAsync(403, "not-shared");

        // His own page says where it is shared; a couple that is not his, or is closed, cannot be named.
        var mine = await LogAsync(c.DaanPortal);
        Assert.Equal([c.CoupleId], mine.GetProperty("sharedWithCoupleIds").EnumerateArray().Select(x => x.GetGuid()));
        var other = await NewAsync();
        await (await c.DaanPortal.PutAsJsonAsync("/api/v1/me/recovery-log/sharing", new { coupleId = other.CoupleId,
            sharedWithPartner = true }))
            .AssertProblemAsync(404, "not-found");

        // Sharing in the second couple as well reaches Iris; stopping it in the first leaves Lotte out again.
        await (await c.DaanPortal.PutAsJsonAsync("/api/v1/me/recovery-log/sharing", new { coupleId = second,
            sharedWithPartner = true })).ReadJsonAsync(200);
        await (await irisPortal.GetAsync("/api/v1/me/partner/recovery-log")).ReadJsonAsync(200);
        await (await c.DaanPortal.PutAsJsonAsync("/api/v1/me/recovery-log/sharing", new { coupleId = c.CoupleId,
            sharedWithPartner = false })).ReadJsonAsync(200);
        await (await c.LottePortal.GetAsync("/api/v1/me/partner/recovery-log")).AssertProblemAsync(403, "not-shared");
        await (await irisPortal.GetAsync("/api/v1/me/partner/recovery-log")).ReadJsonAsync(200);
        var partnerView = await LogAsync(irisPortal, "/api/v1/me/partner/recovery-log");
        Assert.Empty(partnerView.GetProperty("sharedWithCoupleIds").EnumerateArray());
    }

    [SkippableFact]
    public async Task The_log_needs_the_right_token_and_the_client_on_the_caseload()
    {
        var c = await NewAsync();
        var outsider = await c.Practice.AddTherapistAsync();
        await (await api.ClientWith(null).GetAsync("/api/v1/me/recovery-log")).AssertProblemAsync(401, "unauthorized");
        await (await c.Practice.Admin.GetAsync("/api/v1/me/recovery-log")).AssertProblemAsync(403, "forbidden");
        await (await c.Practice.Admin.PutAsJsonAsync("/api/v1/me/recovery-log/sharing", new { coupleId = c.CoupleId,
            sharedWithPartner = true }))
            .AssertProblemAsync(403, "forbidden");
        await (await c.DaanPortal.GetAsync($"/api/v1/clients/{c.Daan}/recovery-log")).AssertProblemAsync(403,
            "forbidden");
        await (await outsider.Client.GetAsync($"/api/v1/clients/{c.Daan}/recovery-log")).AssertProblemAsync(404,
            "not-found");
        await (await outsider.Client.PostAsJsonAsync($"/api/v1/clients/{c.Daan}/recovery-log",
            new { kind = "sober_day" })).AssertProblemAsync(404, "not-found");
        await (await c.DaanPortal.GetAsync("/api/v1/me/recovery-log?limit=0")).AssertProblemAsync(400, "validation");
        Assert.Empty((await LogAsync(c.Practice.Admin, $"/api/v1/clients/{c.Daan}/recovery-log")).GetProperty("items")
            .EnumerateArray());
    }
}

public sealed class RecoveryLogOnSqlite(SqliteApi api) : RecoveryLogSuite(api), IClassFixture<SqliteApi>;

public sealed class RecoveryLogOnSqlServer(SqlServerApi api) : RecoveryLogSuite(api), IClassFixture<SqlServerApi>;
