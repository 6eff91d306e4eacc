using PracticeApi.Features.Assignments;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Exercises;
using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.Programs;

/// <summary>
/// The OpenAPI examples of programs and enrolments, one per operation that takes a body or names a record. Each names
/// the demo practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends every one).
/// </summary>
internal static class ProgramsExamples
{
    /// <summary>A practice-authored program (the demo's own, and the body to create or change one).</summary>
    public static ProgramRequest PracticeProgram(string key, int ratingAfterDays = 14) => new(key,
        new LocalizedText("Reconnecting", "Opnieuw verbinden"),
        new LocalizedText("For couples past the crisis: evening walks from the start, a weekly trust rating after two weeks, and rituals of connection at step 7.",
            "Voor paren voorbij de crisis: avondwandelingen vanaf de start, een wekelijkse vertrouwensscore na twee weken, en rituelen van verbinding bij stap 7."),
        [
            new("walks", DemoIds.PracticeTemplate, null, Cadence.Weekly, 8, Visibility.Shared,
                "Sunday evenings suit most couples.", new(StartOn.Start, null, null, 0)),
            new("trust_rating", BuiltInCatalogue.IdFor("weekly_trust_rating"), "both", Cadence.Weekly, 12,
                Visibility.Shared, null, new(StartOn.Start, null, null, ratingAfterDays)),
            new("rituals", BuiltInCatalogue.IdFor("rituals_of_connection"), null, null, 8, Visibility.Shared, null,
                new(StartOn.Step, 7, null, 0)),
        ]);

    public static RequestExample CreateProgram => new(PracticeProgram("after_the_crisis"));

    public static RequestExample UpdateProgram => new(PracticeProgram("reconnecting", ratingAfterDays: 7),
        Id(DemoIds.PracticeProgram));

    public static RequestExample EnrolCoupleInProgram => new(new { programId = DemoIds.PracticeProgram },
        Id(DemoIds.AffairCouple));

    public static RequestExample StopEnrolment => new(null, Ids(("id", DemoIds.AddictionCouple), ("enrolmentId",
        DemoIds.AddictionEnrolment)));
}
