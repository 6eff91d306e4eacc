using System.Globalization;
using System.Text.Json.Nodes;

namespace PracticeApi.Features.Measures;

/// <summary>
/// Reads a FHIR R4 Questionnaire as instruments are distributed: its title, its LOINC code, and its choice items
/// (groups flattened, display items skipped), each answer option a valueCoding with its value in an ordinalValue,
/// itemWeight or iso21090-CO-value extension on the option or on its coding.
/// </summary>
internal static class QuestionnaireImport
{
    private const string Loinc = "http://loinc.org";

    private static readonly string[] ValueExtensions =
    [
        "http://hl7.org/fhir/StructureDefinition/ordinalValue", "http://hl7.org/fhir/StructureDefinition/itemWeight",
        "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value",
    ];

    public static Outcome<(string Name, string? LoincCode, List<MeasureItem> Items)> Read(JsonObject questionnaire)
    {
        var name = questionnaire["title"]?.GetValue<string>() ?? questionnaire["name"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(name)) return Failure.Invalid("questionnaire",
            "The Questionnaire has no title (or name) to call the measure by.");
        var loinc = questionnaire["code"]?.AsArray()
            .FirstOrDefault(c => c?["system"]?.GetValue<string>() == Loinc)?["code"]?.GetValue<string>();
        var items = new List<MeasureItem>();
        var problem = Collect(questionnaire["item"] as JsonArray, items);
        if (problem is not null) return Failure.Invalid("questionnaire", problem);
        return items.Count == 0 ? Failure.Invalid("questionnaire",
            "The Questionnaire has no choice items to score.") : (name.Trim(), loinc, items);
    }

    [MessageSource]
    private static string? Collect(JsonArray? nodes, List<MeasureItem> items)
    {
        foreach (var node in nodes ?? [])
        {
            var linkId = node?["linkId"]?.GetValue<string>() ?? "";
            switch (node?["type"]?.GetValue<string>())
            {
                case "group":
                    if (Collect(node["item"] as JsonArray, items) is { } problem) return problem;
                    break;
                case "display":
                    break;
                case "choice" or "coding":
                    var options = new List<MeasureOption>();
                    foreach (var option in node["answerOption"] as JsonArray ?? [])
                    {
                        var coding = option?["valueCoding"];
                        var value = Value(option) ?? Value(coding);
                        if (coding?["code"]?.GetValue<string>() is not { } code || value is null)
                        {
                            return $"Item {linkId}: every answerOption needs a valueCoding with a code and a value (ordinalValue or itemWeight extension).";
                        }

                        options.Add(new MeasureOption(code, coding["display"]?.GetValue<string>() ?? code,
                            value.Value));
                    }

                    items.Add(new MeasureItem(linkId, node["text"]?.GetValue<string>() ?? linkId, options, null));
                    break;
                default:
                    return $"Item {linkId} is of type {node?["type"]}: a measure scores choice items only.";
            }
        }

        return null;
    }

    private static int? Value(JsonNode? element)
    {
        var extension = (element?["extension"] as JsonArray)?.FirstOrDefault(e => ValueExtensions.Contains(
            e?["url"]?.GetValue<string>()));
        var value = extension?["valueDecimal"] ?? extension?["valueInteger"];
        return value is null ? null : (int)Math.Round(decimal.Parse(value.ToJsonString(),
            CultureInfo.InvariantCulture));
    }
}
