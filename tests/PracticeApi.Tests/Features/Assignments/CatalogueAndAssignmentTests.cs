using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Assignments;

public abstract class CatalogueAndAssignmentSuite(ApiFactory api)
{
    [SkippableFact]
    public async Task A_conjoint_exercise_for_a_couple_on_safety_hold_needs_an_audited_override()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings", new { clientId = c.A,
            abuseOrDanger = true, untreatedAddiction = false }))
            .ReadJsonAsync(201);
        var contract = ExerciseWork.TemplateId("trust_contract");

        var refused = await admin.PostAsJsonAsync("/api/v1/assignments", new { templateId = contract,
            coupleId = c.CoupleId });
        var problem = await refused.AssertProblemAsync(409, "safety-hold");
        Assert.Contains("safetyOverrideReason", problem.GetProperty("detail").GetString());
        Assert.Empty((await (await admin.GetAsync($"/api/v1/assignments?coupleId={c.CoupleId}"))
            .ReadJsonAsync(200)).Ids());

        var checkIn = await admin.AssignAsync(new { templateId = ExerciseWork.DailyCheckIn, coupleId = c.CoupleId });
        var overridden = await admin.AssignAsync(new { templateId = contract, coupleId = c.CoupleId,
            safetyOverrideReason = "Danger assessed in session; agreed safety plan" });
        var assignment = await (await admin.GetAsync($"/api/v1/assignments/{overridden}")).ReadJsonAsync(200);
        Assert.Equal("Danger assessed in session; agreed safety plan", assignment.GetProperty("safetyOverrideReason")
            .GetString());

        var events = await c.Practice.AuditEventsAsync($"clientId={c.A}");
        var overrideEvent = Assert.Single(events, e => e.GetProperty("action").GetString() == "override");
        Assert.Equal(overridden, overrideEvent.GetProperty("resourceId").GetGuid());
        Assert.DoesNotContain(events, e => e.GetProperty("action").GetString() == "override"
            && e.GetProperty("resourceId").GetGuid() == checkIn);
    }

    [SkippableFact]
    public async Task Assignments_are_validated_and_resolve_respondents_from_roles()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var bad = await (await admin.PostAsJsonAsync("/api/v1/assignments", new
        {
            templateId = ExerciseWork.DailyCheckIn, coupleId = c.CoupleId, clientId = c.A, dueTime = "25:00", respondents = "everyone", occurrences = 0,
        })).AssertProblemAsync(400, "validation");
        foreach (var field in new[] { "clientId", "dueTime", "respondents", "occurrences" }) Assert.Contains(field,
            bad.ErrorFields());
        foreach (var (field, value) in new[] { ("cadence", "hourly"), ("visibility", "public") })
        {
            var body = new System.Text.Json.Nodes.JsonObject { ["templateId"] = ExerciseWork.DailyCheckIn, ["coupleId"] = c.CoupleId, [field] = value };
            Assert.Equal([field], (await (await admin.PostAsJsonAsync("/api/v1/assignments", body))
                .AssertProblemAsync(400, "validation")).ErrorFields());
        }

        var letter = await admin.AssignAsync(new { templateId = ExerciseWork.TemplateId("letter_of_responsibility"),
            coupleId = c.CoupleId });
        var assignment = await (await admin.GetAsync($"/api/v1/assignments/{letter}")).ReadJsonAsync(200);
        Assert.Equal([c.A], assignment.GetProperty("respondentIds").EnumerateArray().Select(r => r.GetGuid()));
        Assert.Equal("breaching", assignment.GetProperty("respondents").GetString());

        await (await admin.PostAsJsonAsync("/api/v1/assignments", new { templateId = ExerciseWork.DailyCheckIn,
            coupleId = c.CoupleId, respondents = "in_recovery" }))
            .AssertProblemAsync(400, "validation");
        var checkIn = await (await admin.GetAsync($"/api/v1/assignments/{await admin.AssignAsync(new { templateId = ExerciseWork.DailyCheckIn, coupleId = c.CoupleId })}")).ReadJsonAsync(200);
        Assert.Equal(30, checkIn.GetProperty("occurrences").GetInt32());
        Assert.Equal("private", checkIn.GetProperty("visibility").GetString());
        Assert.Equal(2, checkIn.GetProperty("respondentIds").GetArrayLength());
    }

    [SkippableFact]
    public async Task Answers_are_validated_against_the_template_and_a_second_answer_is_a_new_revision()
    {
        var c = await api.NewCoupleCaseAsync();
        api.Clock.Set(ExerciseWork.Utc("2026-03-02T10:00:00Z"));
        var id = await c.Practice.Admin.AssignAsync(new { templateId = ExerciseWork.DailyCheckIn, coupleId = c.CoupleId,
            startsOn = "2026-03-02", occurrences = 7 });

        async Task<List<string>> Errors(object answers, string date = "2026-03-02") =>
            (await (await c.PortalA.AnswerAsync(id, date, answers)).AssertProblemAsync(400, "validation"))
                .ErrorFields().ToList();

        Assert.Contains("answers.mood", await Errors(new { mood = "foggy", need_from_you = "x", grateful_for = "y" }));
        Assert.Contains("answers.grateful_for", await Errors(new { mood = "sunny", need_from_you = "x" }));
        Assert.Contains("answers.extra", await Errors(new { mood = "sunny", need_from_you = "x", grateful_for = "y",
            extra = 1 }));
        Assert.Contains("answers.need_from_you", await Errors(new { mood = "sunny", need_from_you = 5,
            grateful_for = "y" }));
        Assert.Contains("occurrenceDate", (await (await c.PortalA.AnswerAsync(id, "2026-03-03", ExerciseWork.CheckIn()))
            .AssertProblemAsync(400)).ErrorFields());
        Assert.Contains("occurrenceDate", (await (await c.PortalA.AnswerAsync(id, "2026-02-01", ExerciseWork.CheckIn()))
            .AssertProblemAsync(400)).ErrorFields());
        Assert.Empty(await c.PortalA.PortalResponsesAsync(id));

        var first = await (await c.PortalA.AnswerAsync(id, "2026-03-02", ExerciseWork.CheckIn("cloudy")))
            .ReadJsonAsync(201);
        var second = await (await c.PortalA.AnswerAsync(id, "2026-03-02", ExerciseWork.CheckIn("sunny")))
            .ReadJsonAsync(201);
        Assert.Equal(1, first.GetProperty("revision").GetInt32());
        Assert.Equal(2, second.GetProperty("revision").GetInt32());
        var all = await (await c.Practice.Admin.GetAsync($"/api/v1/assignments/{id}/responses")).ReadJsonAsync(200);
        Assert.Equal(["cloudy", "sunny"], all.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("answers")
            .GetProperty("mood").GetString()));

        var scaleTemplate = ExerciseWork.TemplateId("weekly_trust_rating");
        var weekly = await c.Practice.Admin.AssignAsync(new { templateId = scaleTemplate, coupleId = c.CoupleId,
            startsOn = "2026-03-02", occurrences = 4 });
        var outOfRange = await (await c.PortalB.AnswerAsync(weekly, "2026-03-02", new { trust = 11, connection = 5 }))
            .AssertProblemAsync(400, "validation");
        Assert.Contains("answers.trust", outOfRange.ErrorFields());
    }

    [SkippableFact]
    public async Task Occurrence_statuses_follow_the_due_time_in_the_practice_time_zone()
    {
        var c = await api.NewCoupleCaseAsync();
        api.Clock.Set(ExerciseWork.Utc("2026-03-02T08:00:00Z"));
        // 21:00 in Amsterdam in March (CET) is 20:00 UTC.
        var id = await c.Practice.Admin.AssignAsync(new { templateId = ExerciseWork.DailyCheckIn, coupleId = c.CoupleId,
            startsOn = "2026-03-02", occurrences = 3, dueTime = "21:00" });

        api.Clock.Set(ExerciseWork.Utc("2026-03-02T19:59:00Z"));
        await (await c.PortalA.AnswerAsync(id, "2026-03-02", ExerciseWork.CheckIn())).ReadJsonAsync(201);
        api.Clock.Set(ExerciseWork.Utc("2026-03-03T20:30:00Z"));
        await (await c.PortalA.AnswerAsync(id, "2026-03-03", ExerciseWork.CheckIn())).ReadJsonAsync(201);

        async Task<Dictionary<(string, Guid), string>> Statuses() =>
            (await (await c.Practice.Admin.GetAsync($"/api/v1/assignments/{id}/occurrences")).ReadJsonAsync(200))
                .GetProperty("items").EnumerateArray()
            .ToDictionary(o => (o.GetProperty("date").GetString()!, o.GetProperty("respondentId").GetGuid()),
            o => o.GetProperty("status").GetString()!);

        api.Clock.Set(ExerciseWork.Utc("2026-03-04T19:59:59Z"));
        var before = await Statuses();
        Assert.Equal("done", before[("2026-03-02", c.A)]);
        Assert.Equal("late", before[("2026-03-03", c.A)]);
        Assert.Equal("missed", before[("2026-03-02", c.B)]);
        Assert.Equal("missed", before[("2026-03-03", c.B)]);
        Assert.Equal("upcoming", before[("2026-03-04", c.A)]);
        api.Clock.Set(ExerciseWork.Utc("2026-03-04T20:00:01Z"));
        Assert.Equal("missed", (await Statuses())[("2026-03-04", c.A)]);

        var mine = await (await c.PortalB.GetAsync($"/api/v1/me/assignments/{id}/occurrences")).ReadJsonAsync(200);
        Assert.All(mine.GetProperty("items").EnumerateArray(), o => Assert.Equal(c.B, o.GetProperty("respondentId")
            .GetGuid()));
        Assert.Equal(3, mine.GetProperty("items").GetArrayLength());

        var assignment = await (await c.Practice.Admin.GetAsync($"/api/v1/assignments/{id}")).ReadJsonAsync(200);
        Assert.Equal("completed", assignment.GetProperty("status").GetString());
        Assert.Equal([id],
            (await (await c.Practice.Admin.GetAsync($"/api/v1/assignments?status=completed&coupleId={c.CoupleId}"))
            .ReadJsonAsync(200)).Ids());
    }

    [SkippableFact]
    public async Task Cancelling_stops_an_assignment_and_refuses_new_answers()
    {
        var c = await api.NewCoupleCaseAsync();
        api.Clock.Set(ExerciseWork.Utc("2026-03-02T10:00:00Z"));
        var id = await c.Practice.Admin.AssignAsync(new { templateId = ExerciseWork.DailyCheckIn, coupleId = c.CoupleId,
            startsOn = "2026-03-02" });
        Assert.Equal(204, (int)(await c.Practice.Admin.PostAsync($"/api/v1/assignments/{id}/cancel", null)).StatusCode);
        await (await c.Practice.Admin.PostAsync($"/api/v1/assignments/{id}/cancel", null)).AssertProblemAsync(409,
            "invalid-transition");
        await (await c.PortalA.AnswerAsync(id, "2026-03-02", ExerciseWork.CheckIn())).AssertProblemAsync(409,
            "invalid-transition");
        Assert.Equal([id],
            (await (await c.Practice.Admin.GetAsync($"/api/v1/assignments?status=cancelled&clientId={c.A}"))
            .ReadJsonAsync(200)).Ids());
    }

    [SkippableTheory]
    [InlineData("private")]
    [InlineData("shared")]
    [InlineData("mutual_reveal")]
    [InlineData("therapist_release")]
    public async Task Each_partner_sees_the_others_answers_only_as_the_visibility_allows(string visibility)
    {
        var c = await api.NewCoupleCaseAsync();
        api.Clock.Set(ExerciseWork.Utc("2026-03-05T18:00:00Z"));
        var id = await c.Practice.Admin.AssignAsync(new { templateId = ExerciseWork.DailyCheckIn, coupleId = c.CoupleId,
            startsOn = "2026-03-05", occurrences = 5, visibility });

        var answerA = await (await c.PortalA.AnswerAsync(id, "2026-03-05", ExerciseWork.CheckIn("stormy")))
            .ReadJsonAsync(201);
        var seenByB = await c.PortalB.PortalResponsesAsync(id);
        Assert.Equal(visibility == "shared" ? [c.A] : Array.Empty<Guid>(), seenByB.Respondents());

        await (await c.PortalB.AnswerAsync(id, "2026-03-05", ExerciseWork.CheckIn("cloudy"))).ReadJsonAsync(201);
        var afterBoth = await c.PortalB.PortalResponsesAsync(id);
        var expectedForB = visibility is "shared" or "mutual_reveal" ? new[] { c.A, c.B } : [c.B];
        Assert.Equal(expectedForB.Order(), afterBoth.Respondents().Order());
        var seenByA = await c.PortalA.PortalResponsesAsync(id);
        Assert.Equal((visibility is "shared" or "mutual_reveal" ? new[] { c.A, c.B } : [c.A]).Order(),
            seenByA.Respondents().Order());

        // mutual_reveal is per occurrence: a new day's answer stays hidden until the partner answers that day too.
        api.Clock.Set(ExerciseWork.Utc("2026-03-06T18:00:00Z"));
        await (await c.PortalA.AnswerAsync(id, "2026-03-06", ExerciseWork.CheckIn())).ReadJsonAsync(201);
        var nextDay = (await c.PortalB.PortalResponsesAsync(id)).Where(r => r.GetProperty("occurrenceDate")
            .GetString() == "2026-03-06");
        Assert.Equal(visibility == "shared" ? [c.A] : Array.Empty<Guid>(), nextDay.Respondents());

        var review = await c.Practice.Admin.PostAsJsonAsync(
            $"/api/v1/responses/{answerA.GetProperty("id").GetGuid()}/review",
            new { feedback = "Thank you for naming the storm.", release = visibility == "therapist_release" });
        await review.ReadJsonAsync(200);
        var finalForB = await c.PortalB.PortalResponsesAsync(id);
        if (visibility == "therapist_release")
        {
            var released = Assert.Single(finalForB, r => r.GetProperty("respondentId").GetGuid() == c.A);
            Assert.Equal(JsonValueKind.Null, released.GetProperty("review").ValueKind);
        }
        else if (visibility == "private")
        {
            Assert.DoesNotContain(c.A, finalForB.Respondents());
        }

        var ownReview = (await c.PortalA.PortalResponsesAsync(id)).First(r => r.GetProperty("id")
            .GetGuid() == answerA.GetProperty("id").GetGuid());
        Assert.Equal("Thank you for naming the storm.", ownReview.GetProperty("review").GetProperty("feedback")
            .GetString());
        var therapistView = await (await c.Practice.Admin.GetAsync($"/api/v1/assignments/{id}/responses"))
            .ReadJsonAsync(200);
        Assert.Equal(3, therapistView.GetProperty("items").GetArrayLength());
    }

    [SkippableFact]
    public async Task Release_applies_only_to_therapist_release_assignments()
    {
        var c = await api.NewCoupleCaseAsync();
        api.Clock.Set(ExerciseWork.Utc("2026-03-05T18:00:00Z"));
        var id = await c.Practice.Admin.AssignAsync(new { templateId = ExerciseWork.DailyCheckIn, coupleId = c.CoupleId,
            startsOn = "2026-03-05", visibility = "private" });
        var answer = await (await c.PortalA.AnswerAsync(id, "2026-03-05", ExerciseWork.CheckIn())).ReadJsonAsync(201);
        var responseId = answer.GetProperty("id").GetGuid();
        await (await c.Practice.Admin.PostAsJsonAsync($"/api/v1/responses/{responseId}/review", new { release = true }))
            .AssertProblemAsync(409, "invalid-transition");
        await (await c.Practice.Admin.PostAsJsonAsync($"/api/v1/responses/{responseId}/review",
            new { release = false })).AssertProblemAsync(400, "validation");
        await (await c.PortalA.PostAsJsonAsync($"/api/v1/responses/{responseId}/review",
            new { feedback = "self-praise" })).AssertProblemAsync(403);
    }

    [SkippableFact]
    public async Task A_portal_token_reaches_only_its_own_work()
    {
        var c = await api.NewCoupleCaseAsync();
        var other = await api.NewCoupleCaseAsync();
        api.Clock.Set(ExerciseWork.Utc("2026-03-05T18:00:00Z"));
        var ours = await c.Practice.Admin.AssignAsync(new { templateId = ExerciseWork.DailyCheckIn, coupleId = c.CoupleId,
            startsOn = "2026-03-05" });
        var letter = await c.Practice.Admin.AssignAsync(new { templateId = ExerciseWork.TemplateId(
            "letter_of_responsibility"), coupleId = c.CoupleId, startsOn = "2026-03-05" });
        var theirs = await other.Practice.Admin.AssignAsync(new { templateId = ExerciseWork.DailyCheckIn,
            coupleId = other.CoupleId, startsOn = "2026-03-05" });
        var solo = await c.Practice.Admin.CreateClientIdAsync();
        var soloAssignment = await c.Practice.Admin.AssignAsync(new { templateId = ExerciseWork.TemplateId(
            "accountability_log"), clientId = solo, startsOn = "2026-03-05" });

        Assert.Equal(new[] { ours, letter }.Order(), (await (await c.PortalB.GetAsync("/api/v1/me/assignments"))
            .ReadJsonAsync(200)).Ids().Order());
        await (await c.PortalB.GetAsync($"/api/v1/me/assignments/{theirs}")).AssertProblemAsync(404, "not-found");
        await (await c.PortalB.GetAsync($"/api/v1/me/assignments/{soloAssignment}")).AssertProblemAsync(404);
        await (await c.PortalB.AnswerAsync(theirs, "2026-03-05", ExerciseWork.CheckIn())).AssertProblemAsync(404);
        await (await c.PortalB.AnswerAsync(ours, "2026-03-05", ExerciseWork.CheckIn(), respondentId: c.A))
            .AssertProblemAsync(403, "forbidden");
        await (await c.PortalB.AnswerAsync(letter, "2026-03-05", new { what_i_did = "x" })).AssertProblemAsync(403,
            "forbidden");

        foreach (var url in new[] { "/api/v1/clients", $"/api/v1/clients/{c.B}", $"/api/v1/couples/{c.CoupleId}",
            $"/api/v1/couples/{c.CoupleId}/safety-screenings",
                     "/api/v1/sessions", $"/api/v1/assignments/{ours}", "/api/v1/audit-events", "/api/v1/therapists", "/api/v1/alerts",
                     $"/api/v1/couples/{c.CoupleId}/progress", $"/api/v1/clients/{c.B}/support-network" })
        {
            await (await c.PortalB.GetAsync(url)).AssertProblemAsync(403, "forbidden");
        }

        await (await c.PortalB.GetAsync($"/api/v1/couples/{other.CoupleId}/trust-contract")).AssertProblemAsync(404);
        var me = await (await c.PortalB.GetAsync("/api/v1/me")).ReadJsonAsync(200);
        Assert.Equal("client", me.GetProperty("kind").GetString());

        await c.Practice.Admin.PostAsync($"/api/v1/clients/{c.B}/discharge", null);
        await (await c.PortalB.GetAsync("/api/v1/me/assignments")).AssertProblemAsync(401);
    }

    [SkippableFact]
    public async Task Exercise_work_is_audited_with_the_clients_concerned()
    {
        var c = await api.NewCoupleCaseAsync();
        api.Clock.Set(ExerciseWork.Utc("2026-03-05T18:00:00Z"));
        var id = await c.Practice.Admin.AssignAsync(new { templateId = ExerciseWork.DailyCheckIn, coupleId = c.CoupleId,
            startsOn = "2026-03-05" });
        await c.PortalA.AnswerAsync(id, "2026-03-05", ExerciseWork.CheckIn());
        await c.PortalB.PortalResponsesAsync(id);
        await c.Practice.Admin.GetAsync($"/api/v1/assignments/{id}/occurrences");

        var eventsA = await c.Practice.AuditEventsAsync($"clientId={c.A}");
        Assert.Contains(eventsA, e => e.GetProperty("resourceType").GetString() == "assignment"
            && e.GetProperty("action").GetString() == "create");
        var submitted = Assert.Single(eventsA, e => e.GetProperty("resourceType").GetString() == "response"
            && e.GetProperty("action").GetString() == "create");
        Assert.Equal("client", submitted.GetProperty("actorKind").GetString());
        Assert.Equal(c.A, submitted.GetProperty("actorId").GetGuid());
        Assert.Contains(eventsA, e => e.GetProperty("resourceType").GetString() == "occurrences"
            && e.GetProperty("action").GetString() == "read");
        var eventsB = await c.Practice.AuditEventsAsync($"actorId={c.B}");
        Assert.Contains(eventsB, e => e.GetProperty("resourceType").GetString() == "response" && e.GetProperty("action")
            .GetString() == "read");
    }
}

public sealed class CatalogueAndAssignmentsOnSqlite(SqliteApi api) : CatalogueAndAssignmentSuite(api), IClassFixture<SqliteApi>;

public sealed class CatalogueAndAssignmentsOnSqlServer(SqlServerApi api) : CatalogueAndAssignmentSuite(api), IClassFixture<SqlServerApi>;
