using System.Net.Http.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.RepairWork;

/// <summary>The repair path issue, part 4: example lines to start from, and the therapist's repairable/irreparable
/// assessment over time.</summary>
public abstract class RepairGuidanceSuite(ApiFactory api)
{
    [SkippableFact]
    public async Task Staff_and_partners_get_example_lines_and_steps_in_both_languages()
    {
        var c = await api.NewCoupleCaseAsync();
        foreach (var client in new[] { c.Practice.Admin, c.PortalA })
        {
            var suggestions = await (await client.GetAsync("/api/v1/repair-suggestions")).ReadJsonAsync(200);
            var line = suggestions.GetProperty("trustContract")[0];
            Assert.False(string.IsNullOrWhiteSpace(line.GetProperty("agreement").GetProperty("nl").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(line.GetProperty("measure").GetProperty("en").GetString()));
            Assert.True(suggestions.GetProperty("triggerPlan").GetProperty("whenYouAreTriggered")
                .GetArrayLength() >= 3);
        }

        await (await api.ClientWith(null).GetAsync("/api/v1/repair-suggestions")).AssertProblemAsync(401,
            "unauthorized");
        var integration = await c.Practice.IntegrationAsync("clients:read");
        await (await integration.GetAsync("/api/v1/repair-suggestions")).AssertProblemAsync(403, "forbidden");
    }

    [SkippableFact]
    public async Task A_therapist_records_the_signs_over_time_and_nobody_else_sees_them()
    {
        api.Clock.Set(ExerciseWork.Utc("2027-02-01T10:00:00Z"));
        var c = await api.NewCoupleCaseAsync(startedOn: "2027-01-04");
        var admin = c.Practice.Admin;
        var signs = await (await admin.GetAsync("/api/v1/repair-assessment-signs")).ReadJsonAsync(200);
        Assert.Equal(6, signs.GetProperty("repairable").GetArrayLength());
        Assert.Equal(7, signs.GetProperty("irreparable").GetArrayLength());

        var first = await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/repair-assessments", new
        {
            repairableSigns = new[] { "both_want_repair", "no_abuse_or_danger" }, irreparableSigns = new[] { "no_responsibility" },
            motivations = new[] { new { partnerId = c.B, answer = "fear_and_obligation" } }, outlook = "uncertain", note = "He still explains more than he owns.",
        })).ReadJsonAsync(201);
        Assert.Equal("2027-02-01", first.GetProperty("assessedOn").GetString());

        api.Clock.Set(ExerciseWork.Utc("2027-04-01T10:00:00Z"));
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/repair-assessments", new
        {
            repairableSigns = new[] { "both_want_repair", "no_abuse_or_danger", "full_responsibility", "progress_visible" }, irreparableSigns = Array.Empty<string>(),
            motivations = new[] { new { partnerId = c.A, answer = "love_and_hope" }, new { partnerId = c.B, answer = "love_and_hope" } }, outlook = "repairable",
        })).ReadJsonAsync(201);

        var list = (await (await admin.GetAsync($"/api/v1/couples/{c.CoupleId}/repair-assessments?limit=1"))
            .ReadJsonAsync(200));
        Assert.Equal("repairable", list.GetProperty("items")[0].GetProperty("outlook").GetString());
        var next = await (await admin.GetAsync($"/api/v1/couples/{c.CoupleId}/repair-assessments?limit=1&cursor={list.GetProperty("nextCursor").GetString()}")).ReadJsonAsync(200);
        Assert.Equal("uncertain", next.GetProperty("items")[0].GetProperty("outlook").GetString());

        // Invalid assessments name the field and change nothing.
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { repairableSigns = new[] { "hope" }, irreparableSigns = Array.Empty<string>(),
                         outlook = "uncertain" }, "repairableSigns"),
                     (new { repairableSigns = Array.Empty<string>(), irreparableSigns = new[] { "abuse", "abuse" },
                         outlook = "uncertain" }, "irreparableSigns"),
                     (new { repairableSigns = Array.Empty<string>(), irreparableSigns = Array.Empty<string>(),
                         outlook = "hopeless" }, "outlook"),
                     (new { repairableSigns = Array.Empty<string>(), irreparableSigns = Array.Empty<string>(),
                         outlook = "uncertain",
                         motivations = new[] { new { partnerId = Guid.NewGuid(), answer = "unclear" } } }, "motivations"),
                 })
        {
            var problem = await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/repair-assessments", body))
                .AssertProblemAsync(400, "validation");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} not named in {problem}");
        }

        Assert.Equal(2, (await (await admin.GetAsync($"/api/v1/couples/{c.CoupleId}/repair-assessments"))
            .ReadJsonAsync(200)).GetProperty("items").GetArrayLength());

        // Therapists only: not the partners, not integrations, not another caseload; and not in a partner's export.
        var outsider = await c.Practice.AddTherapistAsync();
        await (await c.PortalA.GetAsync($"/api/v1/couples/{c.CoupleId}/repair-assessments")).AssertProblemAsync(403,
            "forbidden");
        await (await c.PortalA.GetAsync("/api/v1/repair-assessment-signs")).AssertProblemAsync(403, "forbidden");
        var integration = await c.Practice.IntegrationAsync("clients:read", "fhir:read");
        await (await integration.GetAsync($"/api/v1/couples/{c.CoupleId}/repair-assessments")).AssertProblemAsync(403,
            "forbidden");
        await (await outsider.Client.GetAsync($"/api/v1/couples/{c.CoupleId}/repair-assessments"))
            .AssertProblemAsync(404, "not-found");
        await (await outsider.Client.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/repair-assessments",
            new { repairableSigns = Array.Empty<string>(), irreparableSigns = Array.Empty<string>(), outlook = "uncertain" })).AssertProblemAsync(404, "not-found");
        await (await api.ClientWith(null).GetAsync($"/api/v1/couples/{c.CoupleId}/repair-assessments"))
            .AssertProblemAsync(401, "unauthorized");
        // Like safety screenings: the care team only, so an admin who is not on it does not see them either.
        var otherAdmin = await c.Practice.AddTherapistAsync("admin");
        await (await otherAdmin.Client.GetAsync($"/api/v1/couples/{c.CoupleId}/repair-assessments"))
            .AssertProblemAsync(404, "not-found");
        await (await otherAdmin.Client.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/repair-assessments",
            new { repairableSigns = Array.Empty<string>(), irreparableSigns = Array.Empty<string>(), outlook = "uncertain" })).AssertProblemAsync(404, "not-found");
        var export = await (await admin.PostAsync($"/api/v1/clients/{c.A}/export", null)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("He still explains", export);
        Assert.DoesNotContain("fear_and_obligation", export);
    }
}

public sealed class RepairGuidanceOnSqlite(SqliteApi api) : RepairGuidanceSuite(api), IClassFixture<SqliteApi>;

public sealed class RepairGuidanceOnSqlServer(SqlServerApi api) : RepairGuidanceSuite(api), IClassFixture<SqlServerApi>;
