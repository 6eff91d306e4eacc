using PracticeApi.Features.Sessions;
using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Features.Practices.DemoPractice;

namespace PracticeApi.Features.Practices;

/// <summary>
/// The demo's sessions: couple sessions held in the past weeks with their SOAP notes (each completed as it ended), the
/// next ones booked, an individual session waiting to be completed and a weekly series for Noor.
/// </summary>
internal sealed class DemoSessions(ScheduleSession schedule, SessionQueries sessions, BookSeries series, DemoTime time,
    PracticeCalendar calendar)
{
    public async Task SeedAsync(Caller admin, Guid eva, Guid mark, Guid affair, Guid addiction, Guid noor, Guid sanne,
        Guid joost, Guid daan, Guid lotte, CancellationToken ct)
    {
        async Task<Guid> Book(Guid id, Guid therapist, Guid? client, Guid? couple, SessionKind kind, int days,
            int hour) =>
            (await Planned(id, () => schedule.CreateAsync(admin, new CreateSessionRequest(client, couple, therapist,
                kind, SessionModality.InPerson,
                calendar.ToUtc(calendar.Today.AddDays(days), new TimeOnly(hour, 0)), 50, null), ct))).Id;

        // Completed, with the note, as the session ended.
        async Task Done(Guid session, Guid[] present, string subjective, string assessment, string plan) =>
            Value(await time.At<CompleteSession>((await sessions.GetAsync(admin, session, ct))!.EndsAt)
                .CompleteAsync(admin, session, new CompleteSessionRequest(
                present.Select(p => new Attendance(p, true)).ToList(),
                new SessionNote(NoteFormat.Soap, new Dictionary<string, string>
                {
                    ["subjective"] = subjective,
                    ["objective"] = "Both present and engaged; turn-taking held for most of the hour.",
                    ["assessment"] = assessment,
                    ["plan"] = plan,
                })), ct));

        await Done(await Book(DemoIds.AffairSessionCompleted, eva, null, affair, SessionKind.Couple, -21, 10),
            [sanne, joost],
            "Sanne describes sleeplessness and checking his phone; Joost says he feels watched but understands why.",
            "Acknowledgement is there; transparency is still asked for rather than offered.",
            "Start the daily check-in; Joost drafts a letter of responsibility.");
        await Done(await Book(DemoIds.AffairSessionLastWeek, eva, null, affair, SessionKind.Couple, -7, 10),
            [sanne, joost], "Check-ins mostly kept; one missed evening led to a fight, talked through here.",
            "Moving into agreements: both ready to write down what openness means for them.",
            "Draft the trust contract together; review the trigger plan next time.");
        await Book(DemoIds.AffairSessionNextWeek, eva, null, affair, SessionKind.Couple, 7, 10);
        await Done(await Book(DemoIds.AddictionSessionCompleted, mark, null, addiction, SessionKind.Couple, -14, 14),
            [daan, lotte], "Daan reports three months sober; Lotte does not yet believe the money is under control.",
            "Recovery is steady, the couple work has not moved since intake.",
            "Involve Lotte's own support; revisit the steps with both.");
        await Book(DemoIds.AddictionSessionUpcoming, mark, null, addiction, SessionKind.Couple, 3, 14);
        await Book(DemoIds.NoorSessionTomorrow, mark, noor, null, SessionKind.Individual, 1, 9);
        // Held two days ago, not yet completed; and weekly sessions from next week on.
        await Book(DemoIds.NoorSessionToComplete, mark, noor, null, SessionKind.Individual, -2, 9);
        using (EntityIds.Plan([DemoIds.NoorSeries, .. DemoIds.NoorSeriesOccurrences]))
        {
            Value(await series.CreateAsync(admin, new CreateSeriesRequest(noor, null, mark, SessionKind.Individual,
                SessionModality.Video, calendar.ToUtc(calendar.Today.AddDays(8), new TimeOnly(9,
                    0)), 50, 1, DemoIds.NoorSeriesOccurrences.Length, null, false), ct));
        }
    }
}
