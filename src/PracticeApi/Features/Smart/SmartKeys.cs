using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace PracticeApi.Features.Smart;

/// <summary>
/// Which public keys a SMART client may sign its assertions with: RS384 with RSA keys of at least 2048 bits, ES384 with
/// EC keys on P-384, each with a kid and never a private part; 1 to 10 in a set.
/// </summary>
internal static class SmartKeys
{
    public static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha384, SecurityAlgorithms.EcdsaSha384];

    /// <summary>The public signing keys of a JWKS (private parts are never accepted).</summary>
    public static IList<SecurityKey> SigningKeys(string jwks)
    {
        try
        {
            var set = new JsonWebKeySet(jwks);
            if (set.Keys.Any(k => k.HasPrivateKey || string.IsNullOrEmpty(k.Kid) || !Accepted(k))) return [];
            return set.GetSigningKeys();
        }
        catch (Exception e) when (e is ArgumentException or JsonException or FormatException or InvalidOperationException or NotSupportedException or
                                   System.Security.Cryptography.CryptographicException)
        {
            return [];
        }
    }

    /// <summary>The keys accepted: RSA of at least 2048 bits (for RS384) and EC on P-384 (for ES384).</summary>
    public const string AcceptedKeys = "RSA keys of at least 2048 bits (RS384) or EC keys on curve P-384 (ES384)";

    private static bool Accepted(JsonWebKey key) => key.Kty switch
    {
        "RSA" => !string.IsNullOrEmpty(key.N) && Base64UrlEncoder.DecodeBytes(key.N).SkipWhile(b => b == 0)
            .Count() * 8 >= 2048,
        "EC" => key.Crv == "P-384",
        _ => false,
    };

    /// <summary>A key set with 1 to 10 public signing keys of the accepted kinds (<see cref="AcceptedKeys"/>), each
    /// with a kid.</summary>
    public static bool ValidKeySet(string jwks) => SigningKeys(jwks) is { Count: > 0 and <= 10 };
}
