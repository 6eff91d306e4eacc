using System.Text.Json.Nodes;

namespace PracticeApi.Features.Fhir;

public static partial class FhirApi
{
    private static FhirResult Metadata(HttpContext http)
    {
        JsonObject Resource(string type, bool search)
        {
            var resource = new JsonObject
            {
                ["type"] = type,
                ["interaction"] = search
                    ? new JsonArray(new JsonObject { ["code"] = "read" }, new JsonObject { ["code"] = "search-type" })
                    : new JsonArray(new JsonObject { ["code"] = "read" }),
            };
            var parameters = SearchParameters[type].Where(p => p != "_count").Select(p =>
            {
                var parameter = new JsonObject
                {
                    ["name"] = p, ["type"] = p switch { "patient" => "reference", "identifier" or "_id" =>
                        "token", "url" => "uri", _ => "date" },
                };
                if (p == "patient"
                    && PatientRequired.Contains(type)) parameter["documentation"] = "Required: this search is always for one patient.";
                return (JsonNode)parameter;
            }).ToArray();
            // FHIR JSON has no empty arrays: a type without search parameters leaves the element out.
            if (parameters.Length > 0) resource["searchParam"] = new JsonArray(parameters);
            if (type == "Patient") resource["operation"] = new JsonArray(Operation("export", "patient-export"));
            return resource;
        }

        static JsonObject Operation(string name, string definition) =>
            new() { ["name"] = name, ["definition"] = $"http://hl7.org/fhir/uv/bulkdata/OperationDefinition/{definition}" };

        return new FhirResult(new JsonObject
        {
            ["resourceType"] = "CapabilityStatement", ["status"] = "active", ["date"] = "2026-12-06", ["kind"] = "instance",
            ["instantiates"] = new JsonArray("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"),
            ["fhirVersion"] = "4.0.1", ["format"] = new JsonArray("json"),
            ["software"] = new JsonObject { ["name"] = "PracticeApi" },
            ["implementation"] = new JsonObject { ["description"] = "PracticeApi FHIR R4 read API", ["url"] = http.RequestServices.GetRequiredService<PublicAddress>().For("/fhir") },
            ["rest"] = new JsonArray(new JsonObject
            {
                ["mode"] = "server",
                ["security"] = new JsonObject
                {
                    // SMART's token endpoint, also here for clients that read it from the CapabilityStatement (SMART
                    // App Launch 1.0).
                    ["extension"] = new JsonArray(new JsonObject
                    {
                        ["url"] = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                        ["extension"] = new JsonArray(new JsonObject
                        {
                            ["url"] = "token", ["valueUri"] = http.RequestServices.GetRequiredService<PublicAddress>()
                                .For("/oauth/token"),
                        }),
                    }),
                    ["service"] = new JsonArray(new JsonObject
                    {
                        ["coding"] = new JsonArray(new JsonObject
                        {
                            ["system"] = "http://terminology.hl7.org/CodeSystem/restful-security-service", ["code"] = "SMART-on-FHIR",
                        }),
                    }),
                    ["description"] = "Bearer tokens of the PracticeApi (user tokens, or integration tokens with the fhir:read scope), or SMART " +
                                      "Backend Services access tokens; caseload rules apply.",
                },
                ["resource"] = new JsonArray(SearchParameters.Keys.Select(t => (JsonNode)Resource(t, true)).ToArray()),
                // Bulk Data: the system export here, the Patient export on Patient; a Group is a therapist's caseload
                // (Group/{therapistId}/$export).
                ["operation"] = new JsonArray(Operation("export", "export"), Operation("group-export", "group-export")),
            }),
        });
    }
}
