using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.Reminders;

/// <summary>
/// The OpenAPI examples of reminder settings, one per operation that takes a body or names a record. Each names the
/// demo practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends every one).
/// </summary>
internal static class RemindersExamples
{
    public static RequestExample SetReminderSettings => new(new { enabled = true, hoursBefore = 48 },
        Id(DemoIds.Sanne));

    public static RequestExample SetMyReminderSettings => new(new { enabled = true, hoursBefore = 24 },
        Caller: ExampleCaller.Partner);

    public static RequestExample GetMyReminderSettings => new(null, Caller: ExampleCaller.Partner);
}
