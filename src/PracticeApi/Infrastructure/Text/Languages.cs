using Microsoft.Net.Http.Headers;

namespace PracticeApi.Infrastructure.Text;

/// <summary>The languages the product speaks: what a client reads their portal and messages in, and what a request's
/// texts are written in.</summary>
public enum Language { Nl, En }

/// <summary>Which language a person reads a request's texts in: Dutch or English.</summary>
public static class Languages
{
    public static readonly string English = Language.En.Wire();
    public static readonly string Dutch = Language.Nl.Wire();

    /// <summary>
    /// The request's Accept-Language (nl or en in any region, by quality) wins; without one a portal client reads the
    /// language they chose; everyone else English.
    /// </summary>
    public static string Of(HttpContext http)
    {
        var accepted = http.Request.GetTypedHeaders().AcceptLanguage;
        if (accepted is { Count: > 0 })
        {
            foreach (var value in accepted.Where(v => v.Quality is not 0).OrderByDescending(v => v.Quality ?? 1))
            {
                var tag = value.Value.Value ?? "";
                if (tag.StartsWith(Dutch, StringComparison.OrdinalIgnoreCase) && (tag.Length == 2
                    || tag[2] == '-')) return Dutch;
                if (tag.StartsWith(English, StringComparison.OrdinalIgnoreCase) && (tag.Length == 2
                    || tag[2] == '-')) return English;
            }
        }

        return http.User.Identity is CallerIdentity { Token.PreferredLanguage: { } chosen } && chosen == Dutch
            ? Dutch : English;
    }

    /// <summary>
    /// The language an answer is written in (<paramref name="asked"/> when the request names one in its query, else
    /// <see cref="Of"/>), said in Content-Language, with Vary: Accept-Language.
    /// </summary>
    public static string Answer(HttpContext http, string? asked = null)
    {
        var language = asked ?? Of(http);
        http.Response.Headers.ContentLanguage = language;
        http.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptLanguage);
        return language;
    }
}
