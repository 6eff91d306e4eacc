using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.Measures;

/// <summary>
/// The OpenAPI examples of outcome measures, scores and measure assignments, one per operation that takes a body or
/// names a record. Each names the demo practice's records, so Swagger UI's "Try it out" works as written on a fresh
/// demo (a test sends every one).
/// </summary>
internal static class MeasuresExamples
{
    private static readonly string[] Scale = ["Nooit", "Soms", "Vaak", "Altijd"];

    /// <summary>The demo's own measure (seeded into the demo practice, and the body to create one).</summary>
    public static MeasureDefinitionRequest WeeklyCheckDefinition => new("weekly_relationship_check",
        "Wekelijkse relatiecheck", null, null,
        [Item("dichtbij", "Ik voelde me dicht bij mijn partner", "verbinding", reverse: true), Item("gehoord",
            "Ik voelde me gehoord", "verbinding", reverse: true),
            Item("spanning", "Ruzies liepen uit de hand", "spanning"), Item("onveilig",
                "Ik voelde me thuis niet veilig", "spanning")],
        [new(0, 3, "laag"), new(4, 7, "matig"), new(8, 12, "hoog")],
        [new("onveilig", 2, "Voelt zich thuis niet veilig: neem voor de volgende sessie contact op.")]);

    // Items where "always" is good count down, so that a higher total is always more distress.
    private static MeasureItem Item(string linkId, string text, string subscale, bool reverse = false) =>
        new(linkId, text, Scale.Select((t, v) => new MeasureOption($"a{v}", t, reverse ? 3 - v : v))
            .ToList(), subscale);

    private static readonly Dictionary<string, string> WeeklyCheck = new() { ["dichtbij"] = "a2", ["gehoord"] = "a2", ["spanning"] = "a1", ["onveilig"] = "a0" };

    public static RequestExample CreateMeasure => new(WeeklyCheckDefinition);

    public static RequestExample ImportMeasure => new(new
    {
        key = "evening_calm", totalLoincCode = (string?)null, bands = new[] { new { min = 0, max = 1, label = "calm" }, new { min = 2, max = 2, label = "restless" } },
        criticalItems = Array.Empty<object>(), questionnaire = new
        {
            resourceType = "Questionnaire", status = "active", title = "Evening calm",
            item = new[] { ("rest", "I could rest this evening"), ("talk",
                "We could talk without raising our voices") }.Select(q => new
            {
                linkId = q.Item1, type = "choice", text = q.Item2,
                answerOption = new[] { ("yes", "Yes", 0), ("no", "No", 1) }.Select(o => new
                {
                    valueCoding = new { code = o.Item1, display = o.Item2 },
                    extension = new[] { new { url = "http://hl7.org/fhir/StructureDefinition/ordinalValue", valueDecimal = o.Item3 } },
                }),
            }),
        },
    });

    public static RequestExample RecordClientMeasure => new(new { measureId = DemoIds.WeeklyCheckMeasure,
        answers = WeeklyCheck, takenAt = (DateTime?)null }, Id(DemoIds.Sanne));

    public static RequestExample TakeMyMeasure => new(new { measureId = DemoIds.WeeklyCheckMeasure,
        answers = WeeklyCheck, takenAt = (DateTime?)null }, Caller: ExampleCaller.Partner);

    public static RequestExample ListMyMeasures => new(null, Caller: ExampleCaller.Partner);

    public static RequestExample AssignMeasure => new(new
    {
        measureId = DemoIds.WeeklyCheckMeasure, cadence = "weekly", startsOn = (DateOnly?)null, endsOn = (DateOnly?)null, occurrences = 8, dueTime = "20:00",
        note = "Elke week na het avondeten.",
    }, Id(DemoIds.Sanne));

    public static RequestExample GetMeasureAssignment => new(null,
        Ids(("id", DemoIds.Sanne), ("assignmentId", DemoIds.SanneWeeklyCheckAssignment)));

    public static RequestExample CancelMeasureAssignment => new(null,
        Ids(("id", DemoIds.Joost), ("assignmentId", DemoIds.JoostWeeklyCheckAssignment)));
}
