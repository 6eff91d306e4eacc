using System.Security.Cryptography;
using System.Text;

namespace PracticeApi.Features.Integration;

/// <summary>What goes on the wire: the body with its sequence and the Standard Webhooks signature.</summary>
public static class WebhookWire
{
    /// <summary>The stored event with its place in the subscription's order first: <c>{"sequence":n,"type":…}</c>,
    /// signed as sent.</summary>
    internal static string WithSequence(string payload, long sequence) =>
        payload.StartsWith('{')
            ? "{\"sequence\":" + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)
                + (payload.Length > 2 ? "," : "") + payload[1..]
            : payload;

    /// <summary>v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), the key being the base64 part of
    /// whsec_….</summary>
    public static string Sign(string secret, string id, string timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_",
            StringComparison.Ordinal) ? secret[6..] : secret);
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key,
            Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
    }

    internal static string Truncate(string text) => text.Length <= 300 ? text : text[..300];
}
