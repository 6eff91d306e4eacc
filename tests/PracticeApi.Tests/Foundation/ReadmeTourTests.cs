using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PracticeApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PracticeApi.Tests.Foundation;

/// <summary>
/// The README's tour is true: its bash blocks (the curl tour, then the EHR integration in docs/INTEGRATING.md) run in
/// order, as written, against the real API started as its own process on loopback, with a local webhook receiver in
/// place of the EHR's. Any non-2xx answer (curl --fail-with-body), unset variable or failing jq fails the test.
/// </summary>
[Trait("Category", "OutsideTools")]
public sealed partial class ReadmeTourTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] TourSections = ["A short tour (curl)", "Integrating an EHR"];

    private readonly string _folder = Directory.CreateTempSubdirectory("practiceapi-tour-").FullName;

    [SkippableFact]
    public async Task Every_command_of_the_readme_tour_succeeds_against_a_live_instance()
    {
        Skip.IfNot(OnPath("bash") && OnPath("curl") && OnPath("jq"),
            "the README tour needs bash, curl and jq on PATH.");
        // The README's tour, then the EHR walk-through it links to (docs/INTEGRATING.md), as one script.
        var blocks = TourBlocks(await File.ReadAllTextAsync(RepoFiles.PathTo("README.md")) + "\n" +
            await File.ReadAllTextAsync(RepoFiles.PathTo("docs", "INTEGRATING.md")));
        Assert.True(blocks.Count >= 4, $"only {blocks.Count} tour blocks found");

        var database = Path.Combine(_folder, "practice.db");
        var created = await RunAppAsync(database, ["create-practice", "--name", "Tour", "--admin-name", "Eva Jansen",
            "--admin-email", "eva@tour.test"]);
        var token = JsonDocument.Parse(created).RootElement.GetProperty("token").GetString()!;

        using var receiver = new WebhookReceiver();
        var port = FreePort();
        using var api = StartApp(database, port);
        try
        {
            await WaitUntilReadyAsync(port);
            var script = Path.Combine(_folder, "tour.sh");
            await File.WriteAllTextAsync(script, "set -euo pipefail\n" +
                "curl() { command curl --fail-with-body --show-error --max-time 20 \"$@\"; }\n" +
                string.Join("\n", blocks) + "\necho TOUR-COMPLETE\n");
            var start = new ProcessStartInfo("bash",
                [script]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
            start.Environment["API"] = $"http://127.0.0.1:{port}";
            start.Environment["T"] = token;
            start.Environment["HOOK_URL"] = receiver.Url;
            using var tour = Process.Start(start)!;
            var stdout = tour.StandardOutput.ReadToEndAsync();
            var stderr = tour.StandardError.ReadToEndAsync();
            await tour.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
            var (text, errors) = (await stdout, await stderr);
            output.WriteLine(text);
            Assert.True(tour.ExitCode == 0 && text.Contains("TOUR-COMPLETE", StringComparison.Ordinal),
                $"the tour stopped (exit {tour.ExitCode}):\n{errors}\n--- last output ---\n{Tail(text)}");
            Assert.NotEmpty(receiver.Requests);
        }
        finally
        {
            if (!api.HasExited) api.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The bash blocks of the tour's sections, in order.</summary>
    public static List<string> TourBlocks(string readme)
    {
        var blocks = new List<string>();
        string? section = null;
        foreach (Match part in HeadingOrBlock().Matches(readme))
        {
            if (part.Groups["heading"].Success) section = part.Groups["heading"].Value.Trim();
            else if (section is not null && TourSections.Contains(section)) blocks.Add(part.Groups["code"].Value);
        }

        return blocks;
    }

    private static string Tail(string text) => text.Length <= 3000 ? text : text[^3000..];

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(d => File.Exists(Path.Combine(d, tool)));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private ProcessStartInfo AppStart(string database, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(
            "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Practice"] = $"Data Source={database}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Webhooks__AllowPrivateTargets"] = "true";
        start.Environment["Webhooks__AllowHttp"] = "true";
        start.Environment["Webhooks__PollMilliseconds"] = "200";
        return start;
    }

    private async Task<string> RunAppAsync(string database, string[] args)
    {
        using var process = Process.Start(AppStart(database, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.True(process.ExitCode == 0, await stderr);
        return await stdout;
    }

    private Process StartApp(string database, int port)
    {
        var process = Process.Start(AppStart(database, ["--urls", $"http://127.0.0.1:{port}"]))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilReadyAsync(int port)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 150; i++)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the API did not become ready");
    }

    [GeneratedRegex(@"^##\s+(?<heading>[^#\n][^\n]*)$|^```bash\n(?<code>.*?)^```",
        RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex HeadingOrBlock();

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
