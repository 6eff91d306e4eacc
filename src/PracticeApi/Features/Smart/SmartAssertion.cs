using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace PracticeApi.Features.Smart;

/// <summary>
/// A client assertion's header and claims, read strictly before any key is looked up or signature checked (SMART
/// Backend Services): a JWS in compact form (three parts; an encrypted five-part JWT is refused), shallow JSON, a
/// <c>kid</c>, <c>iss</c> = <c>sub</c> = the form's <c>client_id</c> when given, <c>aud</c> exactly the token endpoint,
/// numeric <c>exp</c> (and <c>iat</c>/<c>nbf</c> when present), <c>iat</c> neither in the future nor after <c>exp</c>,
/// a string <c>jti</c>. Anything else is refused with a reason; nothing here throws.
/// </summary>
internal sealed record SmartAssertion(Guid ClientId, string KeyId, string? Jku)
{
    public const int MaxLength = 16 * 1024;
    private const int MaxDepth = 4;
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);

    public static (SmartAssertion? Assertion, string? Problem) Read(string text, string? formClientId,
        string tokenEndpoint, DateTime now)
    {
        if (text.Length is 0 or > MaxLength) return Refuse(
            $"client_assertion must be a signed JWT of at most {MaxLength} characters.");
        var parts = text.Split('.');
        if (parts.Length != 3) return Refuse(
            "client_assertion must be a JWS in compact form (three parts); encrypted JWTs are not accepted.");
        if (Json(parts[0]) is not { } header || Json(parts[1]) is not { } payload)
        {
            return Refuse("client_assertion's header and claims must be base64url-encoded JSON objects (nested at most four levels).");
        }

        using (header)
        using (payload)
        {
            var h = header.RootElement;
            var p = payload.RootElement;
            if (Text(h,
                "kid") is not { Length: > 0 } kid) return Refuse(
                    "The assertion's header needs the kid of one of the client's registered keys.");
            if (h.TryGetProperty("jku",
                out var jku)
                && jku.ValueKind != JsonValueKind.String) return Refuse("The assertion's jku must be a URL.");
            if (Text(p, "iss") is not { } iss || !Guid.TryParse(iss,
                out var clientId)) return Refuse("The assertion's iss must be the client_id.");
            if (Text(p, "sub") != iss) return Refuse("The assertion's sub must be the client_id (the same as iss).");
            if (!string.IsNullOrEmpty(formClientId)
                && formClientId != iss) return Refuse("client_id must be the assertion's iss.");
            if (!Audience(p,
                tokenEndpoint)) return Refuse(
                    $"The assertion's aud must be exactly this token endpoint ({tokenEndpoint}).");
            if (Seconds(p,
                "exp") is not { } exp) return Refuse("The assertion's exp must be a number (seconds since 1970).");
            if (!p.TryGetProperty("jti", out var jti) || jti.ValueKind != JsonValueKind.String
                || jti.GetString() is not { Length: > 0 and <= 200 })
            {
                return Refuse("The assertion needs a jti: a string of at most 200 characters.");
            }

            foreach (var optional in new[] { "iat", "nbf" })
            {
                if (p.TryGetProperty(optional, out _) && Seconds(p, optional) is null)
                {
                    return Refuse($"The assertion's {optional} must be a number (seconds since 1970).");
                }
            }

            if (Seconds(p, "iat") is { } iat)
            {
                if (iat > now + Skew) return Refuse("The assertion's iat is in the future.");
                if (iat > exp) return Refuse("The assertion's iat is after its exp.");
            }

            return (new SmartAssertion(clientId, kid,
                jku.ValueKind == JsonValueKind.String ? jku.GetString() : null), null);
        }
    }

    private static (SmartAssertion?, string?) Refuse(string problem) => (null, problem);

    private static JsonDocument? Json(string part)
    {
        try
        {
            var document = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(part),
                new JsonDocumentOptions { MaxDepth = MaxDepth });
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
            return null;
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;

    private static bool Audience(JsonElement payload, string tokenEndpoint) =>
        payload.TryGetProperty("aud", out var aud) && aud.ValueKind switch
        {
            JsonValueKind.String => aud.GetString() == tokenEndpoint,
            JsonValueKind.Array => aud.GetArrayLength() == 1 && aud[0].ValueKind == JsonValueKind.String
                && aud[0].GetString() == tokenEndpoint,
            _ => false,
        };

    private static DateTime? Seconds(JsonElement payload, string name)
    {
        if (!payload.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds)
            || seconds is < 0 or > 253402300799) return null;
        return DateTime.UnixEpoch.AddSeconds(seconds);
    }
}
