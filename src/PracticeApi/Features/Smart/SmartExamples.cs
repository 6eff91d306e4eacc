using PracticeApi.Infrastructure.Examples;

namespace PracticeApi.Features.Smart;

/// <summary>
/// The OpenAPI examples of SMART clients and the token endpoint, one per operation that takes a body or names a record.
/// Each names the demo practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends
/// every one).
/// </summary>
internal static class SmartExamples
{
    public static RequestExample RegisterSmartClient => new(new
    {
        name = "EHR backend (Zorgdossier)", jwks = DemoIds.EhrJwks, scopes = new[] { "system/Patient.read", "system/Appointment.read" },
    });

    /// <summary>A client assertion is signed by the client's own key and expires in minutes: the example shows its
    /// shape only.</summary>
    public static RequestExample OAuthToken => new(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["scope"] = "system/Patient.read",
        ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ["client_assertion"] = "eyJhbGciOiJFUzM4NCIsImtpZCI6Inpvcmdkb3NzaWVyLTIwMjYtMTEiLCJ0eXAiOiJKV1QifQ.<claims>.<signature>",
    }, Sendable: false);
}
