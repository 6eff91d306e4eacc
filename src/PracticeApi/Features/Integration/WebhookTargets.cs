using System.Net;
using System.Net.Sockets;

namespace PracticeApi.Features.Integration;

/// <summary>
/// Where webhooks may go: https to public addresses only. Loopback, private, link-local, carrier-grade NAT, multicast
/// and unspecified addresses are refused at registration and again at delivery, on the addresses actually connected to,
/// unless Webhooks:AllowPrivateTargets (and for plain http, Webhooks:AllowHttp) is set for tests and local development.
/// </summary>
public sealed class WebhookTargets(IConfiguration configuration)
{
    public bool AllowPrivate { get; } = configuration.GetValue("Webhooks:AllowPrivateTargets", false);

    public bool AllowHttp { get; } = configuration.GetValue("Webhooks:AllowHttp", false);

    /// <summary>Resolves the host and connects only to addresses the target policy allows (no DNS rebinding to private
    /// addresses).</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = System.Net.IPAddress.TryParse(host,
            out var literal) ? [literal] : await System.Net.Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(IsAllowed).ToArray();
        if (allowed.Length == 0) throw new HttpRequestException(
            $"refused: {host} does not resolve to an allowed public address");
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream,
            System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Null when the URL may be registered; otherwise why not.</summary>
    [MessageSource]
    public async Task<string?> CheckAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return "url must be an absolute https URL without credentials.";
        }

        if (uri.Scheme == "http" && !AllowHttp) return "url must use https.";
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.IdnHost,
                out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.IdnHost, ct);
        }
        catch (SocketException)
        {
            return "url's host does not resolve.";
        }

        return addresses.Length == 0 || addresses.Any(a => !IsAllowed(a))
            ? "url must point at a public address." : null;
    }

    public bool IsAllowed(IPAddress address) => AllowPrivate || IsPublic(address);

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (address.GetAddressBytes()[0] & 0xFE) == 0xFC);
        }

        var b = address.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 0 || b[0] >= 224 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192
            && b[1] == 168) ||
                 (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127));
    }
}
