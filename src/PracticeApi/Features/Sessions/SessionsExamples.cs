using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.Sessions;

/// <summary>
/// The OpenAPI examples of sessions, notes and series, one per operation that takes a body or names a record. Each
/// names the demo practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends every
/// one).
/// </summary>
internal static class SessionsExamples
{
    private static readonly object AppointmentIdentifier = new { system = "https://ehr.example.org/appointments", value = "A-88121" };

    public static RequestExample SignSessionNote => new(null, Id(DemoIds.AffairSessionLastWeek),
        ExampleCaller.Therapist);

    public static RequestExample MarkSessionNoShow => new(null, Id(DemoIds.NoorSessionToComplete));

    public static RequestExample CreateSession => new(new
    {
        clientId = DemoIds.Noor, therapistId = DemoIds.Mark, kind = "individual", modality = "video",
        startsAt = "2027-01-12T16:00:00Z", durationMinutes = 50, identifiers = new[] { AppointmentIdentifier },
    });

    public static RequestExample UpsertSessionByIdentifier => new(new
    {
        clientId = DemoIds.Noor, therapistId = DemoIds.Mark, kind = "individual", modality = "video",
        startsAt = "2027-01-12T16:00:00Z", durationMinutes = 50, identifiers = new[] { AppointmentIdentifier },
    }, new Dictionary<string, string> { ["system"] = "https://ehr.example.org/appointments", ["value"] = "A-88121" });

    public static RequestExample UpdateSession => new(new
    {
        therapistId = DemoIds.Eva, kind = "couple", modality = "in_person", startsAt = "2027-01-13T16:00:00Z", durationMinutes = 60,
    }, Id(DemoIds.AffairSessionNextWeek));

    public static RequestExample CompleteSession => new(new
    {
        attendance = new[] { new { clientId = DemoIds.Noor, attended = true } },
        note = new
        {
            format = "soap",
            sections = new Dictionary<string, string>
            {
                ["subjective"] = "Noor feels torn between the friendship and her relationship with Thijs.",
                ["objective"] = "Calm, reflective; cried once when talking about Thijs finding the messages.",
                ["assessment"] = "Ready to start couple work; wants to tell Thijs herself what the friendship meant.",
                ["plan"] = "Intake as a couple; Noor writes down what she wants Thijs to know.",
            },
        },
    }, Id(DemoIds.NoorSessionToComplete));

    public static RequestExample CancelSession => new(new { reason = "Noor has the flu.", byClient = true },
        Id(DemoIds.NoorSessionTomorrow));

    public static RequestExample AddSessionNoteAddendum => new(new
    {
        text = "Correction: the missed evening was a Tuesday, not a Monday; Sanne mentioned it by phone afterwards.",
    }, Id(DemoIds.AffairSessionLastWeek));

    public static RequestExample CreateSessionSeries => new(new
    {
        coupleId = DemoIds.AffairCouple, therapistId = DemoIds.Eva, kind = "couple", modality = "in_person",
        startsAt = "2027-01-14T16:00:00Z", durationMinutes = 60, everyWeeks = 2, count = 6, skipConflicts = false,
    });

    public static RequestExample CancelSessionSeriesFollowing => new(new
    {
        fromSessionId = DemoIds.NoorSeriesOccurrences[3], reason = "Noor works abroad for three months.", byClient = true,
    }, Id(DemoIds.NoorSeries));

    public static RequestExample RescheduleSessionSeriesFollowing => new(new
    {
        fromSessionId = DemoIds.NoorSeriesOccurrences[2], startsAt = "2027-02-03T17:00:00Z", durationMinutes = 50,
    }, Id(DemoIds.NoorSeries));
}
