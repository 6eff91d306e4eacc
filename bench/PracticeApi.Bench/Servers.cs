using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Dapper;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Bench;

/// <summary>The real API as its own process (Release, Production, logging at warning), so its memory is its
/// own.</summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ApiProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public int Pid => _process.Id;

    public static async Task<(ApiProcess Api, TimeSpan StartedIn)> StartAsync(string databaseFile,
        bool dispatcher = false)
    {
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "PracticeApi.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(databaseFile)! };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Practice"] = $"Data Source={databaseFile}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["RateLimiting__PermitLimit"] = "100000000";
        start.Environment["Webhooks__DispatcherEnabled"] = dispatcher ? "true" : "false";
        start.Environment["Webhooks__PollMilliseconds"] = "100";
        // The drain scenario's receiver listens on loopback over plain http.
        start.Environment["Webhooks__AllowPrivateTargets"] = "true";
        start.Environment["Webhooks__AllowHttp"] = "true";
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"  api: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await http.GetAsync($"{url}/health/ready")).IsSuccessStatusCode) return (new ApiProcess(process,
                    url), clock.Elapsed);
            }
            catch (HttpRequestException)
            {
            }

            if (process.HasExited) throw new InvalidOperationException($"The API exited with code {process.ExitCode}.");
            await Task.Delay(20);
        }

        throw new TimeoutException("The API did not become ready in 60 seconds.");
    }

    /// <summary>Peak resident memory (VmHWM) of the API process, in MB.</summary>
    public double PeakRssMb()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:",
            StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            CultureInfo.InvariantCulture) / 1024;
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

/// <summary>The baseline: the same client row read with one Dapper query, no auth, no caseload check, no
/// audit.</summary>
internal static class Baseline
{
    private sealed record ClientRow(Guid Id, string FirstName, string LastName, string? DateOfBirth, string? Email,
        string Status, long Version);

    public static async Task<(WebApplication App, string Url)> StartAsync(string databaseFile)
    {
        var port = ApiProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = true }.ToString();
        // Ids are 16-byte blobs: bound and read by the application's own Dapper handlers, as any Dapper code here must.
        PracticeApi.Infrastructure.Data.DapperTypeHandlers.Register();
        var app = builder.Build();
        app.MapGet("/baseline/clients/{id}", async (string id) =>
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            var row = await connection.QuerySingleOrDefaultAsync<ClientRow>(
                "SELECT Id, FirstName, LastName, DateOfBirth, Email, Status, Version FROM Clients WHERE Id = @Id", new { Id = Guid.Parse(id) });
            return row is null ? Results.NotFound() : Results.Ok(row);
        });
        await app.StartAsync();
        return (app, $"http://127.0.0.1:{port}");
    }
}

/// <summary>
/// A fast local webhook receiver for the drain scenario: answers 204 at once and remembers, in arrival order, the event
/// id (webhook-id) of every delivery.
/// </summary>
internal static class Receiver
{
    public static async Task<(WebApplication App, string Url, System.Collections.Concurrent.ConcurrentQueue<(string Id,
        long At)> Received)> StartAsync()
    {
        var port = ApiProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string, long)>();
        app.MapPost("/hook", (HttpRequest request) =>
        {
            received.Enqueue((request.Headers["webhook-id"].ToString(), Stopwatch.GetTimestamp()));
            return Results.NoContent();
        });
        await app.StartAsync();
        return (app, $"http://127.0.0.1:{port}/hook", received);
    }
}
