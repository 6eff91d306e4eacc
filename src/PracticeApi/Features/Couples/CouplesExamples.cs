using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.Couples;

/// <summary>
/// The OpenAPI examples of couples and their step, breaches and safety screenings, one per operation that takes a body
/// or names a record. Each names the demo practice's records, so Swagger UI's "Try it out" works as written on a fresh
/// demo (a test sends every one).
/// </summary>
internal static class CouplesExamples
{
    public static RequestExample CreateCouple => new(new
    {
        partnerAId = DemoIds.Noor, partnerBId = DemoIds.Thijs, breachType = "emotional_affair", partnerARole = "breaching",
        partnerBRole = "hurt", disclosedOn = "2026-10-02", startedOn = "2026-11-02",
    });

    public static RequestExample UpdateCouple => new(new
    {
        breachType = "physical_affair", partnerARole = "breaching", partnerBRole = "hurt", disclosedOn = "2026-06-19",
        startedOn = "2026-06-29", status = "paused",
    }, Id(DemoIds.AffairCouple));

    public static RequestExample ChangeCoupleStep => new(new { step = 5,
        note = "Agreements are kept; time to look at what was missing before." }, Id(DemoIds.AffairCouple));

    public static RequestExample RecordCoupleBreach => new(new
    {
        occurredOn = "2026-11-20", type = "lies_or_secrets", note = "A lunch with the colleague was kept quiet for a week.",
    }, Id(DemoIds.AffairCouple));

    public static RequestExample AddSafetyScreening => new(new
    {
        clientId = DemoIds.Lotte, abuseOrDanger = false, untreatedAddiction = false, notes = "Feels safe at home; Daan has been in treatment since spring.",
    }, Id(DemoIds.AddictionCouple));
}
