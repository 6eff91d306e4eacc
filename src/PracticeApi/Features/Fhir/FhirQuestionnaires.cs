using System.Globalization;
using System.Text.Json.Nodes;
using PracticeApi.Features.Exercises;

namespace PracticeApi.Features.Fhir;

/// <summary>Exercise template versions as FHIR Questionnaires: one by {templateId}-v{version}, or the current
/// ones.</summary>
internal sealed class FhirQuestionnaires(Db db)
{
    public async Task<JsonObject?> ReadAsync(Caller caller, string id, CancellationToken ct)
    {
        var dash = id.LastIndexOf("-v", StringComparison.Ordinal);
        if (dash < 0 || !Guid.TryParse(id[..dash], out var templateId) || !int.TryParse(id[(dash + 2)..],
            out var version)) return null;
        await using var c = await db.BeginReadAsync(ct);
        var template = await TemplateReads.FindAsync(c, caller.PracticeId, templateId, version, ct);
        return template is null ? null : FhirJson.Questionnaire(template);
    }

    public async Task<FhirPage> SearchAsync(Caller caller, FhirSearch search, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (search.Url is { } url)
        {
            // A response's canonical ("…/Questionnaire/{templateId}|{version}") resolves to that version; without
            // "|version" to the current one.
            var parts = url.Split('|', 2);
            var prefix = FhirJson.QuestionnaireUrl(Guid.Empty)[..^Guid.Empty.ToString().Length];
            if (!parts[0].StartsWith(prefix, StringComparison.Ordinal) || !Guid.TryParse(parts[0][prefix.Length..],
                out var templateId) ||
                (parts.Length == 2 && !int.TryParse(parts[1], out _)))
            {
                return new FhirPage([], null, 0);
            }

            var template = await TemplateReads.FindAsync(c, caller.PracticeId, templateId,
                parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : null, ct);
            return new FhirPage(template is null ? [] : [FhirJson.Questionnaire(template)], null,
                template is null ? 0 : 1);
        }

        var rows = await TemplateReads.ListAsync(c, caller.PracticeId, new TemplateListQuery { Limit = search.Count,
            Cursor = search.After }, ct);
        var kept = rows.Take(search.Count).ToList();
        return new FhirPage(kept.Select(FhirJson.Questionnaire).ToList(),
            rows.Count > search.Count ? Cursor.Encode(kept[^1].Id.ToString()) : null,
            search.CountAll ? await TemplateReads.CountAsync(c, caller.PracticeId, ct) : null);
    }
}
