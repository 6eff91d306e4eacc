using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace PracticeApi.Infrastructure.Text;

/// <summary>
/// The Dutch of every text a person reads in a problem or an alert. The source writes English; <c>nl.json</c> holds each
/// English text with a hole (<c>{}</c>, or a validator's <c>{PropertyName}</c>) for every value filled in at run time,
/// and its Dutch with numbered holes (<c>{0}</c>…) that may come in another order. A value in a hole is itself translated
/// when it is a known noun (No <i>client</i> with this id…). A text without Dutch stays English (the sweep in the tests
/// makes sure there is none).
/// </summary>
public static partial class Translations
{
    private sealed record Catalogue(Dictionary<string, string> Texts, Dictionary<string, string> Nouns);

    private sealed record Pattern(Regex English, string Dutch, int Literal);

    private static readonly Catalogue Loaded = Load();

    // Texts and nouns alike: a noun may have a hole of its own (client {} among this couple's partners).
    private static readonly KeyValuePair<string, string>[] All = [.. Loaded.Texts, .. Loaded.Nouns];

    private static readonly FrozenDictionary<string, string> Exact =
        All.Where(t => !Hole().IsMatch(t.Key)).ToFrozenDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

    // Most specific first: the template with the most fixed text wins.
    private static readonly Pattern[] Patterns = All.Where(t => Hole().IsMatch(t.Key))
        .Select(t => new Pattern(new Regex("^" + string.Join("(.*?)", Hole().Split(t.Key).Select(Regex.Escape)) + "$",
            RegexOptions.Singleline | RegexOptions.CultureInvariant), t.Value, Hole().Replace(t.Key, "").Length))
        .OrderByDescending(p => p.Literal).ToArray();

    /// <summary>The English templates that have Dutch (for the sweep).</summary>
    public static IReadOnlyCollection<string> Known => Loaded.Texts.Keys;

    /// <summary>The nouns that have Dutch (for the sweep).</summary>
    public static IReadOnlyCollection<string> KnownNouns => Loaded.Nouns.Keys;

    /// <summary>The text in the language asked for (English as written; Dutch from the catalogue, or English where it has none).</summary>
    public static string Translate(string english, string language)
    {
        if (language != Languages.Dutch || string.IsNullOrEmpty(english)) return english;
        if (Exact.TryGetValue(english, out var exact)) return exact;
        foreach (var pattern in Patterns)
        {
            var match = pattern.English.Match(english);
            if (!match.Success) continue;
            var values = match.Groups.Values.Skip(1).Select(g => Loaded.Nouns.ContainsKey(g.Value) || Noun(g.Value) ? Translate(g.Value, language) : g.Value)
                .ToArray<object>();
            return string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern.Dutch, values);
        }

        return english;
    }

    /// <summary>A problem's title, detail and every field error in the request's language.</summary>
    public static void Localise(ProblemDetails problem, HttpContext http)
    {
        var language = Languages.Of(http);
        Languages.Mark(http, language);
        if (language == Languages.English) return;
        if (problem.Title is { } title) problem.Title = Translate(title, language);
        if (problem.Detail is { } detail) problem.Detail = Translate(detail, language);
        var errors = problem is HttpValidationProblemDetails validation ? validation.Errors
            : problem.Extensions.TryGetValue("errors", out var found) && found is IDictionary<string, string[]> dictionary ? dictionary : null;
        foreach (var key in errors?.Keys.ToList() ?? [])
        {
            errors![key] = errors[key].Select(m => Translate(m, language)).ToArray();
        }
    }

    // A noun with a hole of its own (client {id} among this couple's partners).
    private static bool Noun(string value) => Loaded.Nouns.Keys.Any(n => Hole().IsMatch(n) && Regex.IsMatch(value,
        "^" + string.Join("(.*?)", Hole().Split(n).Select(Regex.Escape)) + "$", RegexOptions.Singleline));

    [GeneratedRegex(@"\{\}|\{[A-Za-z]+\}")]
    private static partial Regex Hole();

    private static Catalogue Load()
    {
        using var stream = typeof(Translations).Assembly.GetManifestResourceStream("PracticeApi.Infrastructure.Text.nl.json")
                           ?? throw new InvalidOperationException("nl.json is not embedded.");
        return JsonSerializer.Deserialize<Catalogue>(stream, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
               ?? throw new InvalidOperationException("nl.json is empty.");
    }
}
