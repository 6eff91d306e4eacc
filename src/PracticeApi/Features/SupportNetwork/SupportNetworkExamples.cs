using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.SupportNetwork;

/// <summary>
/// The OpenAPI examples of the support network, one per operation that takes a body or names a record. Each names the
/// demo practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends every one).
/// </summary>
internal static class SupportNetworkExamples
{
    public static RequestExample AddSupportPerson => new(new
    {
        name = "Family group on Tuesdays", relationship = "support_group", effect = "supports",
        expectations = "A place to talk about living with his addiction without explaining it first.", mayContact = false,
    }, Id(DemoIds.Lotte));

    public static RequestExample UpdateSupportPerson => new(new
    {
        name = "Ruben", relationship = "sponsor", effect = "supports",
        expectations = "Call when the urge comes, any hour; a walk together on Saturdays.", mayContact = true, contact = "+31 6 11223344",
    }, Ids(("id", DemoIds.Daan), ("personId", DemoIds.DaanSponsor)));

    public static RequestExample RemoveSupportPerson => new(null, Ids(("id", DemoIds.Daan), ("personId",
        DemoIds.DaanSponsor)));
}
