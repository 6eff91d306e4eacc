using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace PracticeApi.Bench;

internal sealed record ScenarioResult(string Name, long Requests, double RequestsPerSecond, double P50Ms, double P99Ms,
    long Errors, string Generator)
{
    /// <summary>Every request sent, the warm-up's included (what the database grew by).</summary>
    public long TotalRequests { get; init; } = Requests;

    /// <summary>
    /// The latency distribution (ms) at <see cref="Load.QuantilePoints"/> evenly spaced quantiles, so that runs in
    /// slices can be combined into one distribution (not written to the results).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double[] Quantiles { get; init; } = [];
}

/// <summary>One kind of request of a scenario: method, path, optional JSON body and token.</summary>
internal sealed record RequestShape(HttpMethod Method, Func<Random, string> Path, Func<Random, string?>? Body,
    string? Token);

/// <summary>Drives load at a fixed number of connections for a fixed time: wrk when installed, otherwise built
/// in.</summary>
internal static partial class Load
{
    public static bool WrkInstalled { get; } = File.Exists("/usr/bin/wrk") || File.Exists("/usr/local/bin/wrk");

    /// <summary>Quantiles kept per run: the k-th at (k + 0.5) / 1000, so p99 lies among the last ten.</summary>
    public const int QuantilePoints = 1000;

    /// <summary>
    /// One run of a scenario. With <paramref name="warmUp"/>, connections and code are warmed up first (untimed); a
    /// slice of an interleaved measurement runs after the bench's own warm-up and goes straight to measuring.
    /// </summary>
    public static async Task<ScenarioResult> RunAsync(string name, string baseUrl, RequestShape shape, int connections,
        TimeSpan duration, bool useWrk, bool warmUp = true)
    {
        return useWrk && WrkInstalled
            ? await RunWrkAsync(name, baseUrl, shape, connections, duration, warmUp)
            : await RunBuiltInAsync(name, baseUrl, shape, connections, duration, warmUp);
    }

    /// <summary>
    /// Slices of one scenario as one result: requests and errors summed, the rate over the time measured, and p50 and
    /// p99 of the slices' latency distributions weighted by their requests.
    /// </summary>
    public static ScenarioResult Combine(IReadOnlyList<ScenarioResult> slices)
    {
        if (slices.Count == 1) return slices[0];
        var requests = slices.Sum(s => s.Requests);
        var seconds = slices.Sum(s => s.RequestsPerSecond > 0 ? s.Requests / s.RequestsPerSecond : 0);
        var points = slices.SelectMany(s => s.Quantiles.Select(q => (Ms: q,
            Weight: (double)s.Requests / s.Quantiles.Length))).OrderBy(p => p.Ms).ToArray();
        return new ScenarioResult(slices[0].Name, requests, seconds > 0 ? requests / seconds : 0,
            WeightedPercentile(points, 0.50),
            WeightedPercentile(points, 0.99), slices.Sum(s => s.Errors), slices[0].Generator)
        {
            TotalRequests = slices.Sum(s => s.TotalRequests),
            Quantiles = [.. slices.SelectMany(s => s.Quantiles)],
        };
    }

    private static double WeightedPercentile((double Ms, double Weight)[] sorted, double p)
    {
        var total = sorted.Sum(point => point.Weight);
        var seen = 0.0;
        foreach (var (ms, weight) in sorted)
        {
            seen += weight;
            if (seen >= p * total) return ms;
        }

        return sorted.Length == 0 ? double.NaN : sorted[^1].Ms;
    }

    private static async Task<ScenarioResult> RunBuiltInAsync(string name, string baseUrl, RequestShape shape,
        int connections, TimeSpan duration, bool warm)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(baseUrl),
        };
        if (shape.Token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", shape.Token);

        var latencies = new List<double>[connections];
        var errors = 0L;

        // Warm up connections and JIT before measuring.
        var sent = 0L;
        if (warm) await Drive(TimeSpan.FromMilliseconds(Math.Min(1000, duration.TotalMilliseconds / 4)), record: false);
        var warmUp = sent;
        var clock = Stopwatch.StartNew();
        await Drive(duration, record: true);
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new ScenarioResult(name, all.Length, all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99),
            errors, "built-in")
        {
            TotalRequests = warmUp + all.Length,
            Quantiles = all.Length == 0 ? [] : [.. Enumerable.Range(0, QuantilePoints).Select(k => Percentile(all,
                (k + 0.5) / QuantilePoints))],
        };

        async Task Drive(TimeSpan length, bool record)
        {
            var until = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
            await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
            {
                var random = new Random(worker * 7919 + (record ? 1 : 0));
                var mine = record ? latencies[worker] = new List<double>(4096) : null;
                while (Stopwatch.GetTimestamp() < until)
                {
                    using var request = new HttpRequestMessage(shape.Method, shape.Path(random));
                    if (shape.Body?.Invoke(random) is { } body) request.Content = new StringContent(body,
                        Encoding.UTF8, "application/json");
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        using var response = await client.SendAsync(request);
                        await response.Content.ReadAsByteArrayAsync();
                        if (!response.IsSuccessStatusCode && record) Interlocked.Increment(ref errors);
                    }
                    catch (HttpRequestException)
                    {
                        if (record) Interlocked.Increment(ref errors);
                    }

                    Interlocked.Increment(ref sent);
                    mine?.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }));
        }
    }

    private static async Task<ScenarioResult> RunWrkAsync(string name, string baseUrl, RequestShape shape,
        int connections, TimeSpan duration, bool warm)
    {
        // Warm up connections and JIT before measuring (the API process starts cold).
        var warmUp = warm ? (await RunWrkOnceAsync(name, baseUrl, shape, connections,
            TimeSpan.FromSeconds(Math.Clamp(duration.TotalSeconds / 4, 1, 2)))).Requests : 0;
        var measured = await RunWrkOnceAsync(name, baseUrl, shape, connections, duration);
        return measured with { TotalRequests = warmUp + measured.Requests };
    }

    /// <summary>
    /// A wrk script that sends the shape's requests (a fixed sample of 2,000) and prints errors, p50, p99, requests and
    /// the latency distribution.
    /// </summary>
    public static async Task<string> WriteWrkScriptAsync(RequestShape shape, string script)
    {
        // wrk picks a random request (path and body) from a fixed sample each time.
        var random = new Random(42);
        var requests = Enumerable.Range(0, 2000).Select(_ => (Path: shape.Path(random),
            Body: shape.Body?.Invoke(random))).ToList();
        var lua = new StringBuilder("local requests = {\n");
        // Bodies as Lua long strings ([==[ ... ]==]): JSON needs no escaping there.
        foreach (var (path, body) in requests) lua.Append("  { \"").Append(path).Append("\", ")
            .Append(body is null ? "nil" : $"[==[{body}]==]").Append(" },\n");
        // A body's headers: the command line's (-H, the token) and its content type.
        lua.Append("}\nlocal headers = { [\"Content-Type\"] = \"application/json\" }\nfor name, value in pairs(wrk.headers) do headers[name] = value end\n");
        lua.Append($"math.randomseed(42)\nrequest = function()\n  local r = requests[math.random(#requests)]\n  return wrk.format(\"{shape.Method.Method}\", r[1], r[2] and headers or nil, r[2])\nend\n");
        // No response() function: wrk then skips handing every response's headers and body to Lua (its own count of
        // answers of 400 and above, summary.errors.status, is what ERRORS reports).
        lua.Append("done = function(summary, latency, requests)\n  io.write(string.format(\"ERRORS %d\\n\", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))\n");
        lua.Append("  io.write(string.format(\"P50 %f\\nP99 %f\\nREQUESTS %d\\n\", latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests))\n");
        lua.Append($"  for k = 0, {QuantilePoints - 1} do io.write(string.format(\"Q %f\\n\", latency:percentile((k + 0.5) * 100 / {QuantilePoints}) / 1000)) end\nend\n");
        await File.WriteAllTextAsync(script, lua.ToString());
        return script;
    }

    /// <summary>wrk's command line for a scenario: two threads, the connections, the time, the script and the
    /// token.</summary>
    public static IReadOnlyList<string> WrkArguments(RequestShape shape, int connections, TimeSpan duration,
        string script, string baseUrl) =>
    [
        "-t", "2", "-c", connections.ToString(
            CultureInfo.InvariantCulture), "-d", $"{(int)duration.TotalSeconds}s", "-s", script,
        .. shape.Token is null ? Array.Empty<string>() : ["-H", $"Authorization: Bearer {shape.Token}"],
        baseUrl,
    ];

    private static async Task<ScenarioResult> RunWrkOnceAsync(string name, string baseUrl, RequestShape shape,
        int connections, TimeSpan duration)
    {
        var script = await WriteWrkScriptAsync(shape, Path.Combine(Path.GetTempPath(),
            $"bench-{Guid.NewGuid():N}.lua"));
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in WrkArguments(shape, connections, duration, script, baseUrl)) start.ArgumentList.Add(arg);
        using var wrk = Process.Start(start)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        File.Delete(script);
        double Read(string key) => double.Parse(Regex.Match(output, $@"^{key} ([\d.]+)", RegexOptions.Multiline)
            .Groups[1].Value, CultureInfo.InvariantCulture);
        var rps = double.Parse(RequestsPerSec().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var quantiles = Regex.Matches(output, @"^Q ([\d.]+)", RegexOptions.Multiline)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return new ScenarioResult(name, (long)Read("REQUESTS"), rps, Read("P50"), Read("P99"), (long)Read("ERRORS"),
            "wrk") { Quantiles = [.. quantiles] };
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0,
            sorted.Length - 1)];

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSec();
}
