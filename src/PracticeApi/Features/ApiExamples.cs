using System.Text.Json;
using System.Text.Json.Nodes;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Exercises;
using PracticeApi.Features.Practices;

namespace PracticeApi.Features;

/// <summary>
/// The OpenAPI document's examples, one per operation with a body, naming records of the demo practice (DemoIds) so that
/// Swagger UI's "Try it out" succeeds on the first try. A test sends each one to a fresh demo database.
/// </summary>
public static partial class ApiExamples
{
    private static Dictionary<string, string> Ids(params (string Name, Guid Id)[] ids) =>
        ids.ToDictionary(i => i.Name, i => i.Id.ToString());

    private static Dictionary<string, string> Id(Guid id) => Ids(("id", id));

    private static readonly object Identifier = new { system = "https://ehr.example.org/patients", value = "P-10442" };
    private static readonly object AppointmentIdentifier = new { system = "https://ehr.example.org/appointments", value = "A-88121" };

    private static object CheckIn(string mood, string need, string grateful) =>
        new { mood, need_from_you = need, grateful_for = grateful };

    /// <summary>A practice-authored exercise (the demo's own template, and the body to create or change one).</summary>
    public static TemplateRequest PracticeTemplate(string key, int minutes = 20) => new(key,
        new LocalizedText("Evening walk", "Avondwandeling"),
        new LocalizedText("Walk together for twenty minutes without phones. One of you talks about the day, the other only listens; swap halfway. Afterwards, each writes one sentence about how it felt.",
            "Wandel samen twintig minuten zonder telefoon. De een vertelt over de dag, de ander luistert alleen; halverwege wisselen jullie. Schrijf daarna ieder één zin over hoe het voelde."),
        Audiences.EachPartner, "weekly", minutes, [5, 6, 7], false,
        [
            new FieldDefinition("how_it_felt", FieldTypes.Text, new LocalizedText("How the walk felt", "Hoe de wandeling voelde"), true),
            new FieldDefinition("closeness", FieldTypes.Scale, new LocalizedText("How close we felt", "Hoe dichtbij we ons voelden"), false, Min: 0, Max: 10),
        ]);

    /// <summary>A practice-authored program (the demo's own, and the body to create or change one).</summary>
    public static Programs.ProgramRequest PracticeProgram(string key, int ratingAfterDays = 14) => new(key,
        new LocalizedText("Reconnecting", "Opnieuw verbinden"),
        new LocalizedText("For couples past the crisis: evening walks from the start, a weekly trust rating after two weeks, and rituals of connection at step 7.",
            "Voor paren voorbij de crisis: avondwandelingen vanaf de start, een wekelijkse vertrouwensscore na twee weken, en rituelen van verbinding bij stap 7."),
        [
            new("walks", DemoIds.PracticeTemplate, null, "weekly", 8, "shared", "Sunday evenings suit most couples.", new(Programs.ProgramTriggers.Start, null, null, 0)),
            new("trust_rating", BuiltInCatalogue.IdFor("weekly_trust_rating"), "both", "weekly", 12, "shared", null,
                new(Programs.ProgramTriggers.Start, null, null, ratingAfterDays)),
            new("rituals", BuiltInCatalogue.IdFor("rituals_of_connection"), null, null, 8, "shared", null, new(Programs.ProgramTriggers.Step, 7, null, 0)),
        ]);

    private static readonly object ClientBody = new
    {
        firstName = "Iris", lastName = "Jacobs", dateOfBirth = "1991-02-11", email = "iris@example.org", phone = "+31 6 12345678",
        preferredLanguage = "nl", pronouns = "zij/haar", identifiers = new[] { Identifier }, careTeam = new[] { DemoIds.Eva },
    };

    /// <summary>Keyed by "METHOD route" as the OpenAPI document names the operation (each area's examples in a file of its own).</summary>
    public static readonly IReadOnlyDictionary<string, RequestExample> ByOperation =
        new[] { RecordExamples(), CareWorkExamples(), PracticeExamples() }.SelectMany(d => d).ToDictionary(p => p.Key, p => p.Value);

    /// <summary>The demo record each kind of id in a path names when an operation has no example of its own.</summary>
    public static readonly IReadOnlyDictionary<string, string> PathIdByResource = new Dictionary<string, Guid>
    {
        ["clients"] = DemoIds.Sanne,
        ["couples"] = DemoIds.AffairCouple,
        ["sessions"] = DemoIds.AffairSessionLastWeek,
        ["session-series"] = DemoIds.NoorSeries,
        ["assignments"] = DemoIds.AffairCheckIn,
        ["responses"] = DemoIds.JoostLetterResponse,
        ["therapists"] = DemoIds.Eva,
        ["exercise-templates"] = DemoIds.PracticeTemplate,
        ["programs"] = DemoIds.PracticeProgram,
        ["erasure-requests"] = DemoIds.FemkeErasureRequest,
        ["tokens"] = DemoIds.EhrToken,
        ["fee-schedules"] = DemoIds.FeeSchedule,
        ["invoices"] = DemoIds.JoostPaidInvoice,
        ["webhooks"] = DemoIds.EhrWebhook,
        ["deliveries"] = DemoIds.EhrWebhookDelivery,
        ["smart-clients"] = DemoIds.EhrSmartClient,
        ["Group"] = DemoIds.Eva,
        ["Patient"] = DemoIds.Sanne,
        ["Appointment"] = DemoIds.AffairSessionLastWeek,
        ["QuestionnaireResponse"] = DemoIds.JoostLetterResponse,
        ["Invoice"] = DemoIds.JoostPaidInvoice,
        ["Consent"] = DemoIds.SanneTreatmentConsent,
        ["measures"] = DemoIds.WeeklyCheckMeasure,
        ["Observation"] = DemoIds.SanneFirstScore,
    }.Select(p => (Key: p.Key, Value: p.Value.ToString()))
        .Append((Key: "Questionnaire", Value: $"{BuiltInCatalogue.IdFor(BuiltInCatalogue.DailyCheckInKey)}-v{BuiltInCatalogue.All.First(t => t.Key == BuiltInCatalogue.DailyCheckInKey).Version}"))
        .Append((Key: "CarePlan", Value: $"{DemoIds.AffairCouple}-0"))
        .Append((Key: "RelatedPerson", Value: $"{DemoIds.AffairCouple}-0"))
        .ToDictionary(p => p.Key, p => p.Value);

    public static JsonNode? ToJson(object? body) => JsonSerializer.SerializeToNode(body, JsonSerializerOptions.Web);
}
