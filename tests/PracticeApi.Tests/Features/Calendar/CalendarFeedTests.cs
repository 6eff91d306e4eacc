using System.Net.Http.Json;
using Ical.Net.CalendarComponents;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Calendar;

/// <summary>
/// A therapist's calendar feed (issue 31.3): a secret, revocable address a calendar app subscribes to, showing their
/// own sessions with times, kind and initials only; rescheduling moves an event (same UID, higher SEQUENCE) and
/// cancelling marks it.
/// </summary>
public sealed class CalendarFeedTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private static async Task<string> FeedPathAsync(HttpClient manager, Guid therapist)
    {
        var created = await (await manager.PostAsync($"/api/v1/therapists/{therapist}/calendar-feed", null))
            .ReadJsonAsync(201);
        Assert.Equal(therapist, created.GetProperty("therapistId").GetGuid());
        return new Uri(created.GetProperty("url").GetString()!).PathAndQuery;
    }

    private async Task<(HttpResponseMessage Response, string Body)> ReadFeedAsync(string path, string? language = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            path) { Headers = { { "Accept", "text/calendar" } } };
        if (language is not null) request.Headers.Add("Accept-Language", language);
        var response = await api.ClientWith(null).SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private async Task<List<CalendarEvent>> EventsAsync(string path, string? language = null)
    {
        var (response, body) = await ReadFeedAsync(path, language);
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        return Ical.Net.Calendar.Load(body)!.Events.ToList();
    }

    [Fact]
    public async Task A_therapist_subscribes_to_their_own_sessions_with_initials_only_and_changes_follow_the_same_event()
    {
        var practice = await api.NewPracticeAsync();
        var ann = await practice.AddTherapistAsync();
        var colleague = await practice.AddTherapistAsync();
        var sanne = (await (await practice.Admin.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Sanne", lastName = "de Vries", dateOfBirth = "1986-03-14", preferredLanguage = "nl", careTeam = new[] { ann.Id },
        })).ReadJsonAsync(201)).GetProperty("id").GetGuid();
        var other = await practice.Admin.CreateClientIdAsync(new[] { colleague.Id });
        var past = await ann.Client.CreateSessionAsync(new { clientId = sanne }, api.Clock.GetUtcNow()
            .UtcDateTime.Date.AddDays(-3).AddHours(9));
        await (await ann.Client.PostAsJsonAsync($"/api/v1/sessions/{past}/complete", new
        {
            attendance = new[] { new { clientId = sanne, attended = true } },
            note = new { format = "free", sections = new Dictionary<string, string> { ["text"] = "Spoke about the affair and her sleeplessness." } },
        })).ReadJsonAsync(200);
        var next = await ann.Client.CreateSessionAsync(new { clientId = sanne }, api.Clock.GetUtcNow()
            .UtcDateTime.Date.AddDays(4).AddHours(10));
        await colleague.Client.CreateSessionAsync(new { clientId = other }, api.Clock.GetUtcNow()
            .UtcDateTime.Date.AddDays(4).AddHours(10));

        var path = await FeedPathAsync(ann.Client, ann.Id);
        var (_, body) = await ReadFeedAsync(path);
        var events = await EventsAsync(path);
        Assert.Equal(new[] { $"{past}@practiceapi", $"{next}@practiceapi" }.Order(), events.Select(e => e.Uid).Order());
        var upcoming = events.Single(e => e.Uid == $"{next}@practiceapi");
        Assert.Equal("Individual session (in person), S.V.", upcoming.Summary);
        Assert.DoesNotContain("Sanne", body);
        Assert.DoesNotContain("Vries", body);
        Assert.DoesNotContain("affair", body);
        Assert.Equal("Individuele sessie (op de praktijk), S.V.", (await EventsAsync(path,
            "nl")).Single(e => e.Uid == upcoming.Uid).Summary);

        // Rescheduled: the same event moves, with a higher sequence; cancelled: the same event, marked cancelled.
        var moved = api.Clock.GetUtcNow().UtcDateTime.Date.AddDays(5).AddHours(14);
        var session = await (await ann.Client.GetAsync($"/api/v1/sessions/{next}")).ReadJsonAsync(200);
        using (var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/sessions/{next}")
               {
                   Content = JsonContent.Create(new { kind = "individual", modality = "video", startsAt = moved,
                       durationMinutes = 50 }),
                   Headers = { { "If-Match", $"\"{session.GetProperty("version").GetInt32()}\"" } },
               })
        {
            await (await ann.Client.SendAsync(update)).ReadJsonAsync(200);
        }

        var rescheduled = (await EventsAsync(path)).Single(e => e.Uid == upcoming.Uid);
        Assert.True(rescheduled.Sequence > upcoming.Sequence);
        Assert.Equal(moved, rescheduled.DtStart!.AsUtc);
        Assert.Equal("Individual session (video), S.V.", rescheduled.Summary);
        await (await ann.Client.PostAsJsonAsync($"/api/v1/sessions/{next}/cancel", new { reason = "Ill",
            byClient = false })).ReadJsonAsync(200);
        var cancelled = (await EventsAsync(path)).Single(e => e.Uid == upcoming.Uid);
        Assert.Equal("CANCELLED", cancelled.Status);
        Assert.True(cancelled.Sequence > rescheduled.Sequence);

        // Every read of the feed is in the client's access log, as the feed's.
        var reads = await practice.AuditEventsAsync($"clientId={sanne}&resourceType=calendar_feed");
        Assert.Contains(reads, e => e.GetProperty("action").GetString() == "read" && e.GetProperty("actorKind")
            .GetString() == "calendar_feed");
    }

    [Fact]
    public async Task A_feed_is_replaced_or_revoked_at_once_and_only_its_therapist_or_an_admin_manages_it()
    {
        var practice = await api.NewPracticeAsync();
        var ann = await practice.AddTherapistAsync();
        var colleague = await practice.AddTherapistAsync();
        var first = await FeedPathAsync(ann.Client, ann.Id);
        await EventsAsync(first);

        // Another therapist may not touch Ann's feed; refused requests change nothing.
        foreach (var refused in new[]
                 {
                     await colleague.Client.PostAsync($"/api/v1/therapists/{ann.Id}/calendar-feed", null),
                     await colleague.Client.GetAsync($"/api/v1/therapists/{ann.Id}/calendar-feed"),
                     await colleague.Client.DeleteAsync($"/api/v1/therapists/{ann.Id}/calendar-feed"),
                 })
        {
            await refused.AssertProblemAsync(403, "forbidden");
        }

        await EventsAsync(first);
        var shown = await (await ann.Client.GetAsync($"/api/v1/therapists/{ann.Id}/calendar-feed")).ReadJsonAsync(200);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, shown.GetProperty("url").ValueKind);

        // A new feed (here made by an admin) ends the previous one at once.
        var second = await FeedPathAsync(practice.Admin, ann.Id);
        Assert.NotEqual(first, second);
        Assert.Equal(404, (int)(await ReadFeedAsync(first)).Response.StatusCode);
        await EventsAsync(second);

        Assert.Equal(204, (int)(await ann.Client.DeleteAsync($"/api/v1/therapists/{ann.Id}/calendar-feed")).StatusCode);
        Assert.Equal(404, (int)(await ReadFeedAsync(second)).Response.StatusCode);
        await (await ann.Client.GetAsync($"/api/v1/therapists/{ann.Id}/calendar-feed")).AssertProblemAsync(404,
            "not-found");
        await (await ann.Client.DeleteAsync($"/api/v1/therapists/{ann.Id}/calendar-feed")).AssertProblemAsync(404,
            "not-found");

        // A deactivated therapist's feed stops; unknown secrets, other practices and anonymous callers get nothing.
        var third = await FeedPathAsync(practice.Admin, ann.Id);
        Assert.Equal(204, (int)(await practice.Admin.PostAsync($"/api/v1/therapists/{ann.Id}/deactivate", null))
            .StatusCode);
        Assert.Equal(404, (int)(await ReadFeedAsync(third)).Response.StatusCode);
        await (await practice.Admin.PostAsync($"/api/v1/therapists/{ann.Id}/calendar-feed", null))
            .AssertProblemAsync(409, "therapist-inactive");
        Assert.Equal(204, (int)(await practice.Admin.DeleteAsync($"/api/v1/therapists/{ann.Id}/calendar-feed"))
            .StatusCode);
        Assert.Equal(404, (int)(await ReadFeedAsync("/calendar/pa_cal_unknown")).Response.StatusCode);
        Assert.Equal(404, (int)(await ReadFeedAsync("/calendar/anything")).Response.StatusCode);
        var stranger = await api.NewPracticeAsync();
        await (await stranger.Admin.PostAsync($"/api/v1/therapists/{colleague.Id}/calendar-feed", null))
            .AssertProblemAsync(404, "not-found");
        await (await practice.Admin.PostAsync($"/api/v1/therapists/{Guid.NewGuid()}/calendar-feed", null))
            .AssertProblemAsync(404, "not-found");
        await (await api.ClientWith(null).PostAsync($"/api/v1/therapists/{colleague.Id}/calendar-feed", null))
            .AssertProblemAsync(401);
        await (await colleague.Client.GetAsync($"/api/v1/therapists/{colleague.Id}/calendar-feed"))
            .AssertProblemAsync(404, "not-found");
    }
}
