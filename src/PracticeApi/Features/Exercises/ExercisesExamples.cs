using PracticeApi.Features.Couples;
using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.Exercises;

/// <summary>
/// The OpenAPI examples of exercise templates, one per operation that takes a body or names a record. Each names the
/// demo practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends every one).
/// </summary>
internal static class ExercisesExamples
{
    /// <summary>A practice-authored exercise (the demo's own template, and the body to create or change one).</summary>
    public static TemplateRequest PracticeTemplate(string key, int minutes = 20) => new(key,
        new LocalizedText("Evening walk", "Avondwandeling"),
        new LocalizedText("Walk together for twenty minutes without phones. One of you talks about the day, the other only listens; swap halfway. Afterwards, each writes one sentence about how it felt.",
            "Wandel samen twintig minuten zonder telefoon. De een vertelt over de dag, de ander luistert alleen; halverwege wisselen jullie. Schrijf daarna ieder één zin over hoe het voelde."),
        Audience.CoupleEachPartner, Cadence.Weekly, minutes, [5, 6, 7], false,
        [
            new FieldDefinition("how_it_felt", FieldType.Text, new LocalizedText("How the walk felt",
                "Hoe de wandeling voelde"), true),
            new FieldDefinition("closeness", FieldType.Scale, new LocalizedText("How close we felt",
                "Hoe dichtbij we ons voelden"), false, Min: 0, Max: 10),
        ]);

    public static RequestExample CreateExerciseTemplate => new(PracticeTemplate("weekend_walk"));

    public static RequestExample UpdateExerciseTemplate => new(PracticeTemplate("evening_walk", 30),
        Id(DemoIds.PracticeTemplate));
}
