using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.Recovery;

/// <summary>
/// The OpenAPI examples of the recovery log, one per operation that takes a body or names a record. Each names the demo
/// practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends every one).
/// </summary>
internal static class RecoveryExamples
{
    public static RequestExample GetPartnerRecoveryLog => new(null, Ids(("coupleId", DemoIds.AddictionCouple)),
        ExampleCaller.RecoveryPartner);

    public static RequestExample AddClientRecoveryEntry => new(new
    {
        kind = "setback", date = (string?)null, whatHappened = "Told in session: gambled online on Saturday night after an argument.",
        whatILearnt = "Evenings alone after a fight are my risk; I call Ruben first.",
    }, Id(DemoIds.Daan));

    public static RequestExample AddMyRecoveryEntry => new(new { kind = "meeting",
        meeting = "Partners' support group, Tuesday evening" }, Caller: ExampleCaller.Partner);

    public static RequestExample SetMyRecoveryLogSharing => new(new { coupleId = DemoIds.AffairCouple,
        sharedWithPartner = true }, Caller: ExampleCaller.Partner);
}
