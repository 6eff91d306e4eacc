using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.Consents;

/// <summary>
/// The OpenAPI examples of consents, one per operation that takes a body or names a record. Each names the demo
/// practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends every one).
/// </summary>
internal static class ConsentsExamples
{
    public static RequestExample RecordConsent => new(new { kind = "portal_use", textVersion = "2026-01",
        via = "verbal" }, Id(DemoIds.Sanne));

    public static RequestExample GetConsent => new(null, Ids(("id", DemoIds.Sanne), ("consentId",
        DemoIds.SanneTreatmentConsent)));

    public static RequestExample WithdrawConsent => new(new { via = "paper" },
        Ids(("id", DemoIds.Sanne), ("consentId", DemoIds.SanneTreatmentConsent)));

    public static RequestExample GiveMyConsent => new(new { kind = "ehr_sharing", textVersion = "2026-01",
        recipientId = DemoIds.EhrSmartClient }, Caller: ExampleCaller.Partner);

    public static RequestExample WithdrawMyConsent => new(new { via = (string?)null }, Ids(("consentId",
        DemoIds.SanneTreatmentConsent)), ExampleCaller.Partner);

    public static RequestExample ListMyConsents => new(null, Caller: ExampleCaller.Partner);
}
