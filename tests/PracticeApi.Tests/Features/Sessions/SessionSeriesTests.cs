using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Sessions;

/// <summary>Appointment series (the clinical record issue, part 2), in the default zone Europe/Amsterdam.</summary>
public sealed class SessionSeriesTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private static List<JsonElement> Sessions(JsonElement series) => series.GetProperty("sessions")
        .EnumerateArray().ToList();

    private static DateTime Start(JsonElement session) => session.GetProperty("startsAt").GetDateTime()
        .ToUniversalTime();

    [Fact]
    public async Task A_weekly_series_keeps_its_local_time_across_the_daylight_saving_change()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        // Tuesdays at 09:00 in Amsterdam; summer time starts on Sunday 28 March 2027.
        var response = await practice.Admin.PostAsJsonAsync("/api/v1/session-series", new
        {
            clientId = client, kind = "individual", modality = "in_person", startsAt = "2027-03-16T08:00:00Z", durationMinutes = 50, everyWeeks = 1, count = 3,
        });
        var series = await response.ReadJsonAsync(201);
        Assert.Equal($"/api/v1/session-series/{series.GetProperty("id").GetGuid()}",
            response.Headers.Location!.OriginalString);
        Assert.Equal("09:00", series.GetProperty("localStartTime").GetString());
        Assert.Equal(
            [new DateTime(2027, 3, 16, 8, 0, 0, DateTimeKind.Utc), new DateTime(2027, 3, 23, 8, 0, 0,
                DateTimeKind.Utc), new DateTime(2027, 3, 30, 7, 0, 0, DateTimeKind.Utc)],
            Sessions(series).Select(Start).ToArray());

        // Every occurrence is a real session that knows its series.
        var first = Sessions(series)[0].GetProperty("id").GetGuid();
        var single = await (await practice.Admin.GetAsync($"/api/v1/sessions/{first}")).ReadJsonAsync(200);
        Assert.Equal(series.GetProperty("id").GetGuid(), single.GetProperty("seriesId").GetGuid());
        var fortnightly = await (await practice.Admin.PostAsJsonAsync("/api/v1/session-series", new
        {
            clientId = client, kind = "individual", modality = "video", startsAt = "2027-04-01T12:00:00Z", durationMinutes = 50, everyWeeks = 2, until = "2027-04-29",
        })).ReadJsonAsync(201);
        Assert.Equal(3, Sessions(fortnightly).Count); // 1, 15 and 29 April
        var events = await practice.AuditEventsAsync($"clientId={client}");
        Assert.Equal(2, events.Count(e => e.GetProperty("resourceType").GetString() == "session_series"
            && e.GetProperty("action").GetString() == "create"));
    }

    [Fact]
    public async Task A_conflicting_occurrence_books_nothing_unless_conflicts_are_skipped()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        var other = await practice.Admin.CreateClientIdAsync();
        var busy = await practice.Admin.CreateSessionAsync(new { clientId = other }, new DateTime(2027, 5, 11, 8, 30,
            0, DateTimeKind.Utc));
        object Body(bool skip) => new
        {
            clientId = client, kind = "individual", modality = "video", startsAt = "2027-05-04T08:00:00Z", durationMinutes = 50, everyWeeks = 1, count = 4,
            skipConflicts = skip,
        };

        var refused = await (await practice.Admin.PostAsJsonAsync("/api/v1/session-series", Body(false)))
            .AssertProblemAsync(409, "series-conflicts");
        var conflict = Assert.Single(refused.GetProperty("conflicts").EnumerateArray());
        Assert.Equal(busy, conflict.GetProperty("conflictingSessionId").GetGuid());
        Assert.Equal("double-booking", conflict.GetProperty("reason").GetString());
        Assert.Empty((await (await practice.Admin.GetAsync($"/api/v1/sessions?clientId={client}")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());

        var booked = await (await practice.Admin.PostAsJsonAsync("/api/v1/session-series", Body(true)))
            .ReadJsonAsync(201);
        Assert.Equal(3, Sessions(booked).Count);
        Assert.Equal(new DateTime(2027, 5, 11, 8, 0, 0, DateTimeKind.Utc), Assert.Single(booked.GetProperty("skipped")
            .EnumerateArray()).GetProperty("startsAt").GetDateTime().ToUniversalTime());
    }

    [Fact]
    public async Task This_and_following_can_be_cancelled_or_moved_and_a_conflict_moves_nothing()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        var series = await (await practice.Admin.PostAsJsonAsync("/api/v1/session-series", new
        {
            clientId = client, kind = "individual", modality = "video", startsAt = "2027-06-01T07:00:00Z", durationMinutes = 50, everyWeeks = 1, count = 4,
        })).ReadJsonAsync(201);
        var id = series.GetProperty("id").GetGuid();
        var ids = Sessions(series).Select(s => s.GetProperty("id").GetGuid()).ToList();

        var other = await practice.Admin.CreateClientIdAsync();
        await practice.Admin.CreateSessionAsync(new { clientId = other }, new DateTime(2027, 6, 22, 10, 0, 0,
            DateTimeKind.Utc));
        var clash = await practice.Admin.PostAsJsonAsync($"/api/v1/session-series/{id}/reschedule",
            new { fromSessionId = ids[1], startsAt = "2027-06-08T10:00:00Z", durationMinutes = 50 });
        await clash.AssertProblemAsync(409, "series-conflicts");
        var unchanged = await (await practice.Admin.GetAsync($"/api/v1/session-series/{id}")).ReadJsonAsync(200);
        Assert.Equal(Sessions(series).Select(Start), Sessions(unchanged).Select(Start));

        var moved = await (await practice.Admin.PostAsJsonAsync($"/api/v1/session-series/{id}/reschedule",
            new { fromSessionId = ids[1], startsAt = "2027-06-09T12:00:00Z", durationMinutes = 60 }))
                .ReadJsonAsync(200);
        Assert.Equal(
            [new DateTime(2027, 6, 1, 7, 0, 0, DateTimeKind.Utc), new DateTime(2027, 6, 9, 12, 0, 0, DateTimeKind.Utc),
                new DateTime(2027, 6, 16, 12, 0, 0, DateTimeKind.Utc), new DateTime(2027, 6, 23, 12, 0, 0,
                DateTimeKind.Utc)],
            Sessions(moved).Select(Start).ToArray());

        var cancelled = await (await practice.Admin.PostAsJsonAsync($"/api/v1/session-series/{id}/cancel",
            new { fromSessionId = ids[2], reason = "Therapy paused for the summer", byClient = true }))
                .ReadJsonAsync(200);
        Assert.Equal(["scheduled", "scheduled", "cancelled", "cancelled"],
            Sessions(cancelled).Select(s => s.GetProperty("status").GetString()!).ToArray());
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/session-series/{id}/cancel",
            new { fromSessionId = ids[3], reason = "x", byClient = false }))
            .AssertProblemAsync(409, "invalid-transition");
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/session-series/{id}/cancel",
            new { fromSessionId = Guid.NewGuid(), reason = "x", byClient = false }))
            .AssertProblemAsync(400, "validation");
    }

    [Fact]
    public async Task Series_are_validated_and_seen_only_within_practice_and_caseload()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var client = await therapist.Client.CreateClientIdAsync();
        object Body(object extra) => Merge(new { clientId = client, kind = "individual", modality = "video",
            startsAt = "2027-07-06T07:00:00Z", durationMinutes = 50, everyWeeks = 1 }, extra);
        foreach (var (extra, field) in new (object, string)[]
                 {
                     (new { count = 3, until = "2027-08-01" }, "count"), (new { },
                         "count"), (new { count = 53 }, "count"),
                     (new { count = 3, everyWeeks = 5 }, "everyWeeks"), (new { until = "2027-07-01" },
                         "until"), (new { until = "2029-01-01" }, "until"),
                 })
        {
            var problem = await (await therapist.Client.PostAsJsonAsync("/api/v1/session-series", Body(extra)))
                .AssertProblemAsync(400, "validation");
            Assert.Contains(field, problem.ErrorFields());
        }

        Assert.Empty((await (await therapist.Client.GetAsync($"/api/v1/sessions?clientId={client}")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());
        var series = await (await therapist.Client.PostAsJsonAsync("/api/v1/session-series", Body(new { count = 2 })))
            .ReadJsonAsync(201);
        var id = series.GetProperty("id").GetGuid();

        var colleague = await practice.AddTherapistAsync();
        await (await colleague.Client.GetAsync($"/api/v1/session-series/{id}")).AssertProblemAsync(404, "not-found");
        await (await colleague.Client.PostAsJsonAsync("/api/v1/session-series", Body(new { count = 2 })))
            .AssertProblemAsync(404, "not-found");
        var ehr = await practice.IntegrationAsync("sessions:read");
        Assert.Equal(2, Sessions(await (await ehr.GetAsync($"/api/v1/session-series/{id}")).ReadJsonAsync(200)).Count);
        await (await ehr.PostAsJsonAsync("/api/v1/session-series", Body(new { count = 2, therapistId = therapist.Id })))
            .AssertProblemAsync(403, "forbidden");
        await (await api.ClientWith(null).GetAsync($"/api/v1/session-series/{id}")).AssertProblemAsync(401,
            "unauthorized");
    }

    private static JsonElement Merge(object a, object b)
    {
        var node = JsonSerializer.SerializeToNode(a)!.AsObject();
        foreach (var (key, value) in JsonSerializer.SerializeToNode(b)!.AsObject()) node[key] = value?.DeepClone();
        return JsonSerializer.SerializeToElement(node);
    }
}
