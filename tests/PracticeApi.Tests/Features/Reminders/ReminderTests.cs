using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PracticeApi.Features.Assignments;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Reminders;

/// <summary>Occurrence events (the repair path issue, part 2): due soon and missed, once each, in the practice's time
/// zone.</summary>
public sealed class ReminderTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task Unanswered_occurrences_are_announced_before_their_due_time_and_when_missed_once_each()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var c = await api.NewCoupleCaseAsync();
        // Tomorrow's check-in, due at 21:00 in Amsterdam.
        var tomorrow = api.Today.AddDays(1);
        var dueAt = TimeZoneInfo.ConvertTimeToUtc(tomorrow.ToDateTime(new TimeOnly(21, 0)), zone);
        var assignment = await c.Practice.Admin.AssignAsync(new
        {
            templateId = ExerciseWork.DailyCheckIn, coupleId = c.CoupleId, startsOn = tomorrow.ToString("yyyy-MM-dd",
                CultureInfo.InvariantCulture),
            occurrences = 1, dueTime = "21:00",
        });
        var notifier = api.Services.GetRequiredService<OccurrenceNotifier>();
        async Task<List<(string? Type, Guid Respondent)>> EventsAsync() =>
            (await (await c.Practice.Admin.GetAsync("/api/v1/events?limit=200")).ReadJsonAsync(200))
                .GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString()!.StartsWith("assignment.occurrence_",
            StringComparison.Ordinal))
            .Select(e => (e.GetProperty("type").GetString(), e.GetProperty("data").GetProperty("respondentId")
            .GetGuid())).ToList();

        var now = api.Clock.GetUtcNow().UtcDateTime;
        api.Clock.Advance(dueAt.AddHours(-3) - now);
        Assert.Equal(0, await notifier.NotifyAsync(CancellationToken.None));   // three hours before: not yet
        api.Clock.Advance(TimeSpan.FromHours(1.5));
        Assert.Equal(2, await notifier.NotifyAsync(CancellationToken.None));   // 90 minutes before: each partner, once
        Assert.Equal(0, await notifier.NotifyAsync(CancellationToken.None));
        await (await c.PortalA.AnswerAsync(assignment, tomorrow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ExerciseWork.CheckIn())).ReadJsonAsync(201);

        api.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1,
            await notifier.NotifyAsync(CancellationToken.None));   // missed: only the partner who did not answer
        Assert.Equal(0, await notifier.NotifyAsync(CancellationToken.None));
        var events = await EventsAsync();
        Assert.Equal(2, events.Count(e => e.Type == "assignment.occurrence_due"));
        Assert.Equal([("assignment.occurrence_missed", c.B)],
            events.Where(e => e.Type == "assignment.occurrence_missed").ToList());
        api.Clock.Advance(-(api.Clock.GetUtcNow().UtcDateTime - now));
    }
}
