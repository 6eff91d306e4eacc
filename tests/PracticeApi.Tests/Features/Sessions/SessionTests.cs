using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Sessions;

public abstract class SessionSuite(ApiFactory api)
{
    private DateTime Hour(int hoursFromNow)
    {
        var now = api.Clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(hoursFromNow);
    }

    [SkippableFact]
    public async Task A_couple_session_is_with_both_partners_and_an_individual_one_with_the_client()
    {
        var practice = await api.NewPracticeAsync();
        var (coupleId, a, b) = await practice.Admin.CreateCoupleWithClientsAsync();
        var response = await practice.Admin.PostSessionAsync(new { coupleId }, Hour(48), 90);
        var session = await response.ReadJsonAsync(201);
        Assert.Equal($"/api/v1/sessions/{session.GetProperty("id").GetGuid()}",
            response.Headers.Location!.OriginalString);
        Assert.Equal(new[] { a, b }.Order(), session.GetProperty("participants").EnumerateArray()
            .Select(p => p.GetProperty("clientId").GetGuid()).Order());
        Assert.Equal("scheduled", session.GetProperty("status").GetString());
        Assert.Equal(practice.AdminId, session.GetProperty("therapistId").GetGuid());
        Assert.Equal(Hour(48).AddMinutes(90), session.GetProperty("endsAt").GetDateTime().ToUniversalTime());

        var single = await (await practice.Admin.PostSessionAsync(new { clientId = a }, Hour(72))).ReadJsonAsync(201);
        Assert.Equal([a], single.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("clientId")
            .GetGuid()));
    }

    [SkippableFact]
    public async Task Invalid_sessions_are_400_and_nothing_is_created()
    {
        var practice = await api.NewPracticeAsync();
        var (coupleId, a, _) = await practice.Admin.CreateCoupleWithClientsAsync();
        var both = await practice.Admin.PostSessionAsync(new { clientId = a, coupleId }, Hour(24));
        Assert.Contains("clientId", (await both.AssertProblemAsync(400, "validation")).ErrorFields());
        var tooShort = await practice.Admin.PostSessionAsync(new { clientId = a }, Hour(24), minutes: 5);
        Assert.Contains("durationMinutes", (await tooShort.AssertProblemAsync(400)).ErrorFields());
        var tooLong = await practice.Admin.PostSessionAsync(new { clientId = a }, Hour(24), minutes: 481);
        Assert.Contains("durationMinutes", (await tooLong.AssertProblemAsync(400)).ErrorFields());
        var coupleKind = await practice.Admin.PostSessionAsync(new { clientId = a }, Hour(24), kind: "couple");
        Assert.Contains("kind", (await coupleKind.AssertProblemAsync(400)).ErrorFields());
        var noZone = await practice.Admin.PostAsJsonAsync("/api/v1/sessions",
            new { clientId = a, kind = "individual", modality = "video", startsAt = "2026-12-01T10:00:00", durationMinutes = 50 });
        await noZone.AssertProblemAsync(400, "malformed-json");
        Assert.Empty((await (await practice.Admin.GetAsync("/api/v1/sessions")).ReadJsonAsync(200)).Ids());
    }

    [SkippableFact]
    public async Task A_therapist_cannot_be_double_booked_and_the_problem_names_the_other_session()
    {
        var practice = await api.NewPracticeAsync();
        var a = await practice.Admin.CreateClientIdAsync();
        var b = await practice.Admin.CreateClientIdAsync();
        var first = await practice.Admin.CreateSessionAsync(new { clientId = a }, Hour(24), 60);

        var overlap = await practice.Admin.PostSessionAsync(new { clientId = b }, Hour(24).AddMinutes(30), 60);
        var problem = await overlap.AssertProblemAsync(409, "double-booking");
        Assert.Equal(first, problem.GetProperty("conflictingSessionId").GetGuid());
        Assert.Contains(first.ToString(), problem.GetProperty("detail").GetString());
        Assert.Single((await (await practice.Admin.GetAsync("/api/v1/sessions")).ReadJsonAsync(200)).Ids());

        // Back to back is fine; another therapist at the same time is fine; a cancelled session frees its slot.
        await practice.Admin.CreateSessionAsync(new { clientId = b }, Hour(25), 60);
        var colleague = await practice.AddTherapistAsync();
        await (await practice.Admin.PutAsJsonAsync($"/api/v1/clients/{b}/care-team",
            new { therapistIds = new[] { practice.AdminId, colleague.Id } })).ReadJsonAsync(200);
        await practice.Admin.CreateSessionAsync(new { clientId = b }, Hour(24), 60, therapistId: colleague.Id);
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{first}/cancel", new { reason = "Therapist ill",
            byClient = false })).ReadJsonAsync(200);
        await practice.Admin.CreateSessionAsync(new { clientId = a }, Hour(24).AddMinutes(15), 30);
    }

    [SkippableFact]
    public async Task Rescheduling_rechecks_overlap_and_a_stale_if_match_is_412_with_nothing_changed()
    {
        var practice = await api.NewPracticeAsync();
        var a = await practice.Admin.CreateClientIdAsync();
        var first = await practice.Admin.CreateSessionAsync(new { clientId = a }, Hour(24), 60);
        var second = await practice.Admin.CreateSessionAsync(new { clientId = a }, Hour(30), 60);
        var body = new { kind = "individual", modality = "video", startsAt = Hour(24)
            .AddMinutes(30), durationMinutes = 45 };

        var clash = await practice.Admin.SendAsync(Api.Put($"/api/v1/sessions/{second}", body).WithIfMatch(1));
        Assert.Equal(first, (await clash.AssertProblemAsync(409, "double-booking")).GetProperty("conflictingSessionId")
            .GetGuid());

        var moved = await (await practice.Admin.SendAsync(Api.Put($"/api/v1/sessions/{second}",
            body with { startsAt = Hour(40) }).WithIfMatch(1))).ReadJsonAsync(200);
        Assert.Equal(2, moved.GetProperty("version").GetInt32());
        Assert.Equal("video", moved.GetProperty("modality").GetString());

        await (await practice.Admin.SendAsync(Api.Put($"/api/v1/sessions/{second}", body with { startsAt = Hour(50) })
            .WithIfMatch(1)))
            .AssertProblemAsync(412, "stale-version");
        var after = await (await practice.Admin.GetAsync($"/api/v1/sessions/{second}")).ReadJsonAsync(200);
        Assert.Equal(Hour(40), after.GetProperty("startsAt").GetDateTime().ToUniversalTime());
    }

    [SkippableFact]
    public async Task Completing_records_attendance_and_a_validated_note()
    {
        var practice = await api.NewPracticeAsync();
        var (coupleId, a, b) = await practice.Admin.CreateCoupleWithClientsAsync();
        var future = await practice.Admin.CreateSessionAsync(new { coupleId }, Hour(3));
        var attendance = new[] { new { clientId = a, attended = true }, new { clientId = b, attended = false } };
        var soap = new { format = "soap", sections = new Dictionary<string, string> { ["subjective"] = "s", ["objective"] = "o", ["assessment"] = "a", ["plan"] = "p" } };
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{future}/complete", new { attendance,
            note = soap })).AssertProblemAsync(409, "invalid-transition");

        var id = await practice.Admin.CreateSessionAsync(new { coupleId }, Hour(-2));
        var missingSection = await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{id}/complete", new
        {
            attendance, note = new { format = "dap", sections = new Dictionary<string, string> { ["data"] = "d", ["story"] = "x" } },
        });
        var fields = (await missingSection.AssertProblemAsync(400, "validation")).ErrorFields().ToList();
        Assert.Contains("note.sections.story", fields);
        Assert.Contains("note.sections.assessment", fields);
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{id}/complete",
            new { attendance = attendance.Take(1), note = soap })).AssertProblemAsync(400, "validation");
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{id}/complete",
            new { attendance = new[] { new { clientId = Guid.NewGuid(), attended = true } }, note = soap }))
                .AssertProblemAsync(400);
        Assert.Equal("scheduled", (await (await practice.Admin.GetAsync($"/api/v1/sessions/{id}")).ReadJsonAsync(200))
            .GetProperty("status").GetString());

        var done = await (await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{id}/complete", new { attendance,
            note = soap })).ReadJsonAsync(200);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal("soap", done.GetProperty("note").GetProperty("format").GetString());
        Assert.Equal("p", done.GetProperty("note").GetProperty("sections").GetProperty("plan").GetString());
        var absent = done.GetProperty("participants").EnumerateArray().Single(p => p.GetProperty("clientId")
            .GetGuid() == b);
        Assert.False(absent.GetProperty("attended").GetBoolean());

        await (await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{id}/complete", new { attendance, note = soap }))
            .AssertProblemAsync(409, "invalid-transition");
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{id}/cancel", new { reason = "x",
            byClient = true })).AssertProblemAsync(409, "invalid-transition");
        await (await practice.Admin.PostAsync($"/api/v1/sessions/{id}/no-show", null)).AssertProblemAsync(409);
    }

    [SkippableFact]
    public async Task A_client_cancelling_within_24_hours_is_a_late_cancellation()
    {
        var practice = await api.NewPracticeAsync();
        var a = await practice.Admin.CreateClientIdAsync();
        var now = api.Clock.GetUtcNow().UtcDateTime;
        var justInside = await practice.Admin.CreateSessionAsync(new { clientId = a }, now.AddHours(24).AddMinutes(-1)
            .AddSeconds(-now.Second), 30);
        var justOutside = await practice.Admin.CreateSessionAsync(new { clientId = a }, now.AddHours(25), 30);
        var byTherapist = await practice.Admin.CreateSessionAsync(new { clientId = a }, now.AddHours(2), 30);

        async Task<string> Cancel(Guid id, bool byClient) =>
            (await (await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{id}/cancel", new { reason = "Sick",
                byClient })).ReadJsonAsync(200))
            .GetProperty("status").GetString()!;

        Assert.Equal("late_cancelled", await Cancel(justInside, byClient: true));
        Assert.Equal("cancelled", await Cancel(justOutside, byClient: true));
        Assert.Equal("cancelled", await Cancel(byTherapist, byClient: false));
        var cancelled = await (await practice.Admin.GetAsync($"/api/v1/sessions/{justInside}")).ReadJsonAsync(200);
        Assert.Equal("Sick", cancelled.GetProperty("cancellation").GetProperty("reason").GetString());
        Assert.True(cancelled.GetProperty("cancellation").GetProperty("byClient").GetBoolean());
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{justInside}/cancel", new { reason = "",
            byClient = true })).AssertProblemAsync(400);
    }

    [SkippableFact]
    public async Task A_no_show_is_recorded_only_once_the_session_has_started()
    {
        var practice = await api.NewPracticeAsync();
        var a = await practice.Admin.CreateClientIdAsync();
        var id = await practice.Admin.CreateSessionAsync(new { clientId = a }, Hour(1));
        await (await practice.Admin.PostAsync($"/api/v1/sessions/{id}/no-show", null)).AssertProblemAsync(409,
            "invalid-transition");
        api.Clock.Advance(TimeSpan.FromHours(2));
        var noShow = await practice.Admin.PostAsync($"/api/v1/sessions/{id}/no-show", null);
        Assert.Equal(204, (int)noShow.StatusCode);
        Assert.NotNull(noShow.Headers.ETag);
        Assert.Equal("no_show", (await (await practice.Admin.GetAsync($"/api/v1/sessions/{id}")).ReadJsonAsync(200))
            .GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task Sessions_list_in_start_order_and_filter_by_therapist_time_client_couple_and_status()
    {
        var practice = await api.NewPracticeAsync();
        var ann = await practice.AddTherapistAsync();
        var (coupleId, a, _) = await practice.Admin.CreateCoupleWithClientsAsync(careTeam: new[] { ann.Id });
        var solo = await practice.Admin.CreateClientIdAsync(careTeam: new[] { ann.Id });
        var late = await practice.Admin.CreateSessionAsync(new { coupleId }, Hour(100), therapistId: ann.Id);
        var early = await practice.Admin.CreateSessionAsync(new { clientId = a }, Hour(10), therapistId: ann.Id);
        var mid = await practice.Admin.CreateSessionAsync(new { clientId = solo }, Hour(50));

        Assert.Equal([early, mid, late], (await (await practice.Admin.GetAsync("/api/v1/sessions"))
            .ReadJsonAsync(200)).Ids());
        Assert.Equal([early, late], (await (await practice.Admin.GetAsync($"/api/v1/sessions?therapistId={ann.Id}"))
            .ReadJsonAsync(200)).Ids());
        var from = Uri.EscapeDataString(Hour(20).ToString("O"));
        var to = Uri.EscapeDataString(Hour(200).ToString("O"));
        Assert.Equal([late],
            (await (await practice.Admin.GetAsync($"/api/v1/sessions?therapistId={ann.Id}&from={from}&to={to}"))
            .ReadJsonAsync(200)).Ids());
        Assert.Equal([early, late], (await (await practice.Admin.GetAsync($"/api/v1/sessions?clientId={a}"))
            .ReadJsonAsync(200)).Ids());
        Assert.Equal([late], (await (await practice.Admin.GetAsync($"/api/v1/sessions?coupleId={coupleId}"))
            .ReadJsonAsync(200)).Ids());
        await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{mid}/cancel", new { reason = "x", byClient = false });
        Assert.Equal([mid], (await (await practice.Admin.GetAsync("/api/v1/sessions?status=cancelled"))
            .ReadJsonAsync(200)).Ids());
        await (await practice.Admin.GetAsync("/api/v1/sessions?status=postponed")).AssertProblemAsync(400,
            "validation");

        var pageOne = await (await practice.Admin.GetAsync("/api/v1/sessions?limit=2")).ReadJsonAsync(200);
        var pageTwo = await (await practice.Admin.GetAsync(
            $"/api/v1/sessions?limit=2&cursor={pageOne.GetProperty("nextCursor").GetString()}")).ReadJsonAsync(200);
        Assert.Equal([early, mid, late], pageOne.Ids().Concat(pageTwo.Ids()));
        Assert.Equal(JsonValueKind.Null, pageTwo.GetProperty("nextCursor").ValueKind);
    }

    [SkippableFact]
    public async Task An_integration_schedules_with_a_therapist_and_never_sees_notes()
    {
        var practice = await api.NewPracticeAsync();
        var a = await practice.Admin.CreateClientIdAsync();
        var ehr = await practice.IntegrationAsync("sessions:read", "sessions:write", "clients:read");
        var noTherapist = await ehr.PostSessionAsync(new { clientId = a }, Hour(-3));
        Assert.Contains("therapistId", (await noTherapist.AssertProblemAsync(400, "validation")).ErrorFields());
        var id = await ehr.CreateSessionAsync(new { clientId = a }, Hour(-3), therapistId: practice.AdminId);

        await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{id}/complete", new
        {
            attendance = new[] { new { clientId = a, attended = true } },
            note = new { format = "free", sections = new Dictionary<string, string> { ["text"] = "Private clinical text" } },
        });
        var seen = await (await ehr.GetAsync($"/api/v1/sessions/{id}")).ReadJsonAsync(200);
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("note").ValueKind);
        Assert.DoesNotContain("Private clinical text", await ehr.GetStringAsync("/api/v1/sessions"));
        await (await ehr.PostAsJsonAsync($"/api/v1/sessions/{id}/complete", new { attendance = Array.Empty<object>() }))
            .AssertProblemAsync(403);
        var readOnly = await practice.IntegrationAsync("sessions:read");
        await (await readOnly.PostSessionAsync(new { clientId = a }, Hour(9), therapistId: practice.AdminId))
            .AssertProblemAsync(403);
    }

    [SkippableFact]
    public async Task A_therapist_outside_the_care_team_gets_404_for_the_clients_sessions()
    {
        var practice = await api.NewPracticeAsync();
        var ann = await practice.AddTherapistAsync();
        var bob = await practice.AddTherapistAsync();
        var (coupleId, a, _) = await ann.Client.CreateCoupleWithClientsAsync();
        var id = await ann.Client.CreateSessionAsync(new { coupleId }, Hour(5));

        await (await bob.Client.GetAsync($"/api/v1/sessions/{id}")).AssertProblemAsync(404);
        await (await bob.Client.SendAsync(Api.Put($"/api/v1/sessions/{id}", new { kind = "couple", modality = "video",
            startsAt = Hour(6), durationMinutes = 50 })))
            .AssertProblemAsync(404);
        await (await bob.Client.PostAsJsonAsync($"/api/v1/sessions/{id}/cancel", new { reason = "x",
            byClient = false })).AssertProblemAsync(404);
        await (await bob.Client.PostAsync($"/api/v1/sessions/{id}/no-show", null)).AssertProblemAsync(404);
        await (await bob.Client.PostSessionAsync(new { clientId = a }, Hour(7))).AssertProblemAsync(404);
        await (await bob.Client.PostSessionAsync(new { coupleId }, Hour(7))).AssertProblemAsync(404);
        Assert.Empty((await (await bob.Client.GetAsync($"/api/v1/sessions?clientId={a}")).ReadJsonAsync(200)).Ids());
        Assert.Equal("scheduled", (await (await ann.Client.GetAsync($"/api/v1/sessions/{id}")).ReadJsonAsync(200))
            .GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task Session_reads_and_changes_are_audited_with_every_participant()
    {
        var practice = await api.NewPracticeAsync();
        var (coupleId, a, b) = await practice.Admin.CreateCoupleWithClientsAsync();
        var id = await practice.Admin.CreateSessionAsync(new { coupleId }, Hour(8));
        await practice.Admin.GetAsync($"/api/v1/sessions/{id}");
        await practice.Admin.GetAsync($"/api/v1/sessions?clientId={a}");
        await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{id}/cancel", new { reason = "Holiday",
            byClient = true });
        foreach (var partner in new[] { a, b })
        {
            var events = (await practice.AuditEventsAsync($"clientId={partner}"))
                .Where(e => e.GetProperty("resourceType").GetString() == "session").ToList();
            Assert.Single(events, e => e.GetProperty("action").GetString() == "create");
            Assert.Single(events, e => e.GetProperty("action").GetString() == "update");
            Assert.Equal(2, events.Count(e => e.GetProperty("action").GetString() == "read"));
        }
    }
}

public sealed class SessionsOnSqlite(SqliteApi api) : SessionSuite(api), IClassFixture<SqliteApi>;

public sealed class SessionsOnSqlServer(SqlServerApi api) : SessionSuite(api), IClassFixture<SqlServerApi>;
