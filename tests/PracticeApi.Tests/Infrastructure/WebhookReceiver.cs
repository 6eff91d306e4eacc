using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace PracticeApi.Tests.Infrastructure;

/// <summary>A real HTTP receiver on loopback that checks Standard Webhooks signatures and can fail the first
/// attempts.</summary>
public sealed class WebhookReceiver : IDisposable
{
    public sealed record Received(string Id, string Timestamp, string Signature, string Body, bool SignatureValid,
        int AnsweredWith);

    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public WebhookReceiver(int failFirst = 0)
    {
        FailFirst = failFirst;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    public int FailFirst { get; set; }

    public string? Secret { get; set; }

    /// <summary>Refuses (500) every request whose body matches, whatever the attempt.</summary>
    public Func<string, bool>? Refuse { get; set; }

    /// <summary>Awaited before answering the request with this number (0-based, in arrival order): a receiver that
    /// hangs.</summary>
    public Func<int, Task>? Hold { get; set; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    public async Task<Received[]> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Requests.Count < count && DateTime.UtcNow < until) await Task.Delay(25);
        Assert.True(Requests.Count >= count, $"expected {count} webhook requests, got {Requests.Count}");
        return Requests.ToArray();
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var id = context.Request.Headers["webhook-id"] ?? "";
            var timestamp = context.Request.Headers["webhook-timestamp"] ?? "";
            var signature = context.Request.Headers["webhook-signature"] ?? "";
            var number = Requests.Count;
            var status = number < FailFirst || (Refuse?.Invoke(body) ?? false) ? 500 : 200;
            Requests.Enqueue(new Received(id, timestamp, signature, body, Secret is not null && Verify(Secret, id,
                timestamp, body, signature), status));
            if (Hold is { } hold)
            {
                // Answered later, on its own: the loop takes the next request meanwhile.
                _ = Task.Run(async () =>
                {
                    await hold(number);
                    Answer(context, status);
                });
                continue;
            }

            Answer(context, status);
        }
    }

    private static void Answer(HttpListenerContext context, int status)
    {
        try
        {
            context.Response.StatusCode = status;
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The sender gave up waiting.
        }
    }

    /// <summary>What a receiver does: recompute HMAC-SHA256 over id.timestamp.body with the secret and
    /// compare.</summary>
    public static bool Verify(string secret, string id, string timestamp, string body, string signatureHeader)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key,
            Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return signatureHeader.Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal) &&
                                                  CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected)));
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(2));
    }
}
