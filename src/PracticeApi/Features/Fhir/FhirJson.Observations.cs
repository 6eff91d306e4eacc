using System.Text.Json.Nodes;
using PracticeApi.Features.Measures;

namespace PracticeApi.Features.Fhir;

internal static partial class FhirJson
{
    /// <summary>
    /// A measure's score as a survey Observation: coded with the total's LOINC code when the measure has one (and the
    /// measure's name as text), the total as valueInteger, the severity band as interpretation, each subscale a
    /// component.
    /// </summary>
    public static JsonObject Observation(ScoreResponse score, string measureName, string? totalLoincCode)
    {
        var code = new JsonObject { ["text"] = $"{measureName} total score" };
        if (totalLoincCode is not null) code["coding"] = new JsonArray(
            new JsonObject { ["system"] = "http://loinc.org", ["code"] = totalLoincCode });
        var observation = new JsonObject
        {
            ["resourceType"] = "Observation", ["id"] = score.Id.ToString(), ["meta"] = Meta(1,
                score.TakenAt), ["status"] = "final",
            ["category"] = new JsonArray(new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/observation-category", ["code"] = "survey" }),
            }),
            ["code"] = code, ["subject"] = Reference("Patient",
                score.ClientId.ToString()), ["effectiveDateTime"] = Instant(score.TakenAt),
            ["valueInteger"] = score.Total, ["derivedFrom"] = new JsonArray(Reference("QuestionnaireResponse",
                score.Id.ToString())),
        };
        if (score.Band is { } band) observation["interpretation"] = new JsonArray(new JsonObject { ["text"] = band });
        if (score.Subscales.Count > 0)
        {
            observation["component"] = new JsonArray(score.Subscales.OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => (JsonNode)new JsonObject
            {
                ["code"] = new JsonObject { ["text"] = s.Key }, ["valueInteger"] = s.Value,
            }).ToArray());
        }

        return observation;
    }

    /// <summary>
    /// Scores (read with their definitions, each parsed once per version) as FHIR: the answers as
    /// QuestionnaireResponses, the scores as Observations of the same ids, or both, score by score.
    /// </summary>
    public static IEnumerable<JsonObject> Measures(IReadOnlyList<MeasureReads.ScoreRow> rows, bool answers, bool scores)
    {
        var definitions = MeasureReads.DefinitionsOf(rows);
        foreach (var row in rows)
        {
            var score = row.ToResponse();
            if (answers) yield return QuestionnaireResponse(score, row.Name, definitions[row.MeasureId]);
            if (scores) yield return Observation(score, row.Name, definitions[row.MeasureId].TotalLoincCode);
        }
    }

    /// <summary>The canonical URL of a measure (its key), with |version naming the version a response
    /// answered.</summary>
    public static string MeasureUrl(string key) => $"https://practiceapi.dev/fhir/measures/{key}";

    /// <summary>
    /// A measure's answers as a QuestionnaireResponse: each item with its question and the option chosen (code and
    /// text); the score itself is the Observation of the same id, derived from it.
    /// </summary>
    public static JsonObject QuestionnaireResponse(ScoreResponse score, string measureName,
        MeasureDefinition definition)
    {
        var items = definition.Items.Where(i => score.Answers.ContainsKey(i.LinkId)).Select(i =>
        {
            var option = i.Options.First(o => o.Code == score.Answers[i.LinkId]);
            return (JsonNode)new JsonObject
            {
                ["linkId"] = i.LinkId, ["text"] = i.Text,
                ["answer"] = new JsonArray(new JsonObject { ["valueCoding"] = new JsonObject { ["code"] = option.Code,
                    ["display"] = option.Text } }),
            };
        }).ToArray();
        var response = new JsonObject
        {
            ["resourceType"] = "QuestionnaireResponse", ["id"] = score.Id.ToString(), ["meta"] = Meta(1, score.TakenAt),
            ["questionnaire"] = $"{MeasureUrl(score.Key)}|{score.Version}", ["status"] = "completed",
            ["subject"] = Reference("Patient", score.ClientId.ToString()), ["authored"] = Instant(score.TakenAt),
        };
        // Through the portal the client answered; in session staff recorded the answers the client gave.
        if (score.RecordedVia == RecordedVia.Portal) response["source"] = Reference("Patient",
            score.ClientId.ToString());
        if (items.Length > 0) response["item"] = new JsonArray(items);
        response["text"] = new JsonObject
        {
            ["status"] = "generated", ["div"] = $"<div xmlns=\"http://www.w3.org/1999/xhtml\">{System.Net.WebUtility.HtmlEncode(measureName)}</div>",
        };
        return response;
    }
}
