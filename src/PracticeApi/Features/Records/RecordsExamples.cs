using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.Records;

/// <summary>
/// The OpenAPI examples of erasure requests, one per operation that takes a body or names a record. Each names the demo
/// practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends every one).
/// </summary>
internal static class RecordsExamples
{
    public static RequestExample RequestErasure =>
        new(new { requestedBy = "Noor El Amrani, by e-mail to the practice" }, Id(DemoIds.Noor));

    public static RequestExample ExecuteErasure => new(new { confirmClientId = DemoIds.Femke },
        Id(DemoIds.FemkeErasureRequest));

    public static RequestExample RefuseErasure => new(new
    {
        reason = "legal_hold", explanation = "A complaint procedure about this treatment is still open; the record is kept until it ends.",
    }, Id(DemoIds.FemkeErasureRequest));
}
