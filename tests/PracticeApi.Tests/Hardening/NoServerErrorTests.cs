using System.Net.Http.Json;
using PracticeApi.Tests.Exercises;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Hardening;

/// <summary>Inputs an outside test answered with 500: each is now a 400 problem, or 404 where the caller cannot see the resource.</summary>
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
        var problem = await (await c.Practice.Admin.GetAsync($"/api/v1/couples/{c.CoupleId}/progress?{query}")).AssertProblemAsync(400, "validation");
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
        await (await c.Practice.Admin.GetAsync($"/api/v1/couples/{c.CoupleId}/{list}?cursor={cursor}")).AssertProblemAsync(400, "validation");
        await (await c.PortalA.GetAsync($"/api/v1/couples/{c.CoupleId}/{list}?cursor={cursor}")).AssertProblemAsync(400, "validation");
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
            templateId = Exercises.Exercises.DailyCheckIn, coupleId = c.CoupleId, startsOn = "9999-12-31", cadence = "daily", occurrences = 30,
        });
        await response.AssertProblemAsync(400, "validation");
        var list = await (await c.Practice.Admin.GetAsync($"/api/v1/assignments?coupleId={c.CoupleId}")).ReadJsonAsync(200);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }
}

public sealed class DischargeTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task Discharge_revokes_portal_tokens_so_reactivating_does_not_bring_them_back()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        var portal = api.ClientWith(await practice.PortalTokenAsync(client));
        await (await portal.GetAsync("/api/v1/me")).ReadJsonAsync(200);

        Assert.Equal(204, (int)(await practice.Admin.PostAsync($"/api/v1/clients/{client}/discharge", null)).StatusCode);
        Assert.Equal(204, (int)(await practice.Admin.PostAsync($"/api/v1/clients/{client}/reactivate", null)).StatusCode);

        await (await portal.GetAsync("/api/v1/me")).AssertProblemAsync(401);
        var events = await practice.AuditEventsAsync($"clientId={client}");
        Assert.Contains(events, e => e.GetProperty("resourceType").GetString() == "token" && e.GetProperty("action").GetString() == "update");
    }
}

public sealed class ConcurrentUpsertTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task Concurrent_session_upserts_of_one_identifier_converge_on_one_session()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var client = await practice.Admin.CreateClientIdAsync(new[] { therapist.Id });
        var ehr = await practice.IntegrationAsync("sessions:write", "sessions:read");
        var startsAt = api.Clock.GetUtcNow().UtcDateTime.Date.AddDays(5).AddHours(9);
        var url = $"/api/v1/sessions/by-identifier?system=https%3A%2F%2Fehr.example.org%2Fappointment&value=A-{Guid.NewGuid():N}";
        // Task.Run and enough threads: SQLite's async calls complete synchronously, so in-process requests would otherwise
        // run one by one.
        ThreadPool.GetMinThreads(out var workers, out var ports);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), ports);
        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(() => ehr.PutAsJsonAsync(url, new
        {
            clientId = client, therapistId = therapist.Id, kind = "individual", modality = "video", startsAt, durationMinutes = 50,
        }))));

        var statuses = answers.Select(a => (int)a.StatusCode).ToList();
        Assert.True(statuses.Count(s => s == 201) == 1 && statuses.Count(s => s == 200) == 23, string.Join(", ", statuses));
        var ids = await Task.WhenAll(answers.Select(async a => (await a.ReadJsonAsync((int)a.StatusCode)).GetProperty("id").GetGuid()));
        Assert.Single(ids.Distinct());
    }
}

public sealed class BookingRuleTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private DateTime Hour(int hours) => api.Clock.GetUtcNow().UtcDateTime.Date.AddDays(2).AddHours(hours);

    [Fact]
    public async Task Booking_a_therapist_outside_the_clients_care_team_is_refused_naming_the_rule()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        var ehr = await practice.IntegrationAsync("sessions:write", "sessions:read");

        foreach (var caller in new[] { practice.Admin, ehr })
        {
            var refused = await caller.PostSessionAsync(new { clientId = client }, Hour(10), 50, therapistId: therapist.Id);
            await refused.AssertProblemAsync(409, "therapist-not-on-care-team");
        }

        Assert.Empty((await (await practice.Admin.GetAsync($"/api/v1/sessions?clientId={client}")).ReadJsonAsync(200)).Ids());
        // Once on the care team, the booking stands and the therapist sees their own session.
        await (await practice.Admin.PutAsJsonAsync($"/api/v1/clients/{client}/care-team", new { therapistIds = new[] { practice.AdminId, therapist.Id } })).ReadJsonAsync(200);
        var session = await ehr.CreateSessionAsync(new { clientId = client }, Hour(10), 50, therapistId: therapist.Id);
        await (await therapist.Client.GetAsync($"/api/v1/sessions/{session}")).ReadJsonAsync(200);
    }

    [Fact]
    public async Task A_client_cannot_be_in_two_overlapping_sessions_with_different_therapists()
    {
        var practice = await api.NewPracticeAsync();
        var colleague = await practice.AddTherapistAsync();
        var (couple, a, b) = await practice.Admin.CreateCoupleWithClientsAsync(new[] { colleague.Id });
        var first = await practice.Admin.CreateSessionAsync(new { clientId = a }, Hour(10), 60);

        var overlap = await practice.Admin.PostSessionAsync(new { clientId = a }, Hour(10).AddMinutes(30), 50, therapistId: colleague.Id);
        var problem = await overlap.AssertProblemAsync(409, "client-double-booking");
        Assert.Equal(first, problem.GetProperty("conflictingSessionId").GetGuid());
        // A couple session holds both partners.
        await (await practice.Admin.PostSessionAsync(new { coupleId = couple }, Hour(10), 50, therapistId: colleague.Id)).AssertProblemAsync(409, "client-double-booking");
        // The partner alone, or the same client right after, is fine.
        await practice.Admin.CreateSessionAsync(new { clientId = b }, Hour(10), 50, therapistId: colleague.Id);
        await practice.Admin.CreateSessionAsync(new { clientId = a }, Hour(11), 50, therapistId: colleague.Id);
        Assert.Equal(2, (await (await practice.Admin.GetAsync($"/api/v1/sessions?clientId={a}")).ReadJsonAsync(200)).Ids().Count);
    }
}
