using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.Therapists;

/// <summary>
/// The OpenAPI examples of therapists, one per operation that takes a body or names a record. Each names the demo
/// practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends every one).
/// </summary>
internal static class TherapistsExamples
{
    public static RequestExample CreateTherapist => new(new { name = "Fleur Peeters",
        email = "fleur@demo.practice.example", role = "therapist" });

    public static RequestExample UpdateTherapist => new(new { name = "Mark de Boer",
        email = "mark.deboer@demo.practice.example", role = "therapist" }, Id(DemoIds.Mark));
}
