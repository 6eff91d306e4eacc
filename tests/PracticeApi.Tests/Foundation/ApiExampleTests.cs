using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PracticeApi.Features.Practices;
using PracticeApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PracticeApi.Tests.Foundation;

/// <summary>
/// One host on a seeded demo practice, and a saved copy of that database: <see cref="ResetAsync"/> puts the fresh demo
/// back (SQLite's online backup into the live file) so that each example meets the demo as seeded.
/// </summary>
public sealed class DemoDatabase : IAsyncLifetime
{
    private readonly string _saved = Path.Combine(Path.GetTempPath(), $"practiceapi-demo-saved-{Guid.NewGuid():N}.db");

    public SqliteFileApi Api { get; } = new(Path.Combine(Path.GetTempPath(), $"practiceapi-demo-{Guid.NewGuid():N}.db"));

    public DemoTokens Tokens { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Midday in Amsterdam today, so that today's check-in is open.
        Api.Clock.Set(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(11), TimeSpan.Zero));
        var demo = await Api.Services.GetRequiredService<PracticeBootstrap>()
            .CreateAsync("Praktijk Samen Verder (demo)", "Anouk de Wit", "admin@demo.practice.example", CancellationToken.None);
        Tokens = await Api.Services.GetRequiredService<DemoPractice>().SeedAsync(demo, CancellationToken.None);
        Copy(Api.File, _saved);
    }

    public void Reset() => Copy(_saved, Api.File);

    private static void Copy(string from, string to)
    {
        using var source = new SqliteConnection($"Data Source={from};Pooling=False");
        using var target = new SqliteConnection($"Data Source={to};Pooling=False");
        source.Open();
        target.Open();
        source.BackupDatabase(target);
    }

    public async Task DisposeAsync()
    {
        var file = Api.File;
        await Api.DisposeAsync();
        SqliteConnection.ClearAllPools();
        SharedDatabaseFile.DeleteWithCompanions(file);
        SharedDatabaseFile.DeleteWithCompanions(_saved);
    }
}

/// <summary>
/// The OpenAPI document's examples work as written: every request body's example, with its path and query values, is
/// sent as is to a freshly seeded demo practice and succeeds; every GET's example path ids name demo records.
/// </summary>
public sealed class ApiExampleTests(DemoDatabase demo, ITestOutputHelper output) : IClassFixture<DemoDatabase>
{
    private static readonly JsonNode Spec = JsonNode.Parse(System.IO.File.ReadAllText(RepoFiles.PathTo("api-spec", "openapi.json")))!;

    private static IEnumerable<(string Method, string Path, JsonObject Operation)> Operations() =>
        from path in Spec["paths"]!.AsObject()
        from op in path.Value!.AsObject()
        where op.Key is "get" or "post" or "put" or "delete"
        select (op.Key.ToUpperInvariant(), path.Key, op.Value!.AsObject());

    private static string Url(string path, JsonObject operation)
    {
        var query = new List<string>();
        foreach (var parameter in operation["parameters"]?.AsArray().Select(p => p!.AsObject()) ?? [])
        {
            if (parameter["example"] is not { } example) continue;
            var name = parameter["name"]!.GetValue<string>();
            var value = example.GetValue<string>();
            if (parameter["in"]!.GetValue<string>() == "path") path = path.Replace("{" + name + "}", Uri.EscapeDataString(value));
            else if (parameter["in"]!.GetValue<string>() == "query") query.Add($"{name}={Uri.EscapeDataString(value)}");
        }

        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }

    private string TokenFor(string path) => path.StartsWith("/api/v1/me/", StringComparison.Ordinal) ? demo.Tokens.Partner : demo.Tokens.Admin;

    [Fact]
    public async Task Every_request_body_example_succeeds_as_written_on_a_fresh_demo_practice()
    {
        var sent = 0;
        var failures = new List<string>();
        foreach (var (method, path, operation) in Operations().Where(o => o.Operation["requestBody"] is not null))
        {
            var (contentType, media) = operation["requestBody"]!["content"]!.AsObject().Single();
            Assert.True(media!["example"] is not null, $"{method} {path} has no request example.");
            if (path == "/oauth/token") continue; // a signed assertion that expires in minutes: shape only (ApiExamples says why)
            Assert.DoesNotContain("{", Url(path, operation));
            demo.Reset();
            using var request = new HttpRequestMessage(new HttpMethod(method), Url(path, operation))
            {
                Content = new StringContent(media["example"]!.ToJsonString(), Encoding.UTF8, contentType),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(path));
            using var response = await demo.Api.CreateClient().SendAsync(request);
            sent++;
            if (!response.IsSuccessStatusCode) failures.Add($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        output.WriteLine($"{sent} examples sent");
        // Each example met the demo as seeded: the erasure request executed above is open again after a reset.
        demo.Reset();
        var erasure = await (await demo.Api.ClientWith(demo.Tokens.Admin).GetAsync($"/api/v1/erasure-requests/{DemoIds.FemkeErasureRequest}")).ReadJsonAsync(200);
        Assert.Equal("requested", erasure.GetProperty("status").GetString());
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(sent >= 40, $"only {sent} examples were sent");
    }

    [Fact]
    public async Task Every_example_path_id_of_a_read_names_a_demo_record()
    {
        demo.Reset();
        var failures = new List<string>();
        var read = 0;
        foreach (var (method, path, operation) in Operations().Where(o => o.Method == "GET" && o.Path.Contains('{')))
        {
            var url = Url(path, operation);
            if (url.Contains('{')) continue; // tokens, webhooks, smart clients, FHIR Tasks (dated ids) and the FHIR catch-all
            using var response = await demo.Api.ClientWith(TokenFor(path)).GetAsync(url);
            read++;
            if ((int)response.StatusCode != 200) failures.Add($"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(read >= 29, $"only {read} reads had example ids");
    }
}
