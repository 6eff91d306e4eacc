using System.Text.Json.Nodes;
using PracticeApi.Features.Measures;

namespace PracticeApi.Features.Fhir;

internal static partial class FhirJson
{
    /// <summary>
    /// A measure's score as a survey Observation: coded with the total's LOINC code when the measure has one (and the
    /// measure's name as text), the total as valueInteger, the severity band as interpretation, each subscale a component.
    /// </summary>
    public static JsonObject Observation(ScoreResponse score, string measureName, string? totalLoincCode)
    {
        var code = new JsonObject { ["text"] = $"{measureName} total score" };
        if (totalLoincCode is not null) code["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = totalLoincCode });
        var observation = new JsonObject
        {
            ["resourceType"] = "Observation", ["id"] = score.Id.ToString(), ["meta"] = Meta(1, score.TakenAt), ["status"] = "final",
            ["category"] = new JsonArray(new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/observation-category", ["code"] = "survey" }),
            }),
            ["code"] = code, ["subject"] = Reference("Patient", score.ClientId.ToString()), ["effectiveDateTime"] = Instant(score.TakenAt),
            ["valueInteger"] = score.Total,
        };
        if (score.Band is { } band) observation["interpretation"] = new JsonArray(new JsonObject { ["text"] = band });
        if (score.Subscales.Count > 0)
        {
            observation["component"] = new JsonArray(score.Subscales.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (JsonNode)new JsonObject
            {
                ["code"] = new JsonObject { ["text"] = s.Key }, ["valueInteger"] = s.Value,
            }).ToArray());
        }

        return observation;
    }
}
