using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Couples;

public abstract class CoupleSuite(ApiFactory api)
{
    [SkippableTheory]
    [InlineData("repeated_small_breaches", 3, 6)]
    [InlineData("emotional_affair", 6, 12)]
    [InlineData("physical_affair", 12, 24)]
    [InlineData("repeated_breaches", 24, null)]
    public async Task A_new_couple_starts_at_step_one_with_the_expected_recovery_window(string breachType,
        int min, int? max)
    {
        var practice = await api.NewPracticeAsync();
        var a = await practice.Admin.CreateClientIdAsync();
        var b = await practice.Admin.CreateClientIdAsync();
        var couple = await practice.Admin.CreateCoupleAsync(a, b, breachType);

        Assert.Equal(1, couple.GetProperty("currentStep").GetInt32());
        Assert.Equal("Acknowledge the hurt and take responsibility", couple.GetProperty("currentStepName")
            .GetProperty("en").GetString());
        Assert.False(string.IsNullOrEmpty(couple.GetProperty("currentStepName").GetProperty("nl").GetString()));
        Assert.Equal(min, couple.GetProperty("expectedRecovery").GetProperty("minMonths").GetInt32());
        var maxMonths = couple.GetProperty("expectedRecovery").GetProperty("maxMonths");
        Assert.Equal(max, maxMonths.ValueKind == JsonValueKind.Null ? null : maxMonths.GetInt32());
        Assert.Equal("active", couple.GetProperty("status").GetString());
        Assert.False(couple.GetProperty("safetyHold").GetBoolean());
        Assert.Equal(0, couple.GetProperty("monthsInRepair").GetInt32());
    }

    [SkippableFact]
    public async Task Breach_types_without_a_window_have_no_expected_recovery_and_months_in_repair_follow_the_clock()
    {
        var practice = await api.NewPracticeAsync();
        var a = await practice.Admin.CreateClientIdAsync();
        var b = await practice.Admin.CreateClientIdAsync();
        var today = api.Today;
        var response = await practice.Admin.PostAsJsonAsync("/api/v1/couples", new
        {
            partnerAId = a, partnerBId = b, breachType = "hidden_addiction", partnerARole = "in_recovery", partnerBRole = "partner",
            startedOn = today.AddMonths(-7).AddDays(-1).ToString("yyyy-MM-dd"),
        });
        var couple = await response.ReadJsonAsync(201);
        Assert.Equal(JsonValueKind.Null, couple.GetProperty("expectedRecovery").ValueKind);
        Assert.Equal(7, couple.GetProperty("monthsInRepair").GetInt32());
    }

    [SkippableFact]
    public async Task Invalid_couples_are_400_and_nothing_is_created()
    {
        var practice = await api.NewPracticeAsync();
        var a = await practice.Admin.CreateClientIdAsync();
        var b = await practice.Admin.CreateClientIdAsync();
        var same = await practice.Admin.PostAsJsonAsync("/api/v1/couples",
            new { partnerAId = a, partnerBId = a, breachType = "other", partnerARole = "breaching", partnerBRole = "hurt" });
        Assert.Contains("partnerBId", (await same.AssertProblemAsync(400, "validation")).ErrorFields());

        // A value outside a closed set is named with the set (it stops the body being read, so it comes alone).
        var unknown = await practice.Admin.PostAsJsonAsync("/api/v1/couples",
            new { partnerAId = a, partnerBId = b, breachType = "betrayal", partnerARole = "breaching", partnerBRole = "hurt" });
        var problem = await unknown.AssertProblemAsync(400, "validation");
        Assert.Equal("breachType must be one of: repeated_small_breaches, lies_or_secrets, financial_secrets, emotional_affair, physical_affair, " +
                     "hidden_addiction, repeated_breaches, other.", problem.GetProperty("errors")
                         .GetProperty("breachType")[0].GetString());

        var bad = await practice.Admin.PostAsJsonAsync("/api/v1/couples",
            new { partnerAId = a, partnerBId = b, breachType = "other", partnerARole = "breaching", partnerBRole = "breaching", disclosedOn = "2999-01-01" });
        var fields = (await bad.AssertProblemAsync(400, "validation")).ErrorFields().ToList();
        Assert.Contains("partnerBRole", fields);
        Assert.Contains("disclosedOn", fields);
        Assert.Empty((await (await practice.Admin.GetAsync("/api/v1/couples")).ReadJsonAsync(200)).Ids());
    }

    [SkippableFact]
    public async Task The_same_two_people_cannot_have_two_open_couples_but_can_start_again_after_closing()
    {
        var practice = await api.NewPracticeAsync();
        var a = await practice.Admin.CreateClientIdAsync();
        var b = await practice.Admin.CreateClientIdAsync();
        var first = (await practice.Admin.CreateCoupleAsync(a, b)).GetProperty("id").GetGuid();

        var again = await practice.Admin.PostAsJsonAsync("/api/v1/couples",
            new { partnerAId = b, partnerBId = a, breachType = "lies_or_secrets", partnerARole = "breaching", partnerBRole = "hurt" });
        var problem = await again.AssertProblemAsync(409, "duplicate-couple");
        Assert.Equal(first, problem.GetProperty("existingCoupleId").GetGuid());

        Assert.Equal(204, (int)(await practice.Admin.PostAsync($"/api/v1/couples/{first}/close", null)).StatusCode);
        await (await practice.Admin.PostAsync($"/api/v1/couples/{first}/close", null)).AssertProblemAsync(409,
            "invalid-transition");
        await practice.Admin.CreateCoupleAsync(b, a);
    }

    [SkippableFact]
    public async Task A_therapist_sees_a_couple_only_when_on_the_care_team_of_both_partners()
    {
        var practice = await api.NewPracticeAsync();
        var ann = await practice.AddTherapistAsync();
        var a = await ann.Client.CreateClientIdAsync();
        var b = await practice.Admin.CreateClientIdAsync(); // not on Ann's caseload
        await (await ann.Client.PostAsJsonAsync("/api/v1/couples",
            new { partnerAId = a, partnerBId = b, breachType = "other", partnerARole = "breaching", partnerBRole = "hurt" })).AssertProblemAsync(404, "not-found");

        var coupleId = (await practice.Admin.CreateCoupleAsync(a, b)).GetProperty("id").GetGuid();
        await (await ann.Client.GetAsync($"/api/v1/couples/{coupleId}")).AssertProblemAsync(404);
        await (await ann.Client.GetAsync($"/api/v1/couples/{coupleId}/steps")).AssertProblemAsync(404);
        await (await ann.Client.PostAsJsonAsync($"/api/v1/couples/{coupleId}/step", new { step = 2 }))
            .AssertProblemAsync(404);
        Assert.Empty((await (await ann.Client.GetAsync("/api/v1/couples")).ReadJsonAsync(200)).Ids());

        await practice.Admin.SendAsync(Api.Put($"/api/v1/clients/{b}/care-team",
            new { therapistIds = new[] { practice.AdminId, ann.Id } }));
        await (await ann.Client.GetAsync($"/api/v1/couples/{coupleId}")).ReadJsonAsync(200);
        Assert.Equal([coupleId], (await (await ann.Client.GetAsync("/api/v1/couples")).ReadJsonAsync(200)).Ids());
    }

    [SkippableFact]
    public async Task Steps_move_forward_and_back_and_every_move_is_in_the_history()
    {
        var practice = await api.NewPracticeAsync();
        var (coupleId, _, _) = await practice.Admin.CreateCoupleWithClientsAsync();
        var three = await (await practice.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/step", new { step = 3,
            note = "Open about everything now" })).ReadJsonAsync(200);
        Assert.Equal(3, three.GetProperty("currentStep").GetInt32());
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/step", new { step = 2,
            note = "Setback after new secret" })).ReadJsonAsync(200);
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/step", new { step = 2 }))
            .AssertProblemAsync(409, "invalid-transition");
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/step", new { step = 8 }))
            .AssertProblemAsync(400, "validation");

        var history = (await (await practice.Admin.GetAsync($"/api/v1/couples/{coupleId}/steps")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([(int?)null, 1, 3], history.Select(h => h.GetProperty("fromStep")
            .ValueKind == JsonValueKind.Null ? (int?)null : h.GetProperty("fromStep").GetInt32()));
        Assert.Equal([1, 3, 2], history.Select(h => h.GetProperty("toStep").GetInt32()));
        Assert.Equal("Setback after new secret", history[2].GetProperty("note").GetString());
        Assert.All(history, h => Assert.Equal(practice.AdminId, h.GetProperty("changedBy").GetGuid()));

        var paged = await (await practice.Admin.GetAsync($"/api/v1/couples/{coupleId}/steps?limit=2"))
            .ReadJsonAsync(200);
        var next = paged.GetProperty("nextCursor").GetString();
        var rest = await (await practice.Admin.GetAsync($"/api/v1/couples/{coupleId}/steps?limit=2&cursor={next}"))
            .ReadJsonAsync(200);
        Assert.Equal(history.Select(h => h.GetProperty("id").GetGuid()), paged.Ids().Concat(rest.Ids()));
    }

    [SkippableFact]
    public async Task A_new_breach_is_recorded_and_listed()
    {
        var practice = await api.NewPracticeAsync();
        var (coupleId, a, _) = await practice.Admin.CreateCoupleWithClientsAsync();
        var breach = await (await practice.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/breaches",
            new { occurredOn = "2026-02-01", type = "lies_or_secrets", note = "Hidden messages found" }))
                .ReadJsonAsync(201);
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/breaches",
            new { occurredOn = "2026-02-01", type = "nope" }))
            .AssertProblemAsync(400, "validation");
        var list = await (await practice.Admin.GetAsync($"/api/v1/couples/{coupleId}/breaches")).ReadJsonAsync(200);
        Assert.Equal([breach.GetProperty("id").GetGuid()], list.Ids());
        var events = await practice.AuditEventsAsync($"clientId={a}");
        Assert.Contains(events, e => e.GetProperty("resourceType").GetString() == "couple_breach"
            && e.GetProperty("action").GetString() == "create");
    }

    [SkippableFact]
    public async Task A_concern_in_the_latest_screening_of_either_partner_puts_the_couple_on_safety_hold()
    {
        var practice = await api.NewPracticeAsync();
        var (coupleId, a, b) = await practice.Admin.CreateCoupleWithClientsAsync();
        async Task<bool> Hold() => (await (await practice.Admin.GetAsync($"/api/v1/couples/{coupleId}"))
            .ReadJsonAsync(200)).GetProperty("safetyHold").GetBoolean();

        await (await practice.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/safety-screenings",
            new { clientId = a, abuseOrDanger = false, untreatedAddiction = false })).ReadJsonAsync(201);
        Assert.False(await Hold());
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/safety-screenings",
            new { clientId = b, abuseOrDanger = false, untreatedAddiction = true, notes = "Drinking daily, no treatment yet" })).ReadJsonAsync(201);
        Assert.True(await Hold());
        Assert.Equal([coupleId], (await (await practice.Admin.GetAsync("/api/v1/couples?safetyHold=true"))
            .ReadJsonAsync(200)).Ids());

        api.Clock.Advance(TimeSpan.FromSeconds(1));
        await practice.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/safety-screenings", new { clientId = b,
            abuseOrDanger = false, untreatedAddiction = false });
        Assert.False(await Hold());
        Assert.Empty((await (await practice.Admin.GetAsync("/api/v1/couples?safetyHold=true"))
            .ReadJsonAsync(200)).Ids());

        var screenings = await (await practice.Admin.GetAsync($"/api/v1/couples/{coupleId}/safety-screenings"))
            .ReadJsonAsync(200);
        Assert.Equal(3, screenings.Ids().Count);
        Assert.Equal("Drinking daily, no treatment yet", screenings.GetProperty("items")[1].GetProperty("notes")
            .GetString());
    }

    [SkippableFact]
    public async Task Screenings_are_for_the_care_team_only_even_for_admins()
    {
        var practice = await api.NewPracticeAsync();
        var ann = await practice.AddTherapistAsync();
        var (coupleId, a, _) = await ann.Client.CreateCoupleWithClientsAsync();
        await (await ann.Client.PostAsJsonAsync($"/api/v1/couples/{coupleId}/safety-screenings",
            new { clientId = a, abuseOrDanger = true, untreatedAddiction = false })).ReadJsonAsync(201);

        await (await practice.Admin.GetAsync($"/api/v1/couples/{coupleId}/safety-screenings")).AssertProblemAsync(404);
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/safety-screenings",
            new { clientId = a, abuseOrDanger = false, untreatedAddiction = false })).AssertProblemAsync(404);
        var couple = await (await practice.Admin.GetAsync($"/api/v1/couples/{coupleId}")).ReadJsonAsync(200);
        Assert.True(couple.GetProperty("safetyHold").GetBoolean());

        var stranger = await practice.Admin.CreateClientIdAsync();
        await (await ann.Client.PostAsJsonAsync($"/api/v1/couples/{coupleId}/safety-screenings",
            new { clientId = stranger, abuseOrDanger = false, untreatedAddiction = false })).AssertProblemAsync(404);
        var integration = await practice.IntegrationAsync("clients:read");
        await (await integration.GetAsync($"/api/v1/couples/{coupleId}")).AssertProblemAsync(403);
    }

    [SkippableFact]
    public async Task Updates_pause_a_couple_with_etags_and_refuse_closing_or_stale_versions()
    {
        var practice = await api.NewPracticeAsync();
        var (coupleId, _, _) = await practice.Admin.CreateCoupleWithClientsAsync();
        var body = new { breachType = "physical_affair", partnerARole = "hurt", partnerBRole = "breaching", disclosedOn = "2026-01-10", startedOn = "2026-01-15", status = "paused" };

        var updated = await (await practice.Admin.SendAsync(Api.Put($"/api/v1/couples/{coupleId}", body)
            .WithIfMatch(1))).ReadJsonAsync(200);
        Assert.Equal("paused", updated.GetProperty("status").GetString());
        Assert.Equal(12, updated.GetProperty("expectedRecovery").GetProperty("minMonths").GetInt32());
        Assert.Equal("hurt", updated.GetProperty("partnerARole").GetString());

        await (await practice.Admin.SendAsync(Api.Put($"/api/v1/couples/{coupleId}", body with { status = "active" })
            .WithIfMatch(1)))
            .AssertProblemAsync(412, "stale-version");
        await (await practice.Admin.SendAsync(Api.Put($"/api/v1/couples/{coupleId}", body with { status = "closed" })))
            .AssertProblemAsync(400, "validation");
        var after = await (await practice.Admin.GetAsync($"/api/v1/couples/{coupleId}")).ReadJsonAsync(200);
        Assert.Equal("paused", after.GetProperty("status").GetString());
        Assert.Equal(2, after.GetProperty("version").GetInt32());
    }

    [SkippableFact]
    public async Task No_new_work_starts_for_a_discharged_client_or_a_closed_couple_on_any_route()
    {
        var practice = await api.NewPracticeAsync();
        var admin = practice.Admin;
        var (coupleId, a, _) = await admin.CreateCoupleWithClientsAsync();
        var other = await admin.CreateClientIdAsync();
        await admin.PostAsync($"/api/v1/clients/{a}/discharge", null);
        var start = api.Clock.GetUtcNow().UtcDateTime.Date.AddDays(2).AddHours(9);
        var checkIn = PracticeApi.Features.Exercises.BuiltInCatalogue.IdFor("daily_check_in");

        await (await admin.PostAsJsonAsync("/api/v1/couples", new { partnerAId = a, partnerBId = other,
            breachType = "other", partnerARole = "breaching", partnerBRole = "hurt" }))
            .AssertProblemAsync(409, "client-discharged");
        await (await admin.PostSessionAsync(new { clientId = a }, start)).AssertProblemAsync(409, "client-discharged");
        await (await admin.PostSessionAsync(new { coupleId }, start)).AssertProblemAsync(409, "client-discharged");
        await (await admin.PostAsJsonAsync("/api/v1/assignments", new { templateId = checkIn, coupleId }))
            .AssertProblemAsync(409, "client-discharged");
        await (await admin.PostAsJsonAsync("/api/v1/assignments", new { templateId = checkIn, clientId = a }))
            .AssertProblemAsync(409, "client-discharged");
        await (await admin.PostAsJsonAsync($"/api/v1/clients/{a}/portal-tokens", new { })).AssertProblemAsync(409,
            "client-discharged");

        await admin.PostAsync($"/api/v1/clients/{a}/reactivate", null);
        await admin.PostAsync($"/api/v1/couples/{coupleId}/close", null);
        await (await admin.PostSessionAsync(new { coupleId }, start)).AssertProblemAsync(409, "invalid-transition");
        await (await admin.PostAsJsonAsync("/api/v1/assignments", new { templateId = checkIn, coupleId }))
            .AssertProblemAsync(409, "invalid-transition");

        Assert.Empty((await (await admin.GetAsync("/api/v1/sessions")).ReadJsonAsync(200)).Ids());
        Assert.Empty((await (await admin.GetAsync("/api/v1/assignments")).ReadJsonAsync(200)).Ids());
        Assert.Single((await (await admin.GetAsync("/api/v1/couples")).ReadJsonAsync(200)).Ids());
        await (await admin.PostSessionAsync(new { clientId = a }, start)).ReadJsonAsync(201);
    }

    [SkippableFact]
    public async Task Couple_reads_and_changes_are_audited_for_both_partners()
    {
        var practice = await api.NewPracticeAsync();
        var (coupleId, a, b) = await practice.Admin.CreateCoupleWithClientsAsync();
        await practice.Admin.GetAsync($"/api/v1/couples/{coupleId}");
        await practice.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/step", new { step = 2 });
        foreach (var partner in new[] { a, b })
        {
            var events = (await practice.AuditEventsAsync($"clientId={partner}"))
                .Where(e => e.GetProperty("resourceType").GetString() == "couple").ToList();
            Assert.Contains(events, e => e.GetProperty("action").GetString() == "create");
            Assert.Contains(events, e => e.GetProperty("action").GetString() == "read");
            Assert.Contains(events, e => e.GetProperty("action").GetString() == "update");
        }
    }
}

public sealed class CouplesOnSqlite(SqliteApi api) : CoupleSuite(api), IClassFixture<SqliteApi>;

public sealed class CouplesOnSqlServer(SqlServerApi api) : CoupleSuite(api), IClassFixture<SqlServerApi>;
