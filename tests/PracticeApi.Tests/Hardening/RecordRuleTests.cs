using System.Net.Http.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Hardening;

// Rules the outside test found missing: discharge ends portal access, upserts converge, bookings respect care teams and
// clients' own calendars, FHIR names a partner only to those who may see the couple.
public sealed class DischargeTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task Discharge_revokes_portal_tokens_so_reactivating_does_not_bring_them_back()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        var portal = api.ClientWith(await practice.PortalTokenAsync(client));
        await (await portal.GetAsync("/api/v1/me")).ReadJsonAsync(200);

        Assert.Equal(200, (int)(await practice.Admin.PostAsync($"/api/v1/clients/{client}/discharge", null))
            .StatusCode);
        Assert.Equal(200, (int)(await practice.Admin.PostAsync($"/api/v1/clients/{client}/reactivate", null))
            .StatusCode);

        await (await portal.GetAsync("/api/v1/me")).AssertProblemAsync(401);
        var events = await practice.AuditEventsAsync($"clientId={client}");
        Assert.Contains(events, e => e.GetProperty("resourceType").GetString() == "token" && e.GetProperty("action")
            .GetString() == "update");
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
        // Task.Run and enough threads: SQLite's async calls complete synchronously, so in-process requests would
        // otherwise run one by one.
        ThreadPool.GetMinThreads(out var workers, out var ports);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), ports);
        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(() => ehr.PutAsJsonAsync(url, new
        {
            clientId = client, therapistId = therapist.Id, kind = "individual", modality = "video", startsAt, durationMinutes = 50,
        }))));

        var statuses = answers.Select(a => (int)a.StatusCode).ToList();
        Assert.True(statuses.Count(s => s == 201) == 1 && statuses.Count(s => s == 200) == 23,
            string.Join(", ", statuses));
        var ids = await Task.WhenAll(answers.Select(async a => (await a.ReadJsonAsync((int)a.StatusCode))
            .GetProperty("id").GetGuid()));
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
            var refused = await caller.PostSessionAsync(new { clientId = client }, Hour(10), 50,
                therapistId: therapist.Id);
            await refused.AssertProblemAsync(409, "therapist-not-on-care-team");
        }

        Assert.Empty((await (await practice.Admin.GetAsync($"/api/v1/sessions?clientId={client}"))
            .ReadJsonAsync(200)).Ids());
        // Once on the care team, the booking stands and the therapist sees their own session.
        await (await practice.Admin.PutAsJsonAsync($"/api/v1/clients/{client}/care-team",
            new { therapistIds = new[] { practice.AdminId, therapist.Id } })).ReadJsonAsync(200);
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

        var overlap = await practice.Admin.PostSessionAsync(new { clientId = a }, Hour(10).AddMinutes(30), 50,
            therapistId: colleague.Id);
        var problem = await overlap.AssertProblemAsync(409, "client-double-booking");
        Assert.Equal(first, problem.GetProperty("conflictingSessionId").GetGuid());
        // A couple session holds both partners.
        await (await practice.Admin.PostSessionAsync(new { coupleId = couple }, Hour(10), 50,
            therapistId: colleague.Id)).AssertProblemAsync(409, "client-double-booking");
        // The partner alone, or the same client right after, is fine.
        await practice.Admin.CreateSessionAsync(new { clientId = b }, Hour(10), 50, therapistId: colleague.Id);
        await practice.Admin.CreateSessionAsync(new { clientId = a }, Hour(11), 50, therapistId: colleague.Id);
        Assert.Equal(2, (await (await practice.Admin.GetAsync($"/api/v1/sessions?clientId={a}")).ReadJsonAsync(200))
            .Ids().Count);
    }
}

public sealed class FhirDisclosureTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task A_partner_is_disclosed_only_to_callers_who_may_see_the_couple_and_the_audit_names_the_partner()
    {
        var practice = await api.NewPracticeAsync();
        var both = await practice.AddTherapistAsync();
        var oneSide = await practice.AddTherapistAsync();
        var a = await practice.Admin.CreateClientIdAsync(new[] { both.Id, oneSide.Id });
        var b = await practice.Admin.CreateClientIdAsync(new[] { both.Id });
        var couple = (await practice.Admin.CreateCoupleAsync(a, b)).GetProperty("id").GetGuid();

        var patient = await (await oneSide.Client.GetAsync($"/fhir/Patient?_id={a}")).Content.ReadAsStringAsync();
        Assert.Contains(a.ToString(), patient);
        Assert.DoesNotContain(b.ToString(), patient);
        var hidden = await (await oneSide.Client.GetAsync($"/fhir/RelatedPerson?patient={a}")).ReadJsonAsync(200);
        Assert.False(hidden.TryGetProperty("entry", out var entries) && entries.GetArrayLength() > 0);
        Assert.Equal(404, (int)(await oneSide.Client.GetAsync($"/fhir/RelatedPerson/{couple}-0")).StatusCode);

        var seen = await (await both.Client.GetAsync($"/fhir/RelatedPerson?patient={a}")).Content.ReadAsStringAsync();
        Assert.Contains("Patient/" + a, seen);
        var events = await practice.AuditEventsAsync($"clientId={b}&actorId={both.Id}");
        Assert.Contains(events, e => e.GetProperty("resourceType").GetString() == "fhir_related_person");
        Assert.DoesNotContain(await practice.AuditEventsAsync($"clientId={b}&actorId={oneSide.Id}"),
            e => e.GetProperty("outcome").GetString() == "success");
    }
}
