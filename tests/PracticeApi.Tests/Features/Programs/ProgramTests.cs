using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PracticeApi.Features.Assignments;
using PracticeApi.Features.Programs;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Programs;

/// <summary>Programs (the repair path issue, part 1): a couple moved from exercise to exercise along the repair
/// steps.</summary>
public abstract class ProgramSuite(ApiFactory api)
{
    private static readonly Guid AfterInfidelity = BuiltInPrograms.IdFor(BuiltInPrograms.AfterInfidelityKey);
    private static readonly Guid AfterAddiction = BuiltInPrograms.IdFor(BuiltInPrograms.AfterHiddenAddictionKey);

    private static async Task<JsonElement> EnrolmentAsync(HttpClient staff, Guid couple) =>
        Assert.Single((await (await staff.GetAsync($"/api/v1/couples/{couple}/programs")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());

    private static Dictionary<string, (string State, string? DueOn, Guid? Assignment)> Items(JsonElement enrolment) =>
        enrolment.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("key").GetString()!, i => (
            i.GetProperty("state").GetString()!,
            i.GetProperty("dueOn").ValueKind == JsonValueKind.Null ? null : i.GetProperty("dueOn").GetString(),
            i.GetProperty("assignmentId").ValueKind == JsonValueKind.Null ? (Guid?)null : i.GetProperty("assignmentId")
                .GetGuid()));

    private static async Task<JsonElement> AssignmentAsync(HttpClient staff, Guid id) =>
        await (await staff.GetAsync($"/api/v1/assignments/{id}")).ReadJsonAsync(200);

    private static async Task<int> AssignmentCountAsync(HttpClient staff, Guid couple) =>
        (await (await staff.GetAsync($"/api/v1/assignments?coupleId={couple}&limit=200")).ReadJsonAsync(200))
            .Ids().Count;

    [SkippableFact]
    public async Task The_infidelity_program_runs_a_couple_from_step_1_to_step_4_on_a_controlled_clock()
    {
        api.Clock.Set(ExerciseWork.Utc("2027-03-01T09:00:00Z")); // a Monday morning in Amsterdam
        var c = await api.NewCoupleCaseAsync(startedOn: "2027-02-15");
        var admin = c.Practice.Admin;
        var runner = api.Services.GetRequiredService<ProgramRunner>();

        var enrolled = await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/programs",
            new { programId = AfterInfidelity })).ReadJsonAsync(201);
        Assert.Equal("active", enrolled.GetProperty("status").GetString());
        Assert.Equal("Herstel na ontrouw", enrolled.GetProperty("title").GetProperty("nl").GetString());
        var items = Items(enrolled);
        Assert.Equal("assigned", items["letter"].State);
        Assert.Equal("assigned", items["check_in"].State);
        Assert.Equal(("waiting", (string?)null, (Guid?)null), items["reply"]);
        Assert.Equal("waiting", items["trust_contract"].State);

        // The letter goes to the partner who broke the trust, released by the therapist; a month of daily check-ins for
        // both.
        var letter = await AssignmentAsync(admin, items["letter"].Assignment!.Value);
        Assert.Equal([c.A], letter.GetProperty("respondentIds").EnumerateArray().Select(r => r.GetGuid()));
        Assert.Equal("therapist_release", letter.GetProperty("visibility").GetString());
        var checkIn = await AssignmentAsync(admin, items["check_in"].Assignment!.Value);
        Assert.Equal(30, checkIn.GetProperty("occurrences").GetInt32());
        Assert.Equal("2027-03-01", checkIn.GetProperty("startsOn").GetString());

        // Running again makes nothing twice.
        Assert.Equal(0, await runner.AdvanceCoupleAsync(c.Practice.PracticeId, c.CoupleId, CancellationToken.None));
        Assert.Equal(2, await AssignmentCountAsync(admin, c.CoupleId));

        // Reminders for the program's check-in arrive as events, like for any assignment.
        api.Clock.Set(ExerciseWork.Utc("2027-03-01T18:30:00Z")); // 19:30 in Amsterdam, 90 minutes before 21:00
        await api.Services.GetRequiredService<OccurrenceNotifier>().NotifyAsync(CancellationToken.None);
        var events = (await (await admin.GetAsync("/api/v1/events?limit=200")).ReadJsonAsync(200)).GetProperty("items")
            .EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "assignment.occurrence_due")
            .Select(e => e.GetProperty("data").GetProperty("assignmentId").GetGuid()).ToList();
        Assert.Equal(2, events.Count(e => e == items["check_in"].Assignment));

        // The letter is written and released; the hurt partner's reply follows a week later.
        var answers = new
        {
            what_i_did = "I lied for months.", impact_on_you = "You doubt yourself.", why_it_happened = "I avoided us.",
            what_i_will_do = "Be open.", what_i_need = "Time.",
        };
        var response = await (await c.PortalA.PostAsJsonAsync(
            $"/api/v1/me/assignments/{letter.GetProperty("id").GetGuid()}/responses", new { answers }))
            .ReadJsonAsync(201);
        await (await admin.PostAsJsonAsync($"/api/v1/responses/{response.GetProperty("id").GetGuid()}/review",
            new { release = true })).ReadJsonAsync(200);
        Assert.Equal(("waiting", "2027-03-08", (Guid?)null), Items(await EnrolmentAsync(admin, c.CoupleId))["reply"]);

        api.Clock.Set(ExerciseWork.Utc("2027-03-07T12:00:00Z"));
        Assert.Equal(0, await runner.AdvanceCoupleAsync(c.Practice.PracticeId, c.CoupleId, CancellationToken.None));
        api.Clock.Set(ExerciseWork.Utc("2027-03-08T08:00:00Z"));
        await runner.AdvanceAllAsync(
            CancellationToken.None); // the poll's round over every couple with a running program
        var reply = await AssignmentAsync(admin, Items(await EnrolmentAsync(admin,
            c.CoupleId))["reply"].Assignment!.Value);
        Assert.Equal([c.B], reply.GetProperty("respondentIds").EnumerateArray().Select(r => r.GetGuid()));
        Assert.Equal(PracticeApi.Features.Exercises.BuiltInCatalogue.IdFor("hurt_partner_reply"),
            reply.GetProperty("templateId").GetGuid());

        // Steps 2, 3 and 4: what lay underneath at 3; the contract, trigger plan and boundaries at 4; their review a
        // month on.
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/step", new { step = 2 })).ReadJsonAsync(200);
        Assert.Equal(3, await AssignmentCountAsync(admin, c.CoupleId));
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/step", new { step = 3 })).ReadJsonAsync(200);
        Assert.Equal("assigned", Items(await EnrolmentAsync(admin, c.CoupleId))["underlying_causes"].State);
        api.Clock.Set(ExerciseWork.Utc("2027-03-22T08:00:00Z"));
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/step", new { step = 4 })).ReadJsonAsync(200);
        items = Items(await EnrolmentAsync(admin, c.CoupleId));
        Assert.All(new[] { "trust_contract", "trigger_plan", "boundaries" }, key => Assert.Equal("assigned",
            items[key].State));
        Assert.Equal(("waiting", "2027-04-21", (Guid?)null), items["boundary_review"]);
        Assert.Equal(("waiting", (string?)null, (Guid?)null), items["trust_rating"]);
        Assert.Equal(7, await AssignmentCountAsync(admin, c.CoupleId));

        api.Clock.Set(ExerciseWork.Utc("2027-04-21T08:00:00Z"));
        Assert.Equal(1, await runner.AdvanceCoupleAsync(c.Practice.PracticeId, c.CoupleId, CancellationToken.None));
        var review = await AssignmentAsync(admin, Items(await EnrolmentAsync(admin,
            c.CoupleId))["boundary_review"].Assignment!.Value);
        Assert.Equal("monthly", review.GetProperty("cadence").GetString());

        // Every assignment the program made is audited as the system's, and each item only once.
        Assert.Equal(8, await AssignmentCountAsync(admin, c.CoupleId));
        var made = (await c.Practice.AuditEventsAsync("")).Where(e => e.GetProperty("resourceType")
            .GetString() == "assignment" &&
                                                                     e.GetProperty("action")
                                                                         .GetString() == "create").ToList();
        Assert.Equal(8, made.Count);
        Assert.All(made, e => Assert.Equal("system", e.GetProperty("actorKind").GetString()));

        // Stopped: nothing new follows the next step; what was made stays.
        var enrolmentId = (await EnrolmentAsync(admin, c.CoupleId)).GetProperty("id").GetGuid();
        var stopped = await (await admin.PostAsync($"/api/v1/couples/{c.CoupleId}/programs/{enrolmentId}/stop", null))
            .ReadJsonAsync(200);
        Assert.Equal("stopped", stopped.GetProperty("status").GetString());
        await (await admin.PostAsync($"/api/v1/couples/{c.CoupleId}/programs/{enrolmentId}/stop", null))
            .AssertProblemAsync(409, "invalid-transition");
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/step", new { step = 5 })).ReadJsonAsync(200);
        Assert.Equal(0, await runner.AdvanceCoupleAsync(c.Practice.PracticeId, c.CoupleId, CancellationToken.None));
        Assert.Equal(8, await AssignmentCountAsync(admin, c.CoupleId));
    }

    [SkippableFact]
    public async Task A_safety_hold_keeps_shared_items_due_until_it_is_lifted()
    {
        api.Clock.Set(ExerciseWork.Utc("2027-05-03T09:00:00Z"));
        var c = await api.NewCoupleCaseAsync(startedOn: "2027-05-01");
        var admin = c.Practice.Admin;
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings", new { clientId = c.A,
            abuseOrDanger = true, untreatedAddiction = false }))
            .ReadJsonAsync(201);

        var items = Items(await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/programs",
            new { programId = AfterInfidelity })).ReadJsonAsync(201));
        Assert.Equal("assigned",
            items["letter"].State);          // individual and released by the therapist: allowed during a hold
        Assert.Equal(("due", "2027-05-03", (Guid?)null),
            items["check_in"]); // shows one partner's answers to the other: waits
        var enrolment = await EnrolmentAsync(admin, c.CoupleId);
        var checkIn = enrolment.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("key")
            .GetString() == "check_in");
        Assert.Contains("safety hold", checkIn.GetProperty("reason").GetString());
        Assert.Equal(1, await AssignmentCountAsync(admin, c.CoupleId));

        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings", new { clientId = c.A,
            abuseOrDanger = false, untreatedAddiction = false }))
            .ReadJsonAsync(201);
        Assert.Equal("assigned", Items(await EnrolmentAsync(admin, c.CoupleId))["check_in"].State);
    }

    [SkippableFact]
    public async Task A_paused_repair_case_makes_nothing_new_until_it_resumes()
    {
        api.Clock.Set(ExerciseWork.Utc("2027-07-05T09:00:00Z"));
        var c = await api.NewCoupleCaseAsync(startedOn: "2027-07-01");
        var admin = c.Practice.Admin;
        var runner = api.Services.GetRequiredService<ProgramRunner>();
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/programs",
            new { programId = AfterInfidelity })).ReadJsonAsync(201);
        Assert.Equal(2, await AssignmentCountAsync(admin, c.CoupleId));

        async Task<JsonElement> SetStatusAsync(string status)
        {
            var couple = await (await admin.GetAsync($"/api/v1/couples/{c.CoupleId}")).ReadJsonAsync(200);
            var body = new
            {
                breachType = couple.GetProperty("breachType")
                    .GetString(), partnerARole = couple.GetProperty("partnerARole").GetString(),
                partnerBRole = couple.GetProperty("partnerBRole")
                    .GetString(), startedOn = couple.GetProperty("startedOn").GetString(), status,
            };
            return await (await admin.SendAsync(Api.Put($"/api/v1/couples/{c.CoupleId}", body)
                .WithIfMatch(couple.GetProperty("version").GetInt32())))
                .ReadJsonAsync(200);
        }

        // Paused: step 3's item comes due but is not made, by the step change or by the poll's round, and says why.
        Assert.Equal("paused", (await SetStatusAsync("paused")).GetProperty("status").GetString());
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/step", new { step = 3 })).ReadJsonAsync(200);
        await runner.AdvanceAllAsync(
            CancellationToken.None); // other tests' enrolments may have work due; this couple has none
        Assert.Equal(2, await AssignmentCountAsync(admin, c.CoupleId));
        var due = Assert.Single((await EnrolmentAsync(admin, c.CoupleId)).GetProperty("items").EnumerateArray(),
            i => i.GetProperty("state").GetString() == "due");
        Assert.Equal("underlying_causes", due.GetProperty("key").GetString());
        Assert.Contains("paused", due.GetProperty("reason").GetString());
        Assert.Equal("2027-07-05", due.GetProperty("dueOn").GetString());

        // Resumed a day later: made at once (due since the step change); nothing twice afterwards.
        api.Clock.Set(ExerciseWork.Utc("2027-07-06T09:00:00Z"));
        Assert.Equal("active", (await SetStatusAsync("active")).GetProperty("status").GetString());
        var made = Items(await EnrolmentAsync(admin, c.CoupleId))["underlying_causes"];
        Assert.Equal(("assigned", "2027-07-05"), (made.State, made.DueOn));
        Assert.Equal(3, await AssignmentCountAsync(admin, c.CoupleId));
        Assert.Equal(0, await runner.AdvanceAllAsync(CancellationToken.None));
        Assert.Equal(3, await AssignmentCountAsync(admin, c.CoupleId));
    }

    [SkippableFact]
    public async Task The_addiction_program_gives_the_partner_in_recovery_and_the_loved_one_their_own_work()
    {
        api.Clock.Set(ExerciseWork.Utc("2027-06-07T09:00:00Z"));
        var practice = await api.NewPracticeAsync();
        var daan = await practice.Admin.CreateClientIdAsync();
        var lotte = await practice.Admin.CreateClientIdAsync();
        var couple = (await (await practice.Admin.PostAsJsonAsync("/api/v1/couples", new
        {
            partnerAId = daan, partnerBId = lotte, breachType = "hidden_addiction", partnerARole = "in_recovery", partnerBRole = "partner", startedOn = "2027-06-01",
        })).ReadJsonAsync(201)).GetProperty("id").GetGuid();
        var items = Items(await (await practice.Admin.PostAsJsonAsync($"/api/v1/couples/{couple}/programs",
            new { programId = AfterAddiction })).ReadJsonAsync(201));

        async Task<List<Guid>> RespondentsOf(string key) =>
            (await AssignmentAsync(practice.Admin, items[key].Assignment!.Value)).GetProperty("respondentIds")
                .EnumerateArray().Select(r => r.GetGuid()).ToList();
        Assert.Equal([daan], await RespondentsOf("letter"));
        Assert.Equal([daan], await RespondentsOf("support_network"));
        Assert.Equal([lotte], await RespondentsOf("self_care"));

        var portal = api.ClientWith(await practice.PortalTokenAsync(lotte));
        var mine = (await (await portal.GetAsync("/api/v1/me/assignments")).ReadJsonAsync(200)).GetProperty("items")
            .EnumerateArray()
            .Select(a => a.GetProperty("templateId").GetGuid()).ToList();
        Assert.Contains(ExerciseWork.TemplateId("loved_one_self_care"), mine);
        var answered = await (await portal.PostAsJsonAsync(
            $"/api/v1/me/assignments/{items["self_care"].Assignment}/responses", new
        {
            answers = new { what_i_did_for_myself = "A long walk with my sister.", who_supported_me = "My sister", energy = 5 },
        })).ReadJsonAsync(201);
        Assert.Equal("2027-06-07", answered.GetProperty("occurrenceDate").GetString());

        await (await practice.Admin.PostAsJsonAsync($"/api/v1/couples/{couple}/step", new { step = 3 }))
            .ReadJsonAsync(200);
        items = Items(await EnrolmentAsync(practice.Admin, couple));
        Assert.Equal([lotte], await RespondentsOf("enabling"));
    }

    [SkippableFact]
    public async Task A_practice_writes_and_versions_its_own_program_and_enrolments_keep_their_version()
    {
        var practice = await api.NewPracticeAsync();
        var admin = practice.Admin;
        object Body(int days, string title = "Eerste maand") => new
        {
            key = "first_month", title = new { en = "First month", nl = title },
            description = new { en = "Check-ins, then the rating.", nl = "Check-ins, daarna de score." },
            items = new object[]
            {
                new { key = "check_in", templateId = ExerciseWork.DailyCheckIn, occurrences = 14, visibility = "private", start = new { on = "start", offsetDays = 0 } },
                new { key = "rating", templateId = ExerciseWork.TemplateId(
                    "weekly_trust_rating"), start = new { on = "start", offsetDays = days } },
            },
        };

        var invalid = await (await admin.PostAsJsonAsync("/api/v1/programs", new
        {
            key = "Bad Key", title = new { en = "", nl = "x" }, description = new { en = "d", nl = "d" },
            items = new object[]
            {
                new { key = "reply", templateId = ExerciseWork.DailyCheckIn, start = new { on = "released", item = "letter", offsetDays = 7 } },
                new { key = "letter", templateId = ExerciseWork.DailyCheckIn, start = new { on = "step", step = 9, offsetDays = 400 } },
            },
        })).AssertProblemAsync(400, "validation");
        var errors = invalid.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains("key", errors);
        Assert.Contains("title", errors);
        Assert.Contains("items", errors);
        Assert.Contains("items[1].start.step", errors);
        Assert.Contains("items[1].start.offsetDays", errors);
        var hourly = await (await admin.PostAsJsonAsync("/api/v1/programs", new
        {
            key = "hourly", title = new { en = "x", nl = "x" }, description = new { en = "d", nl = "d" },
            items = new object[] { new { key = "a", templateId = ExerciseWork.DailyCheckIn, cadence = "hourly", start = new { on = "start", offsetDays = 0 } } },
        })).AssertProblemAsync(400, "validation");
        Assert.Equal(["items[0].cadence"], hourly.ErrorFields());
        await (await admin.PostAsJsonAsync("/api/v1/programs", new
        {
            key = "x", title = new { en = "x", nl = "x" }, description = new { en = "d", nl = "d" },
            items = new[] { new { key = "a", templateId = Guid.NewGuid(), start = new { on = "start", offsetDays = 0 } } },
        })).AssertProblemAsync(404, "not-found");
        Assert.Equal(2, (await (await admin.GetAsync("/api/v1/programs")).ReadJsonAsync(200)).Ids().Count);

        var created = await (await admin.PostAsJsonAsync("/api/v1/programs", Body(7))).ReadJsonAsync(201);
        var id = created.GetProperty("id").GetGuid();
        Assert.False(created.GetProperty("builtIn").GetBoolean());
        await (await admin.PostAsJsonAsync("/api/v1/programs", Body(7))).AssertProblemAsync(409, "duplicate-key");

        var (couple, _, _) = await admin.CreateCoupleWithClientsAsync();
        var enrolment = await (await admin.PostAsJsonAsync($"/api/v1/couples/{couple}/programs",
            new { programId = id })).ReadJsonAsync(201);
        Assert.Equal(1, enrolment.GetProperty("programVersion").GetInt32());
        Assert.Equal(("waiting", api.Today.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            (Guid?)null), Items(enrolment)["rating"]);
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{couple}/programs", new { programId = id }))
            .AssertProblemAsync(409, "already-enrolled");

        var stale = new HttpRequestMessage(HttpMethod.Put,
            $"/api/v1/programs/{id}") { Content = JsonContent.Create(Body(3)) };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"7\""));
        await (await admin.SendAsync(stale)).AssertProblemAsync(412);
        var changed = await (await admin.PutAsJsonAsync($"/api/v1/programs/{id}", Body(3, "Eerste maand, korter")))
            .ReadJsonAsync(200);
        Assert.Equal(2, changed.GetProperty("version").GetInt32());
        Assert.Equal(1, (await (await admin.GetAsync($"/api/v1/programs/{id}?version=1")).ReadJsonAsync(200))
            .GetProperty("version").GetInt32());
        Assert.Equal(1, (await EnrolmentAsync(admin, couple)).GetProperty("programVersion").GetInt32());
        await (await admin.PutAsJsonAsync($"/api/v1/programs/{AfterInfidelity}", Body(3))).AssertProblemAsync(403,
            "read-only");
        Assert.Equal(2, (await (await admin.GetAsync("/api/v1/programs?limit=2")).ReadJsonAsync(200)).Ids().Count);
    }

    [SkippableFact]
    public async Task Programs_need_staff_and_the_couple_on_the_caseload()
    {
        var c = await api.NewCoupleCaseAsync();
        var outsider = await c.Practice.AddTherapistAsync();
        await (await api.ClientWith(null).GetAsync("/api/v1/programs")).AssertProblemAsync(401, "unauthorized");
        await (await c.PortalA.GetAsync("/api/v1/programs")).AssertProblemAsync(403, "forbidden");
        await (await c.PortalA.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/programs",
            new { programId = AfterInfidelity })).AssertProblemAsync(403, "forbidden");
        await (await outsider.Client.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/programs",
            new { programId = AfterInfidelity })).AssertProblemAsync(404, "not-found");
        await (await outsider.Client.GetAsync($"/api/v1/couples/{c.CoupleId}/programs")).AssertProblemAsync(404,
            "not-found");
        await (await c.Practice.Admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/programs",
            new { programId = Guid.Empty })).AssertProblemAsync(400, "validation");
        await (await c.Practice.Admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/programs",
            new { programId = Guid.NewGuid() })).AssertProblemAsync(404, "not-found");
        await (await c.Practice.Admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/programs",
            new { programId = AfterInfidelity, startsOn = "2001-01-01" }))
            .AssertProblemAsync(400, "validation");
        Assert.Empty((await (await c.Practice.Admin.GetAsync($"/api/v1/couples/{c.CoupleId}/programs"))
            .ReadJsonAsync(200)).GetProperty("items").EnumerateArray());
        Assert.Empty((await (await c.Practice.Admin.GetAsync($"/api/v1/assignments?coupleId={c.CoupleId}"))
            .ReadJsonAsync(200)).Ids());
        var programs = (await (await outsider.Client.GetAsync("/api/v1/programs")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray()
            .Select(p => p.GetProperty("key").GetString()).ToList();
        Assert.Contains(BuiltInPrograms.AfterHiddenAddictionKey, programs);
    }

    [SkippableFact]
    public async Task The_programs_trust_contract_and_trigger_plan_become_the_couples_own_to_agree_and_evaluate()
    {
        api.Clock.Set(ExerciseWork.Utc("2027-06-01T09:00:00Z"));
        var c = await api.NewCoupleCaseAsync(startedOn: "2027-05-01");
        var admin = c.Practice.Admin;
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/programs",
            new { programId = AfterInfidelity })).ReadJsonAsync(201);
        foreach (var step in new[] { 2, 3,
            4 }) await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/step", new { step }))
            .ReadJsonAsync(200);
        var items = Items(await EnrolmentAsync(admin, c.CoupleId));
        var couple = $"/api/v1/couples/{c.CoupleId}";
        await (await admin.GetAsync($"{couple}/trust-contract")).AssertProblemAsync(404, "not-found");

        // Written together as the exercise, the table of agreements is the contract's first version, waiting for both
        // to agree.
        object Line(string area, string agreement, string measure) => new { area, agreement, measure };
        var contract = $"/api/v1/me/assignments/{items["trust_contract"].Assignment}/responses";
        await (await c.PortalA.PostAsJsonAsync(contract, new
        {
            answers = new { lines = new[] { Line("Phone", "Phones stay open to each other.",
                "We can look when we ask."), Line("Evenings", "Home by ten.", "A message when late.") } },
        })).ReadJsonAsync(201);
        var first = await (await admin.GetAsync($"{couple}/trust-contract")).ReadJsonAsync(200);
        Assert.Equal((1, false), (first.GetProperty("version").GetInt32(), first.GetProperty("agreedByBoth")
            .GetBoolean()));
        Assert.Equal(["Phone", "Evenings"], first.GetProperty("lines").EnumerateArray()
            .Select(l => l.GetProperty("area").GetString()));
        await (await c.PortalA.PostAsJsonAsync($"{couple}/trust-contract/agreements", new { clientId = c.A }))
            .ReadJsonAsync(201);
        var agreed = await (await c.PortalB.PostAsJsonAsync($"{couple}/trust-contract/agreements",
            new { clientId = c.B })).ReadJsonAsync(201);
        Assert.True(agreed.GetProperty("agreedByBoth").GetBoolean());

        // A correction is the next version; the line that reads as before keeps its id (its monthly ratings carry on).
        await (await c.PortalB.PostAsJsonAsync(contract, new
        {
            answers = new { lines = new[] { Line("Phone", "Phones stay open to each other.",
                "We can look when we ask."), Line("Money", "Shared account only.", "Statements on the table.") } },
        })).ReadJsonAsync(201);
        var second = await (await admin.GetAsync($"{couple}/trust-contract")).ReadJsonAsync(200);
        Assert.Equal((2, false), (second.GetProperty("version").GetInt32(), second.GetProperty("agreedByBoth")
            .GetBoolean()));
        Assert.Equal(first.GetProperty("lines")[0].GetProperty("lineId").GetGuid(),
            second.GetProperty("lines")[0].GetProperty("lineId").GetGuid());
        Assert.NotEqual(first.GetProperty("lines")[1].GetProperty("lineId").GetGuid(),
            second.GetProperty("lines")[1].GetProperty("lineId").GetGuid());

        // Each partner's trigger plan answer is their part of the couple's plan.
        var plan = $"/api/v1/me/assignments/{items["trigger_plan"].Assignment}/responses";
        await (await c.PortalA.PostAsJsonAsync(plan, new
        {
            answers = new { my_triggers = "Late messages.", my_steps = "Breathe first.", what_i_ask_of_you = "Answer once, calmly.", when_you_are_triggered = "Stay near." },
        })).ReadJsonAsync(201);
        await (await c.PortalB.PostAsJsonAsync(plan, new
        {
            answers = new { my_triggers = "Being questioned.", my_steps = "Say I need a minute.", what_i_ask_of_you = "Give me that minute.", when_you_are_triggered = "Listen." },
        })).ReadJsonAsync(201);
        var parts = (await (await admin.GetAsync($"{couple}/trigger-plan")).ReadJsonAsync(200)).GetProperty("partners")
            .EnumerateArray()
            .ToDictionary(p => p.GetProperty("clientId").GetGuid(), p => p.GetProperty("myTriggers").GetString());
        Assert.Equal(new Dictionary<Guid, string?> { [c.A] = "Late messages.", [c.B] = "Being questioned." }, parts);

        // Stopped, so that the other tests' rounds over every running program leave this couple alone.
        var enrolment = (await EnrolmentAsync(admin, c.CoupleId)).GetProperty("id").GetGuid();
        await (await admin.PostAsync($"{couple}/programs/{enrolment}/stop", null)).ReadJsonAsync(200);
    }
}

public sealed class ProgramsOnSqlite(SqliteApi api) : ProgramSuite(api), IClassFixture<SqliteApi>;

public sealed class ProgramsOnSqlServer(SqlServerApi api) : ProgramSuite(api), IClassFixture<SqlServerApi>;
