using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.Clients;

/// <summary>
/// The OpenAPI examples of clients, one per operation that takes a body or names a record. Each names the demo
/// practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends every one).
/// </summary>
internal static class ClientsExamples
{
    private static readonly object Identifier = new { system = "https://ehr.example.org/patients", value = "P-10442" };

    private static readonly object ClientBody = new
    {
        firstName = "Iris", lastName = "Jacobs", dateOfBirth = "1991-02-11", email = "iris@example.org", phone = "+31 6 12345678",
        preferredLanguage = "nl", pronouns = "zij/haar", identifiers = new[] { Identifier }, careTeam = new[] { DemoIds.Eva },
    };

    public static RequestExample CreateClient => new(ClientBody);

    public static RequestExample UpsertClientByIdentifier => new(ClientBody, new Dictionary<string,
        string> { ["system"] = "https://ehr.example.org/patients", ["value"] = "P-10442" });

    public static RequestExample UpdateClient => new(new
    {
        firstName = "Noor", lastName = "El Amrani", dateOfBirth = "1995-09-09", email = "noor.elamrani@example.org", phone = "+31 6 87654321",
        preferredLanguage = "en", pronouns = "she/her", identifiers = new[] { new { system = "https://ehr.example.org/patients", value = "P-20931" } },
    }, Id(DemoIds.Noor));

    public static RequestExample SetClientCareTeam => new(new { therapistIds = new[] { DemoIds.Mark, DemoIds.Eva } },
        Id(DemoIds.Noor));

    public static RequestExample ReactivateClient => new(null, Id(DemoIds.Femke));

    public static RequestExample DischargeClient => new(null, Id(DemoIds.Noor));
}
