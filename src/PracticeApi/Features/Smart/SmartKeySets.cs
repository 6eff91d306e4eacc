namespace PracticeApi.Features.Smart;

/// <summary>
/// Fetches SMART clients' key sets from their JWKS URLs: only from addresses the webhook target policy allows (no
/// private addresses unless configured for development), within 5 seconds and 64 KB, and at most every 30 seconds per
/// URL.
/// </summary>
internal sealed class SmartKeySets(Integration.WebhookTargets targets, TimeProvider clock) : IDisposable
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(30);
    private const int MaxBytes = 64 * 1024;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _lastFetch = new(
        StringComparer.Ordinal);

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ConnectCallback = targets.ConnectAsync,
    })
    {
        Timeout = TimeSpan.FromSeconds(5),
        MaxResponseContentBufferSize = MaxBytes,
    };

    /// <summary>How old a fetched key set may be before it is fetched again: a key removed from the set stops working
    /// within this.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    public bool MayRefetch(string url) => !_lastFetch.TryGetValue(url,
        out var last) || clock.GetUtcNow() - last >= MinInterval;

    /// <summary>Not fetched by this instance within <see cref="MaxAge"/>: fetched again before it is trusted.</summary>
    public bool IsStale(string url) => !_lastFetch.TryGetValue(url, out var last) || clock.GetUtcNow() - last >= MaxAge;

    /// <summary>The key set at the URL, when it is one with valid public signing keys; otherwise null.</summary>
    public async Task<string?> FetchAsync(string url, CancellationToken ct)
    {
        _lastFetch[url] = clock.GetUtcNow();
        if (await targets.CheckAsync(url, ct) is not null) return null;
        try
        {
            var text = await _http.GetStringAsync(url, ct);
            return SmartKeys.ValidKeySet(text) ? text : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
