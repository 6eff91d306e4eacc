using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Measures;

/// <summary>
/// Measures assigned like exercises (issue 31.1): once or on a cadence, offered in the portal's due list, each
/// occurrence filled by the first score that names it, on time or late by its due time.
/// </summary>
public sealed class MeasureAssignmentTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    // Tuesday 10 March 2026, 13:00 in Amsterdam (CET): the assignment's 21:00 is 20:00 UTC.
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-03-10T12:00:00Z",
        System.Globalization.CultureInfo.InvariantCulture);

    private static object Calm(string key = "calm") => new
    {
        key, name = "Calm", items = new[] { new { linkId = "calm", text = "I felt calm", options = new[] { new { code = "no", text = "No", value = 1 },
            new { code = "yes", text = "Yes", value = 0 } } } }, bands = Array.Empty<object>(), criticalItems = Array.Empty<object>(),
    };

    private static Dictionary<string, string> Yes => new() { ["calm"] = "yes" };

    [Fact]
    public async Task An_assigned_measure_is_offered_per_occurrence_and_each_occurrence_is_filled_once_on_time_or_late()
    {
        api.Clock.Set(Now);
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var measure = (await (await admin.PostAsJsonAsync("/api/v1/measures", Calm())).ReadJsonAsync(201))
            .GetProperty("id").GetGuid();
        var created = await (await admin.PostAsJsonAsync($"/api/v1/clients/{c.A}/measure-assignments", new
        {
            measureId = measure, cadence = "weekly", startsOn = "2026-02-24", occurrences = 4, dueTime = "21:00", note = "Each Tuesday evening.",
        })).ReadJsonAsync(201);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(("calm", "active", "2026-03-10T20:00:00Z"), (created.GetProperty("key").GetString(),
            created.GetProperty("status").GetString(),
            created.GetProperty("nextDueAt").GetDateTime().ToString("yyyy-MM-ddTHH:mm:ssZ",
                System.Globalization.CultureInfo.InvariantCulture)));

        // The portal offers the two occurrences that have begun: last week's (past due) and today's.
        var due = (await (await c.PortalA.GetAsync("/api/v1/me/due")).ReadJsonAsync(200)).GetProperty("measures")
            .EnumerateArray().ToList();
        Assert.Equal([("2026-03-03", "missed"), ("2026-03-10", "upcoming")], due.Select(d => (d.GetProperty("date")
            .GetString(), d.GetProperty("status").GetString())));
        Assert.All(due, d => Assert.Equal(id, d.GetProperty("assignmentId").GetGuid()));
        Assert.Empty((await (await c.PortalB.GetAsync("/api/v1/me/due")).ReadJsonAsync(200)).GetProperty("measures")
            .EnumerateArray());

        // The first week's, taken now (late); today's, taken without a date (the latest begun; on time).
        var late = await (await c.PortalA.PostAsJsonAsync("/api/v1/me/measures", new { measureId = measure,
            answers = Yes, assignmentId = id, occurrenceDate = "2026-02-24" }))
            .ReadJsonAsync(201);
        Assert.Equal((id, "2026-02-24"), (late.GetProperty("assignmentId").GetGuid(), late.GetProperty("occurrenceDate")
            .GetString()));
        var today = await (await c.PortalA.PostAsJsonAsync("/api/v1/me/measures", new { measureId = measure,
            answers = Yes, assignmentId = id })).ReadJsonAsync(201);
        Assert.Equal("2026-03-10", today.GetProperty("occurrenceDate").GetString());

        // An occurrence is filled once: a second answer is refused and changes nothing.
        await (await c.PortalA.PostAsJsonAsync("/api/v1/me/measures", new { measureId = measure, answers = Yes,
            assignmentId = id, occurrenceDate = "2026-03-10" }))
            .AssertProblemAsync(409, "occurrence-taken");
        var standing = await (await admin.GetAsync($"/api/v1/clients/{c.A}/measure-assignments/{id}"))
            .ReadJsonAsync(200);
        var counts = standing.GetProperty("counts");
        Assert.Equal((1, 1, 1, 1), (counts.GetProperty("done").GetInt32(), counts.GetProperty("late").GetInt32(),
            counts.GetProperty("missed").GetInt32(), counts.GetProperty("upcoming").GetInt32()));
        Assert.Equal(2, (await (await admin.GetAsync($"/api/v1/clients/{c.A}/measures")).ReadJsonAsync(200))
            .GetProperty("items")[0].GetProperty("scores").GetArrayLength());
        Assert.Equal(["2026-03-03"], (await (await c.PortalA.GetAsync("/api/v1/me/due")).ReadJsonAsync(200))
            .GetProperty("measures").EnumerateArray()
            .Select(d => d.GetProperty("date").GetString()));
        Assert.Equal(id, Assert.Single((await (await admin.GetAsync($"/api/v1/clients/{c.A}/measure-assignments"))
            .ReadJsonAsync(200)).GetProperty("items")
            .EnumerateArray()).GetProperty("id").GetGuid());

        // Cancelled: nothing more is offered or taken; what was taken stays.
        var cancelled = await (await admin.PostAsync($"/api/v1/clients/{c.A}/measure-assignments/{id}/cancel", null))
            .ReadJsonAsync(200);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, cancelled.GetProperty("nextDueAt").ValueKind);
        await (await admin.PostAsync($"/api/v1/clients/{c.A}/measure-assignments/{id}/cancel", null))
            .AssertProblemAsync(409, "invalid-transition");
        Assert.Empty((await (await c.PortalA.GetAsync("/api/v1/me/due")).ReadJsonAsync(200)).GetProperty("measures")
            .EnumerateArray());
        await (await c.PortalA.PostAsJsonAsync("/api/v1/me/measures", new { measureId = measure, answers = Yes,
            assignmentId = id, occurrenceDate = "2026-03-03" }))
            .AssertProblemAsync(409, "invalid-transition");
        Assert.Contains(await c.Practice.AuditEventsAsync($"clientId={c.A}"), e => e.GetProperty("resourceType")
            .GetString() == "measure_assignment");
    }

    [Fact]
    public async Task Bad_assignments_and_answers_are_refused_naming_the_field_and_other_caseloads_and_practices_see_404()
    {
        api.Clock.Set(Now);
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var measure = (await (await admin.PostAsJsonAsync("/api/v1/measures", Calm())).ReadJsonAsync(201))
            .GetProperty("id").GetGuid();
        var other = (await (await admin.PostAsJsonAsync("/api/v1/measures", Calm("other"))).ReadJsonAsync(201))
            .GetProperty("id").GetGuid();
        var url = $"/api/v1/clients/{c.A}/measure-assignments";
        var id = (await (await admin.PostAsJsonAsync(url, new { measureId = measure, cadence = "weekly",
            startsOn = "2026-03-03", occurrences = 3 }))
            .ReadJsonAsync(201)).GetProperty("id").GetGuid();
        var forB = (await (await admin.PostAsJsonAsync($"/api/v1/clients/{c.B}/measure-assignments",
            new { measureId = measure, cadence = "once" }))
            .ReadJsonAsync(201)).GetProperty("id").GetGuid();

        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { measureId = measure }, "cadence"),
                     (new { measureId = measure, cadence = "hourly" }, "cadence"),
                     (new { cadence = "once" }, "measureId"),
                     (new { measureId = Guid.NewGuid(), cadence = "once" }, "measureId"),
                     (new { measureId = measure, cadence = "daily", startsOn = "2026-03-10",
                         endsOn = "2026-03-01" }, "endsOn"),
                     (new { measureId = measure, cadence = "daily", endsOn = "2026-04-01", occurrences = 3 },
                         "occurrences"),
                     (new { measureId = measure, cadence = "daily", dueTime = "9pm" }, "dueTime"),
                 })
        {
            var problem = await (await admin.PostAsJsonAsync(url, body)).AssertProblemAsync(400, "validation");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _),
                $"{JsonSerializer.Serialize(body)}: {problem}");
        }

        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { measureId = measure, answers = Yes, occurrenceDate = "2026-03-03" }, "occurrenceDate"),
                     (new { measureId = other, answers = Yes, assignmentId = id }, "measureId"),
                     (new { measureId = measure, answers = Yes, assignmentId = id, occurrenceDate = "2026-03-04" },
                         "occurrenceDate"),
                     (new { measureId = measure, answers = Yes, assignmentId = id, occurrenceDate = "2026-03-17" },
                         "occurrenceDate"),
                     (new { measureId = measure, answers = Yes, assignmentId = forB }, "assignmentId"),
                 })
        {
            var problem = await (await c.PortalA.PostAsJsonAsync("/api/v1/me/measures", body)).AssertProblemAsync(400,
                "validation");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _),
                $"{JsonSerializer.Serialize(body)}: {problem}");
        }

        // Nothing was made by the refused requests.
        Assert.Single((await (await admin.GetAsync(url)).ReadJsonAsync(200)).GetProperty("items").EnumerateArray());
        Assert.Empty((await (await admin.GetAsync($"/api/v1/clients/{c.A}/measures")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());

        await (await api.ClientWith(null).GetAsync(url)).AssertProblemAsync(401);
        await (await c.PortalA.PostAsJsonAsync(url, new { measureId = measure, cadence = "once" }))
            .AssertProblemAsync(403);
        var therapist = await c.Practice.AddTherapistAsync();
        var stranger = await api.NewPracticeAsync();
        foreach (var outsider in new[] { therapist.Client, stranger.Admin })
        {
            await (await outsider.GetAsync(url)).AssertProblemAsync(404, "not-found");
            await (await outsider.PostAsJsonAsync(url, new { measureId = measure, cadence = "once" }))
                .AssertProblemAsync(404, "not-found");
            await (await outsider.GetAsync($"{url}/{id}")).AssertProblemAsync(404, "not-found");
            await (await outsider.PostAsync($"{url}/{id}/cancel", null)).AssertProblemAsync(404, "not-found");
        }

        await (await admin.GetAsync($"{url}/{forB}")).AssertProblemAsync(404, "not-found");
        Assert.Equal("active", (await (await admin.GetAsync($"{url}/{id}")).ReadJsonAsync(200)).GetProperty("status")
            .GetString());
    }
}
