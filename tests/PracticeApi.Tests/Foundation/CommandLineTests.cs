using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Tests.Foundation;

/// <summary>The CLI verbs, run as the real program in its own process.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("practiceapi-cli-").FullName;

    [Fact]
    public async Task Migrate_then_create_practice_prints_a_working_admin_token()
    {
        var migrate = await RunAsync("migrate");
        Assert.Equal(0, migrate.ExitCode);
        Assert.Contains("Applied", migrate.Output);
        Assert.Contains("up to date", (await RunAsync("migrate")).Output);

        var created = await RunAsync("create-practice", "--name", "Praktijk Samen", "--admin-name", "Eva Jansen",
            "--admin-email", "eva@samen.test");
        Assert.Equal(0, created.ExitCode);
        var json = JsonDocument.Parse(created.Output.Trim().Split('\n').Last()).RootElement;
        var token = json.GetProperty("token").GetString()!;
        Assert.StartsWith("pa_", token);

        // The token works against the API on the same database.
        await using var factory = new CliDatabaseApi(Path.Combine(_folder, "practice.db"));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var me = JsonDocument.Parse(await client.GetStringAsync("/api/v1/me")).RootElement;
        Assert.Equal(json.GetProperty("practiceId").GetGuid(), me.GetProperty("practiceId").GetGuid());
        Assert.Equal("admin", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Create_practice_without_its_options_explains_itself()
    {
        var result = await RunAsync("create-practice", "--name", "Only a name");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("usage: create-practice", result.Error);
    }

    [Fact]
    public async Task Create_practice_writes_only_its_json_to_stdout_and_its_logs_to_stderr()
    {
        var created = await RunWithAsync(new Dictionary<string,
            string> { ["Logging__LogLevel__Default"] = "Information" },
            "create-practice", "--name", "Praktijk Samen", "--admin-name", "Eva Jansen", "--admin-email", "eva@samen.test");
        Assert.Equal(0, created.ExitCode);
        var json = JsonDocument.Parse(created.Output).RootElement; // the whole of stdout: `| jq -r .token` works
        Assert.StartsWith("pa_", json.GetProperty("token").GetString());
        Assert.Contains("Applied migration", created.Error);
    }

    [Fact]
    public async Task Failed_authentications_with_unknown_tokens_are_limited_per_address_and_readable_by_an_operator()
    {
        Assert.Equal(0, (await RunAsync("migrate")).ExitCode);
        await using (var factory = new CliDatabaseApi(Path.Combine(_folder, "practice.db")))
        {
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                "pa_" + new string('z', 43));
            for (var i = 0; i < 25; i++) Assert.Equal(401, (int)(await client.GetAsync("/api/v1/me")).StatusCode);
        }

        var listed = await RunAsync("auth-failures", "--since", DateTime.UtcNow.AddHours(-1).ToString("O"));
        Assert.Equal(0, listed.ExitCode);
        var failures = JsonDocument.Parse(listed.Output).RootElement.EnumerateArray().ToList();
        // 25 attempts: the 1st and the 10th are written (a new minute may start a new count: at most 4 rows).
        Assert.InRange(failures.Count, 2, 4);
        Assert.All(failures, f => Assert.Contains("unknown token", f.GetProperty("detail").GetString()));
        Assert.Contains(failures, f => f.GetProperty("detail").GetString()!.Contains("failure 10"));
    }

    [Fact]
    public async Task Create_token_gives_a_lost_admin_a_new_working_token()
    {
        var created = JsonDocument.Parse((await RunAsync("create-practice", "--name", "Praktijk Samen", "--admin-name",
            "Eva Jansen", "--admin-email", "eva@samen.test")).Output).RootElement;

        var issued = await RunAsync("create-token", "--admin-email", "Eva@Samen.test");
        Assert.Equal(0, issued.ExitCode);
        var json = JsonDocument.Parse(issued.Output).RootElement;
        Assert.Equal(created.GetProperty("practiceId").GetGuid(), json.GetProperty("practiceId").GetGuid());
        Assert.NotEqual(created.GetProperty("token").GetString(), json.GetProperty("token").GetString());

        await using (var factory = new CliDatabaseApi(Path.Combine(_folder, "practice.db")))
        {
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                json.GetProperty("token").GetString());
            Assert.Equal("admin", JsonDocument.Parse(await client.GetStringAsync("/api/v1/me"))
                .RootElement.GetProperty("role").GetString());
        }

        var unknown = await RunAsync("create-token", "--admin-email", "nobody@samen.test");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("", unknown.Output.Trim());
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        RunWithAsync(null, args);

    private async Task<(int ExitCode, string Output, string Error)> RunWithAsync(IDictionary<string,
        string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Practice"] = $"Data Source={Path.Combine(_folder, "practice.db")}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private sealed class CliDatabaseApi(string file) : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Practice", $"Data Source={file}");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseEnvironment("Testing");
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
