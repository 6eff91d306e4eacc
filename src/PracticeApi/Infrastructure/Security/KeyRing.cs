using System.Security.Cryptography;

namespace PracticeApi.Infrastructure.Security;

/// <summary>What a Data Protection key ring that cannot be used looks like (missing, empty or unreadable key
/// files).</summary>
public static class KeyRing
{
    public static bool IsUnavailable(Exception e) =>
        e is CryptographicException or System.Xml.XmlException or IOException or UnauthorizedAccessException or InvalidOperationException;
}
