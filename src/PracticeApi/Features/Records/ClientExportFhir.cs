using System.Text.Json.Nodes;
using PracticeApi.Features.Fhir;

namespace PracticeApi.Features.Records;

/// <summary>
/// The client's file as a FHIR R4 Bundle of type collection: the Patient, the sessions as Appointments and the client's
/// own answers as QuestionnaireResponses.
/// </summary>
internal static class ClientExportFhir
{
    public static JsonObject Bundle(ClientExport export, IEnumerable<JsonObject> responses, string baseUrl)
    {
        var resources = new List<JsonObject> { FhirJson.Patient(export.Client) };
        resources.AddRange(export.Sessions.Select(FhirJson.Appointment));
        resources.AddRange(responses);
        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "collection",
            ["timestamp"] = FhirJson.Instant(export.ExportedAt),
            ["entry"] = new JsonArray(resources.Select(r => (JsonNode)new JsonObject
            {
                ["fullUrl"] = $"{baseUrl}/{r["resourceType"]}/{r["id"]}", ["resource"] = r,
            }).ToArray()),
        };
    }
}
