using System.Globalization;
using PracticeApi.Features.Clients;

namespace PracticeApi.Features.Fhir;

public static partial class FhirApi
{
    private static async Task<IResult> Search(HttpContext http, string type, Func<FhirSearch, Task<FhirPage>> search)
    {
        var query = http.Request.Query;
        if (PatientRequired.Contains(type)
            && !query.ContainsKey("patient")) return FhirResult.Invalid($"{type} search needs a patient parameter.");
        if (query.Keys.FirstOrDefault(k => k is not ("_cursor" or "_format" or "_total")
            && !SearchParameters[type].Contains(k)) is { } unknown)
        {
            return FhirResult.Invalid($"{type} does not support the search parameter '{unknown}' (supported: {string.Join(", ", SearchParameters[type])}).");
        }

        var count = Cursor.DefaultLimit;
        if (query.TryGetValue("_count", out var countText) && (!int.TryParse(countText,
            out count) || count is < 1 or > Cursor.MaxLimit))
        {
            return FhirResult.Invalid($"_count must be 1 to {Cursor.MaxLimit}.");
        }

        var baseUrl = http.RequestServices.GetRequiredService<PublicAddress>().For("/fhir");
        List<Guid>? patients = null;
        if (query.TryGetValue("patient", out var patientText))
        {
            // A reference: Patient/{id}, {id}, or absolute on this server ({base}/Patient/{id}); a comma is OR.
            if (patientText.Count > 1) return FhirResult.Invalid(
                "give one patient parameter; separate several patients with commas (OR).");
            patients = [];
            foreach (var reference in patientText.ToString().Split(','))
            {
                var text = reference.Trim();
                if (text.StartsWith(baseUrl + "/",
                    StringComparison.OrdinalIgnoreCase)) text = text[(baseUrl.Length + 1)..];
                if (text.StartsWith("Patient/", StringComparison.Ordinal)) text = text[8..];
                if (!Guid.TryParse(text, out var id) || patients.Count >= 20)
                {
                    return FhirResult.Invalid($"patient takes up to 20 comma-separated references: Patient/{{id}}, {{id}} or {baseUrl}/Patient/{{id}}.");
                }

                patients.Add(id);
            }
        }

        // Token parameters (R4): a comma is OR; "system|value", "system|" (any value in that system), "|value" (an
        // identifier without a system: none here, every identifier has one) or "value" (any system).
        List<IdentifierToken>? identifiers = null;
        if (query.TryGetValue("identifier", out var identifierText))
        {
            identifiers = [];
            foreach (var token in identifierText.SelectMany(t => (t ?? "").Split(',')))
            {
                var parts = token.Split('|', 2);
                IdentifierToken? parsed = parts switch
                {
                    [var value] when value.Length > 0 => new IdentifierToken(null, value),
                    ["", var value] when value.Length > 0 => new IdentifierToken(null, value, NoSystem: true),
                    [var system, ""] when system.Length > 0 => new IdentifierToken(system, null),
                    [var system, var value] when system.Length > 0 && value.Length > 0 =>
                        new IdentifierToken(system, value),
                    _ => null,
                };
                if (parsed is null || identifiers.Count >= 20)
                {
                    return FhirResult.Invalid(
                        "identifier takes up to 20 comma-separated system|value, system|, |value or value tokens.");
                }

                identifiers.Add(parsed);
            }
        }

        List<Guid>? ids = null;
        if (query.TryGetValue("_id", out var idText))
        {
            ids = [];
            foreach (var token in idText.SelectMany(t => (t ?? "").Split(',')))
            {
                if (!Guid.TryParse(token,
                    out var id)
                    || ids.Count >= Cursor.MaxLimit) return FhirResult.Invalid(
                        "_id takes comma-separated ids of this resource type.");
                ids.Add(id);
            }
        }

        string? url = query.TryGetValue("url", out var urlText) ? urlText.ToString() : null;
        var total = query["_total"].ToString();
        if (total is not ("" or "none" or "estimate" or "accurate")) return FhirResult.Invalid(
            "_total must be none, estimate or accurate.");

        DateTime? from = null, before = null;
        foreach (var value in query["_lastUpdated"])
        {
            if (!TryRange(value ?? "", ref from, ref before))
            {
                return FhirResult.Invalid($"_lastUpdated '{value}' must be a date or time from {SearchWindow.First:yyyy-MM-dd} to {SearchWindow.Last:yyyy-MM-dd}, with an optional prefix ge, gt, le, lt or eq.");
            }
        }

        var cursor = query["_cursor"].ToString();
        var cursorParts = type switch { "Task" => FhirTasks.CursorParts, "CarePlan" or "RelatedPerson" =>
            FhirCouples.CursorParts, _ => 1 };
        if (cursor.Length > 0 && Cursor.Decode(cursor, cursorParts) is null)
        {
            return FhirResult.Invalid("_cursor is not one this server returned.");
        }

        var page = await search(new FhirSearch(patients, identifiers, from, before, count,
            cursor.Length > 0 ? cursor : null, ids, url, total == "accurate"));

        var self = $"{baseUrl}/{type}{http.Request.QueryString}";
        string? next = null;
        if (page.NextCursor is not null)
        {
            var parameters = query.Where(q => q.Key != "_cursor")
                .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v))).ToList();
            parameters.Add(KeyValuePair.Create("_cursor", (string?)page.NextCursor));
            next = $"{baseUrl}/{type}{QueryString.Create(parameters)}";
        }

        // Bundle.total: counted on request (_total=accurate), and known anyway when the first page is the only one.
        var known = page.Total ?? (cursor.Length == 0 && page.NextCursor is null ? page.Resources.Count : null);
        return new FhirResult(FhirJson.Bundle(self, next, page.Resources, baseUrl, known));
    }

    /// <summary>Narrows [from, before) by one _lastUpdated value: a date means that whole day.</summary>
    private static bool TryRange(string value, ref DateTime? from, ref DateTime? before)
    {
        if (value.Length == 0) return false;
        var prefixed = char.IsLetter(value[0]);
        if (prefixed && value.Length <= 2) return false;
        var prefix = prefixed ? value[..2] : "eq";
        var text = prefixed ? value[2..] : value;
        DateTime start, end;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            if (!SearchWindow.Contains(day)) return false;
            start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            end = start.AddDays(1);
        }
        else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal,
            out var instant))
        {
            if (!SearchWindow.Contains(DateOnly.FromDateTime(instant.UtcDateTime))) return false;
            start = instant.UtcDateTime;
            end = start.AddTicks(1);
        }
        else
        {
            return false;
        }

        switch (prefix)
        {
            case "eq": from = Max(from, start); before = Min(before, end); return true;
            case "ge": from = Max(from, start); return true;
            case "gt": from = Max(from, end); return true;
            case "le": before = Min(before, end); return true;
            case "lt": before = Min(before, start); return true;
            default: return false;
        }

        static DateTime Max(DateTime? a, DateTime b) => a is { } x && x > b ? x : b;
        static DateTime Min(DateTime? a, DateTime b) => a is { } x && x < b ? x : b;
    }
}
