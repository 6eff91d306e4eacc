using PracticeApi.Features.Exercises;
using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.Fhir;

/// <summary>
/// The OpenAPI examples of FHIR searches by patient, one per operation that takes a body or names a record. Each names
/// the demo practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends every one).
/// </summary>
internal static class FhirExamples
{
    public static RequestExample FhirSearchTask => new(null, Ids(("patient", DemoIds.Sanne)));

    public static RequestExample FhirSearchCarePlan => new(null, Ids(("patient", DemoIds.Sanne)));

    public static RequestExample FhirSearchRelatedPerson => new(null, Ids(("patient", DemoIds.Sanne)));

    public static RequestExample FhirSearchInvoice => new(null, Ids(("patient", DemoIds.Joost)));

    public static RequestExample FhirSearchConsent => new(null, Ids(("patient", DemoIds.Sanne)));

    public static RequestExample FhirSearchObservation => new(null, Ids(("patient", DemoIds.Sanne)));

    /// <summary>The daily check-in's current version ({templateId}-v{version}).</summary>
    public static RequestExample FhirReadQuestionnaire => new(null, new Dictionary<string, string>
    {
        ["id"] = $"{BuiltInCatalogue.IdFor(BuiltInCatalogue.DailyCheckInKey)}-v{BuiltInCatalogue.All.First(t => t.Key == BuiltInCatalogue.DailyCheckInKey).Version}",
    });

    /// <summary>The affair couple's plan for its first partner ({coupleId}-{0|1}).</summary>
    public static RequestExample FhirReadCarePlan => new(null, new Dictionary<string,
        string> { ["id"] = $"{DemoIds.AffairCouple}-0" });

    /// <summary>The first partner's partner, seen from the affair couple ({coupleId}-{0|1}).</summary>
    public static RequestExample FhirReadRelatedPerson => new(null, new Dictionary<string,
        string> { ["id"] = $"{DemoIds.AffairCouple}-0" });
}
