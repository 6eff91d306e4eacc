using System.Security.Cryptography;
using System.Text;

namespace PracticeApi.Infrastructure.Security;

/// <summary>Opaque bearer tokens: 32 random bytes, shown once, stored only as a SHA-256 hash.</summary>
public static class TokenSecrets
{
    public const string Prefix = "pa_";

    public static string NewToken() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
