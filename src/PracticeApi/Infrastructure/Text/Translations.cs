using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace PracticeApi.Infrastructure.Text;

/// <summary>
/// The Dutch of every text a person reads in a problem or an alert. The source writes English; <c>nl.json</c> holds
/// each English text with a hole (<c>{}</c>, or a validator's <c>{PropertyName}</c>) for every value filled in at run
/// time, and its Dutch with numbered holes (<c>{0}</c>…) that may come in another order. A value in a hole is itself
/// translated when it is a known noun (No <i>client</i> with this id…). A text without Dutch stays English (the sweep
/// in the tests makes sure there is none).
/// </summary>
public static partial class Translations
{
    private sealed record Catalogue(Dictionary<string, string> Texts, Dictionary<string, string> Nouns);

    private static readonly Catalogue Loaded = Load();

    // Sentences (titles, details, messages, alert reasons), and the nouns and phrases their holes may hold.
    private static readonly Compiled Sentences = new(Loaded.Texts);
    private static readonly Compiled Phrases = new(Loaded.Nouns);

    /// <summary>One part of the catalogue: its texts without holes by their English, the others as patterns.</summary>
    private sealed class Compiled(Dictionary<string, string> texts)
    {
        private readonly FrozenDictionary<string, string> _exact =
            texts.Where(t => !Hole().IsMatch(t.Key)).ToFrozenDictionary(t => t.Key, t => t.Value,
                StringComparer.Ordinal);

        // Most specific first: the template with the most fixed text wins.
        private readonly (Regex English, string Dutch)[] _patterns = texts.Where(t => Hole().IsMatch(t.Key))
            .OrderByDescending(t => Hole().Replace(t.Key, "").Length)
            .Select(t => (new Regex("^" + string.Join("(.*?)", Hole().Split(t.Key).Select(Regex.Escape)) + "$",
                RegexOptions.Singleline | RegexOptions.CultureInvariant), t.Value))
            .ToArray();

        /// <summary>The Dutch, each hole's value filled in as <paramref name="fill"/> gives it; null without an
        /// entry.</summary>
        public string? Find(string english, Func<string, string> fill)
        {
            if (_exact.TryGetValue(english, out var exact)) return exact;
            foreach (var (pattern, dutch) in _patterns)
            {
                var match = pattern.Match(english);
                if (match.Success)
                {
                    return string.Format(CultureInfo.InvariantCulture, dutch, match.Groups.Values.Skip(1)
                        .Select(g => fill(g.Value)).ToArray<object>());
                }
            }

            return null;
        }
    }

    /// <summary>The English templates that have Dutch (for the sweep).</summary>
    public static IReadOnlyCollection<string> Known => Loaded.Texts.Keys;

    /// <summary>The nouns that have Dutch (for the sweep).</summary>
    public static IReadOnlyCollection<string> KnownNouns => Loaded.Nouns.Keys;

    /// <summary>The text in the language asked for (English as written; Dutch from the catalogue, or English where it
    /// has none).</summary>
    public static string Translate(string english, string language) =>
        language != Languages.Dutch || string.IsNullOrEmpty(english)
            ? english
            // A hole's value is a known noun or phrase (No client with this id…), or a value that reads the same in
            // both (an id, a date).
            : Sentences.Find(english, value => Phrases.Find(value, v => v) ?? value) ?? english;

    /// <summary>A problem's title, detail and every field error in the request's language.</summary>
    public static void Localise(ProblemDetails problem, HttpContext http)
    {
        var language = Languages.Answer(http);
        if (language == Languages.English) return;
        if (problem.Title is { } title) problem.Title = Translate(title, language);
        if (problem.Detail is { } detail) problem.Detail = Translate(detail, language);
        var errors = problem is HttpValidationProblemDetails validation ? validation.Errors
            : problem.Extensions.TryGetValue("errors",
                out var found) && found is IDictionary<string, string[]> dictionary ? dictionary : null;
        foreach (var key in errors?.Keys.ToList() ?? [])
        {
            errors![key] = errors[key].Select(m => Translate(m, language)).ToArray();
        }
    }

    [GeneratedRegex(@"\{\}|\{[A-Za-z]+\}")]
    private static partial Regex Hole();

    private static Catalogue Load()
    {
        using var stream = typeof(Translations)
            .Assembly.GetManifestResourceStream("PracticeApi.Infrastructure.Text.nl.json")
                           ?? throw new InvalidOperationException("nl.json is not embedded.");
        return JsonSerializer.Deserialize<Catalogue>(stream,
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
               ?? throw new InvalidOperationException("nl.json is empty.");
    }
}
