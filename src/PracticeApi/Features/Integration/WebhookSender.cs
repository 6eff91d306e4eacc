using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace PracticeApi.Features.Integration;

/// <summary>
/// Sends one delivery to its receiver as Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature), over
/// connections only to allowed addresses (<see cref="WebhookTargets"/>), without following redirects, within
/// Webhooks:TimeoutSeconds; says what came back, or why nothing did.
/// </summary>
internal sealed class WebhookSender(TimeProvider clock, WebhookTargets targets,
    IConfiguration configuration) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ConnectCallback = targets.ConnectAsync,
    })
    {
        Timeout = TimeSpan.FromSeconds(configuration.GetValue("Webhooks:TimeoutSeconds", 10)),
    };

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan Timeout => _http.Timeout;

    public sealed record Attempt(WebhookDispatcher.DueRow Delivery, DateTime At, int? StatusCode, string? Error,
        int DurationMs)
    {
        public bool Delivered => StatusCode is >= 200 and < 300;
    }

    public async Task<Attempt> AttemptAsync(WebhookDispatcher.SubscriptionRow subscription,
        WebhookDispatcher.DueRow delivery, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        int? status = null;
        string? error = null;
        try
        {
            var body = WebhookWire.WithSequence(delivery.Payload, delivery.Sequence);
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            request.Headers.Add("webhook-id", delivery.EventId.ToString());
            request.Headers.Add("webhook-timestamp", timestamp);
            request.Headers.Add("webhook-signature", WebhookWire.Sign(subscription.Secret, delivery.EventId.ToString(),
                timestamp, body));
            using var response = await _http.SendAsync(request, ct);
            status = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException
            && !ct.IsCancellationRequested)
        {
            error = e is TaskCanceledException ? "timed out" : WebhookWire.Truncate(e.Message);
        }

        error ??= status is >= 200 and < 300 ? null : $"receiver answered {status}";
        return new Attempt(delivery, now.UtcDateTime, status, error, (int)Stopwatch.GetElapsedTime(started)
            .TotalMilliseconds);
    }

    public void Dispose() => _http.Dispose();
}
