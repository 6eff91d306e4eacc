using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PracticeApi.Features.Reminders;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Reminders;

/// <summary>
/// Session reminders (issue 31.3): session.reminder_due per participant once the session is as near as their setting
/// says, once across rounds and instances, again after a reschedule, never for a cancelled session or a client who
/// turned them off; the setting kept by staff or by the client through the portal.
/// </summary>
public sealed class SessionReminderTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private SessionReminderWatch Watch => api.Services.GetRequiredService<SessionReminderWatch>();

    private static async Task<List<System.Text.Json.JsonElement>> RemindersAsync(PracticeContext practice) =>
        (await (await practice.Admin.GetAsync("/api/v1/events?limit=200")).ReadJsonAsync(200)).GetProperty("items")
            .EnumerateArray()
        .Where(e => e.GetProperty("type").GetString() == "session.reminder_due").ToList();

    /// <summary>Runs rounds at a moment ahead of the test clock, then puts the clock back.</summary>
    private async Task RoundsAtAsync(TimeSpan ahead, int rounds = 1)
    {
        api.Clock.Advance(ahead);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, rounds).Select(_ => Watch.RemindAsync(CancellationToken.None)));
        }
        finally
        {
            api.Clock.Advance(-ahead);
        }
    }

    [Fact]
    public async Task Each_partner_is_reminded_once_at_their_own_hour_again_after_a_reschedule_and_never_when_off_or_cancelled()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var now = api.Clock.GetUtcNow().UtcDateTime;
        var startsAt = now.Date.AddDays(3).AddHours(10);
        var session = await admin.CreateSessionAsync(new { coupleId = c.CoupleId }, startsAt);
        // Partner B wants two days' notice; partner A keeps the practice's 24 hours.
        await (await c.PortalB.PutAsJsonAsync("/api/v1/me/reminders", new { enabled = true, hoursBefore = 48 }))
            .ReadJsonAsync(200);

        await RoundsAtAsync(startsAt.AddHours(-49) - now);
        Assert.Empty(await RemindersAsync(c.Practice));
        await RoundsAtAsync(startsAt.AddHours(-47) - now, rounds: 4);
        var first = Assert.Single(await RemindersAsync(c.Practice));
        Assert.Equal((session, c.B, 48), (first.GetProperty("data").GetProperty("sessionId").GetGuid(),
            first.GetProperty("data").GetProperty("clientId").GetGuid(), first.GetProperty("data")
                .GetProperty("hoursBefore").GetInt32()));
        await RoundsAtAsync(startsAt.AddHours(-23) - now, rounds: 4);
        var both = await RemindersAsync(c.Practice);
        Assert.Equal(new[] { c.A, c.B }.Order(), both.Select(e => e.GetProperty("data").GetProperty("clientId")
            .GetGuid()).Order());

        // Moved to the next week: reminded again for the new time, when that comes near.
        var moved = startsAt.AddDays(7);
        var current = await (await admin.GetAsync($"/api/v1/sessions/{session}")).ReadJsonAsync(200);
        using (var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/sessions/{session}")
               {
                   Content = JsonContent.Create(new { kind = "couple", modality = "in_person", startsAt = moved,
                       durationMinutes = 50 }),
                   Headers = { { "If-Match", $"\"{current.GetProperty("version").GetInt32()}\"" } },
               })
        {
            await (await admin.SendAsync(update)).ReadJsonAsync(200);
        }

        await RoundsAtAsync(moved.AddHours(-25) - now);
        Assert.Equal(3, (await RemindersAsync(c.Practice)).Count); // B's 48 hours have begun, A's 24 not yet
        await RoundsAtAsync(moved.AddHours(-1) - now, rounds: 3);
        var all = await RemindersAsync(c.Practice);
        Assert.Equal(4, all.Count);
        Assert.Equal(2, all.Count(e => e.GetProperty("data").GetProperty("startsAt").GetDateTime() == moved));

        // Off for partner A; a cancelled session is never announced.
        await (await admin.PutAsJsonAsync($"/api/v1/clients/{c.A}/reminders", new { enabled = false }))
            .ReadJsonAsync(200);
        var later = await admin.CreateSessionAsync(new { coupleId = c.CoupleId }, now.Date.AddDays(20).AddHours(10));
        var cancelled = await admin.CreateSessionAsync(new { coupleId = c.CoupleId }, now.Date.AddDays(21)
            .AddHours(10));
        await (await admin.PostAsJsonAsync($"/api/v1/sessions/{cancelled}/cancel", new { reason = "Holiday",
            byClient = false })).ReadJsonAsync(200);
        await RoundsAtAsync(now.Date.AddDays(20).AddHours(9) - now);
        await RoundsAtAsync(now.Date.AddDays(21).AddHours(9) - now);
        var last = (await RemindersAsync(c.Practice)).Skip(4).ToList();
        Assert.Equal([(later, c.B)], last.Select(e => (e.GetProperty("data").GetProperty("sessionId").GetGuid(),
            e.GetProperty("data").GetProperty("clientId").GetGuid())));
    }

    [Fact]
    public async Task The_portals_due_list_shows_a_session_once_its_reminder_time_has_begun_and_only_the_clients_own()
    {
        var c = await api.NewCoupleCaseAsync();
        var now = api.Clock.GetUtcNow().UtcDateTime;
        var soon = await c.Practice.Admin.CreateSessionAsync(new { clientId = c.A }, now.AddHours(20));
        await c.Practice.Admin.CreateSessionAsync(new { clientId = c.A }, now.AddHours(30));
        await c.Practice.Admin.CreateSessionAsync(new { clientId = c.B }, now.AddHours(10));
        async Task<List<Guid>> DueSessionsAsync(HttpClient portal) =>
            (await (await portal.GetAsync("/api/v1/me/due")).ReadJsonAsync(200)).GetProperty("sessions")
                .EnumerateArray()
            .Select(x => x.GetProperty("sessionId").GetGuid()).ToList();

        // The practice's 24 hours: the session in 20 hours, not the one in 30; never the partner's.
        Assert.Equal([soon], await DueSessionsAsync(c.PortalA));
        await (await c.PortalA.PutAsJsonAsync("/api/v1/me/reminders", new { enabled = true, hoursBefore = 48 }))
            .ReadJsonAsync(200);
        Assert.Equal(2, (await DueSessionsAsync(c.PortalA)).Count);
        await (await c.PortalA.PutAsJsonAsync("/api/v1/me/reminders", new { enabled = false })).ReadJsonAsync(200);
        Assert.Empty(await DueSessionsAsync(c.PortalA));
        var first = await (await c.PortalB.GetAsync("/api/v1/me/due")).ReadJsonAsync(200);
        Assert.Equal(("individual", "in_person"), (first.GetProperty("sessions")[0].GetProperty("kind").GetString(),
            first.GetProperty("sessions")[0].GetProperty("modality").GetString()));

        // The reminder in words, at the practice's local time: in the language B chose (Dutch), or the one asked for.
        var startsAt = first.GetProperty("sessions")[0].GetProperty("startsAt").GetDateTime();
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(startsAt, DateTimeKind.Utc),
            TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam"));
        Assert.Matches(
            $"^Herinnering: je sessie op de praktijk is op [a-z]+dag {local.Day} [a-z]+ om {local:HH:mm}\\.$",
            first.GetProperty("sessions")[0].GetProperty("reminder").GetString());
        var asked = new HttpRequestMessage(HttpMethod.Get,
            "/api/v1/me/due") { Headers = { { "Accept-Language", "en" } } };
        var english = await (await c.PortalB.SendAsync(asked)).ReadJsonAsync(200);
        Assert.Equal($"Reminder: your session at the practice is on {local.ToString("dddd d MMMM", System.Globalization.CultureInfo.InvariantCulture)} at {local:HH:mm}.",
            english.GetProperty("sessions")[0].GetProperty("reminder").GetString());
    }

    [Fact]
    public async Task The_setting_is_validated_kept_per_client_and_read_only_within_the_caseload()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var shown = await (await admin.GetAsync($"/api/v1/clients/{c.A}/reminders")).ReadJsonAsync(200);
        Assert.Equal((true, 24, true), (shown.GetProperty("enabled").GetBoolean(), shown.GetProperty("hoursBefore")
            .GetInt32(), shown.GetProperty("practiceDefault").GetBoolean()));

        foreach (var (body, field) in new (object Body, string Field)[]
                 {
                     (new { hoursBefore = 12 }, "enabled"), (new { enabled = true },
                         "hoursBefore"), (new { enabled = true, hoursBefore = 0 }, "hoursBefore"),
                     (new { enabled = true, hoursBefore = 169 }, "hoursBefore"), (new { enabled = false,
                         hoursBefore = 5 }, "hoursBefore"),
                 })
        {
            var problem = await (await admin.PutAsJsonAsync($"/api/v1/clients/{c.A}/reminders", body))
                .AssertProblemAsync(400, "validation");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{body}: {problem}");
        }

        Assert.True((await (await admin.GetAsync($"/api/v1/clients/{c.A}/reminders")).ReadJsonAsync(200))
            .GetProperty("practiceDefault").GetBoolean());
        var set = await (await admin.PutAsJsonAsync($"/api/v1/clients/{c.A}/reminders", new { enabled = true,
            hoursBefore = 6 })).ReadJsonAsync(200);
        Assert.Equal((6, false), (set.GetProperty("hoursBefore").GetInt32(), set.GetProperty("practiceDefault")
            .GetBoolean()));
        var mine = await (await c.PortalA.GetAsync("/api/v1/me/reminders")).ReadJsonAsync(200);
        Assert.Equal(6, mine.GetProperty("hoursBefore").GetInt32());
        var off = await (await c.PortalA.PutAsJsonAsync("/api/v1/me/reminders", new { enabled = false }))
            .ReadJsonAsync(200);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, off.GetProperty("hoursBefore").ValueKind);
        Assert.False(off.GetProperty("enabled").GetBoolean());
        Assert.Contains(await c.Practice.AuditEventsAsync($"clientId={c.A}"), e => e.GetProperty("resourceType")
            .GetString() == "reminder_settings");

        var stranger = await c.Practice.AddTherapistAsync();
        await (await stranger.Client.GetAsync($"/api/v1/clients/{c.A}/reminders")).AssertProblemAsync(404, "not-found");
        await (await stranger.Client.PutAsJsonAsync($"/api/v1/clients/{c.A}/reminders", new { enabled = true,
            hoursBefore = 2 })).AssertProblemAsync(404, "not-found");
        await (await (await api.NewPracticeAsync()).Admin.GetAsync($"/api/v1/clients/{c.A}/reminders"))
            .AssertProblemAsync(404, "not-found");
        await (await api.ClientWith(null).GetAsync($"/api/v1/clients/{c.A}/reminders")).AssertProblemAsync(401);
        await (await c.PortalA.GetAsync($"/api/v1/clients/{c.A}/reminders")).AssertProblemAsync(403);
        Assert.False((await (await admin.GetAsync($"/api/v1/clients/{c.A}/reminders")).ReadJsonAsync(200))
            .GetProperty("enabled").GetBoolean());
    }
}
