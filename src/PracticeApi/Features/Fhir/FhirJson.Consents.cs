using System.Text.Json.Nodes;
using PracticeApi.Features.Consents;

namespace PracticeApi.Features.Fhir;

internal static partial class FhirJson
{
    /// <summary>
    /// A consent as an R4 Consent: treatment consents in the treatment scope, sharing and portal consents in
    /// patient-privacy; the rule agreed to (the kind and the version of its text) as policyRule; the period it was in
    /// force; for sharing, the recipient as the provision's actor (by name: the integration or the person).
    /// </summary>
    public static JsonObject Consent(ConsentResponse consent)
    {
        var period = new JsonObject { ["start"] = Instant(consent.GivenAt) };
        if (consent.WithdrawnAt is { } withdrawn) period["end"] = Instant(withdrawn);
        var provision = new JsonObject { ["type"] = "permit", ["period"] = period };
        if (consent.RecipientName is { } recipient)
        {
            provision["actor"] = new JsonArray(new JsonObject
            {
                ["role"] = new JsonObject
                {
                    ["coding"] = new JsonArray(new JsonObject
                    {
                        ["system"] = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", ["code"] = "IRCP", ["display"] = "information recipient",
                    }),
                },
                ["reference"] = new JsonObject { ["display"] = recipient },
            });
        }

        var scope = consent.Kind == ConsentKind.Treatment ? "treatment" : "patient-privacy";
        return new JsonObject
        {
            ["resourceType"] = "Consent", ["id"] = consent.Id.ToString(),
            ["meta"] = Meta(consent.WithdrawnAt is null ? 1 : 2, consent.WithdrawnAt ?? consent.GivenAt),
            ["status"] = consent.Active ? "active" : "inactive",
            ["scope"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/consentscope", ["code"] = scope }),
            },
            ["category"] = new JsonArray(new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "59284-0",
                    ["display"] = "Patient Consent" }),
                ["text"] = consent.Kind.Wire(),
            }),
            ["patient"] = Reference("Patient", consent.ClientId.ToString()),
            ["dateTime"] = Instant(consent.GivenAt),
            ["policyRule"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/v3-ActCode", ["code"] = "OPTIN" }),
                ["text"] = $"{consent.Kind.Wire()}, text version {consent.TextVersion} ({consent.GivenVia})",
            },
            ["provision"] = provision,
        };
    }
}
