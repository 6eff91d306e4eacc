using System.Net.Http.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Hardening;

/// <summary>Inputs an outside test answered with 500: each is now a 400 problem, or 404 where the caller cannot see the
/// resource.</summary>
public sealed class NoServerErrorTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Theory]
    [InlineData("to=0001-01-01")]
    [InlineData("from=0001-01-01")]
    [InlineData("to=9999-12-31")]
    [InlineData("from=9999-12-31")]
    [InlineData("from=2026-03-01&to=2026-01-01")]
    public async Task Progress_with_dates_out_of_range_is_a_validation_problem_and_an_outsider_gets_404(string query)
    {
        var c = await api.NewCoupleCaseAsync();
        var problem = await (await c.Practice.Admin.GetAsync($"/api/v1/couples/{c.CoupleId}/progress?{query}"))
            .AssertProblemAsync(400, "validation");
        Assert.NotEmpty(problem.ErrorFields());

        // An outsider learns nothing: the answer is the one any unknown id gets.
        var outsider = await api.NewPracticeAsync();
        var foreign = await outsider.Admin.GetAsync($"/api/v1/couples/{c.CoupleId}/progress?{query}");
        var unknown = await outsider.Admin.GetAsync($"/api/v1/couples/{Guid.NewGuid()}/progress?{query}");
        Assert.Equal(unknown.StatusCode, foreign.StatusCode);
        await foreign.AssertProblemAsync((int)foreign.StatusCode);
    }

    [Theory]
    [InlineData("to=0001-01-01T00:00:00Z")]
    [InlineData("from=0001-01-01T00:00:00Z")]
    [InlineData("to=9999-12-31T23:59:59Z")]
    public async Task Audit_events_with_times_out_of_range_are_a_validation_problem(string query)
    {
        var practice = await api.NewPracticeAsync();
        await (await practice.Admin.GetAsync($"/api/v1/audit-events?{query}")).AssertProblemAsync(400, "validation");
    }

    [Theory]
    [InlineData("trust-contract/history", "WyJ4IiwieSJd")]           // ["x","y"]
    [InlineData("trust-contract/history", "W251bGwsbnVsbF0")]        // [null,null]
    [InlineData("trust-contract/history", "Wzk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XQ")] // an overflowing number
    [InlineData("milestones", "WyJ4IiwieSJd")]
    [InlineData("milestones", "W251bGwsbnVsbF0")]
    [InlineData("trigger-episodes", "WyJ4IiwieSJd")]
    public async Task A_foreign_cursor_is_a_validation_problem_for_staff_and_portal(string list, string cursor)
    {
        var c = await api.NewCoupleCaseAsync();
        await (await c.Practice.Admin.GetAsync($"/api/v1/couples/{c.CoupleId}/{list}?cursor={cursor}"))
            .AssertProblemAsync(400, "validation");
        await (await c.PortalA.GetAsync($"/api/v1/couples/{c.CoupleId}/{list}?cursor={cursor}"))
            .AssertProblemAsync(400, "validation");
    }

    [Theory]
    [InlineData("Patient", "x")]
    [InlineData("Patient", "")]
    [InlineData("Patient", "g")]
    [InlineData("Patient", "9999-12-31")]
    [InlineData("Patient", "gt9999-12-31")]
    [InlineData("Patient", "lt0001-01-01")]
    [InlineData("Appointment", "x")]
    [InlineData("Appointment", "gt9999-12-31")]
    [InlineData("QuestionnaireResponse", "x")]
    [InlineData("QuestionnaireResponse", "9999-12-31")]
    public async Task Fhir_lastUpdated_that_is_not_a_date_in_range_is_a_400_operation_outcome(string type, string value)
    {
        var practice = await api.NewPracticeAsync();
        var response = await practice.Admin.GetAsync($"/fhir/{type}?_lastUpdated={value}");
        var outcome = await response.ReadJsonAsync(400);
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
    }

    [Fact]
    public async Task Completing_an_unknown_session_with_an_empty_note_is_a_problem_not_a_500()
    {
        var practice = await api.NewPracticeAsync();
        var response = await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{Guid.NewGuid()}/complete",
            new { attendance = Array.Empty<object>(), note = new { sections = new { } } });
        Assert.True((int)response.StatusCode is 400 or 404, $"got {(int)response.StatusCode}");
        await response.AssertProblemAsync((int)response.StatusCode);
    }

    [Fact]
    public async Task An_assignment_whose_occurrences_run_past_the_calendar_is_a_validation_problem()
    {
        var c = await api.NewCoupleCaseAsync();
        var response = await c.Practice.Admin.PostAsJsonAsync("/api/v1/assignments", new
        {
            templateId = Infrastructure.ExerciseWork.DailyCheckIn, coupleId = c.CoupleId, startsOn = "9999-12-31", cadence = "daily", occurrences = 30,
        });
        await response.AssertProblemAsync(400, "validation");
        var list = await (await c.Practice.Admin.GetAsync($"/api/v1/assignments?coupleId={c.CoupleId}"))
            .ReadJsonAsync(200);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }
}
