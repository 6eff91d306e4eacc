using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PracticeApi.Features.Practices;
using PracticeApi.Infrastructure.Examples;
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

    public SqliteFileApi Api { get; } = new(Path.Combine(Path.GetTempPath(),
        $"practiceapi-demo-{Guid.NewGuid():N}.db"));

    public DemoTokens Tokens { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Midday in Amsterdam today, so that today's check-in is open.
        Api.Clock.Set(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(11), TimeSpan.Zero));
        var demo = await Api.Services.GetRequiredService<PracticeBootstrap>()
            .CreateAsync("Praktijk Samen Verder (demo)", "Anouk de Wit", "admin@demo.practice.example",
            CancellationToken.None);
        Tokens = await Api.Services.GetRequiredService<DemoPractice>().SeedAsync(demo, CancellationToken.None);
        Copy(Api.File, _saved);
    }

    /// <summary>Puts the seeded demo back; a background pass of the host (the webhook dispatcher's claim) may hold the
    /// file a moment.</summary>
    public void Reset()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Copy(_saved, Api.File);
                return;
            }
            catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 && attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }

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
/// The OpenAPI document's examples work as written: every operation is sent with its example path, query and header
/// values and its example body to a freshly seeded demo practice, and succeeds. Ids that exist only once a request has
/// run (an export, a dated Task) are followed from that request's answer.
/// </summary>
public sealed class ApiExampleTests(DemoDatabase demo, ITestOutputHelper output) : IClassFixture<DemoDatabase>
{
    private static readonly JsonNode Spec = JsonNode.Parse(System.IO.File.ReadAllText(RepoFiles.PathTo("api-spec",
        "openapi.json")))!;

    /// <summary>Operations whose ids exist only after another request: sent by <see
    /// cref="Ids_made_by_a_request_lead_to_operations_that_succeed"/>.</summary>
    private static readonly HashSet<string> Followed =
        ["GET /fhir/Task/{id}", "GET /fhir/$export-status/{id}", "DELETE /fhir/$export-status/{id}",
            "GET /fhir/$export-file/{id}", "GET /calendar/{token}"];

    private static IEnumerable<(string Method, string Path, JsonObject Operation)> Operations() =>
        from path in Spec["paths"]!.AsObject()
        from op in path.Value!.AsObject()
        where op.Key is "get" or "post" or "put" or "patch" or "delete"
        select (op.Key.ToUpperInvariant(), path.Key, op.Value!.AsObject());

    private static IEnumerable<JsonObject> Parameters(JsonObject operation, string location) =>
        (operation["parameters"]?.AsArray().Select(p => p!.AsObject()) ?? [])
            .Where(p => p["in"]!.GetValue<string>() == location);

    private static string Url(string path, JsonObject operation)
    {
        foreach (var parameter in Parameters(operation, "path").Where(p => p["example"] is not null))
        {
            path = path.Replace("{" + parameter["name"]!.GetValue<string>() + "}",
                Uri.EscapeDataString(parameter["example"]!.GetValue<string>()));
        }

        var query = Parameters(operation, "query").Where(p => p["example"] is not null)
            .Select(p => $"{p["name"]!.GetValue<string>()}={Uri.EscapeDataString(p["example"]!.GetValue<string>())}").ToList();
        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }

    private HttpRequestMessage Request(string method, string path, JsonObject operation)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), Url(path, operation));
        foreach (var header in Parameters(operation, "header").Where(p => p["example"] is not null))
        {
            request.Headers.Add(header["name"]!.GetValue<string>(), header["example"]!.GetValue<string>());
        }

        if (operation["requestBody"]?["content"]?.AsObject().Single() is { } body)
        {
            Assert.True(body.Value!["example"] is not null, $"{method} {path} has no request example.");
            request.Content = new StringContent(body.Value["example"]!.ToJsonString(), Encoding.UTF8, body.Key);
        }

        // Public operations declare an empty security requirement; the others name the demo token that sends the
        // example.
        if (operation["security"] is JsonArray { Count: 0 }) return request;
        var token = operation["x-demo-token"]?.GetValue<string>() switch
        {
            "admin" => demo.Tokens.Admin,
            "therapist" => demo.Tokens.Therapist,
            "partner" => demo.Tokens.Partner,
            "recovery_partner" => demo.Tokens.RecoveryPartner,
            var other =>
                throw new InvalidOperationException($"{method} {path}: x-demo-token '{other}' names no demo token."),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    [Fact]
    public async Task Every_operation_succeeds_as_its_example_is_written_on_a_fresh_demo_practice()
    {
        var sent = 0;
        var failures = new List<string>();
        foreach (var (method, path, operation) in Operations())
        {
            var name = $"{method} {path}";
            if (Followed.Contains(name)) continue;
            if (name == "POST /oauth/token") continue; // a signed assertion that expires in minutes: shape only (SmartExamples says why)
            using var request = Request(method, path, operation);
            if (request.RequestUri!.OriginalString.Contains('{') && path != "/fhir/{rest}")
            {
                failures.Add($"{name}: no example for {request.RequestUri}");
                continue;
            }

            demo.Reset();
            using var response = await demo.Api.CreateClient().SendAsync(request);
            sent++;
            // The catch-all under /fhir exists to answer what is not supported: a 404 OperationOutcome is its success.
            var expected = path == "/fhir/{rest}" ? (int)response.StatusCode == 404 : response.IsSuccessStatusCode;
            if (!expected) failures.Add(
                $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        output.WriteLine($"{sent} operations sent");
        // Each example met the demo as seeded: the erasure request executed above is open again after a reset.
        demo.Reset();
        var erasure = await (await demo.Api.ClientWith(demo.Tokens.Admin)
            .GetAsync($"/api/v1/erasure-requests/{DemoIds.FemkeErasureRequest}")).ReadJsonAsync(200);
        Assert.Equal("requested", erasure.GetProperty("status").GetString());
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(Operations().Count() - Followed.Count - 1, sent);
    }

    [Fact]
    public async Task Ids_made_by_a_request_lead_to_operations_that_succeed()
    {
        demo.Reset();
        var admin = demo.Api.ClientWith(demo.Tokens.Admin);

        // A dated Task id, from the Task search's example.
        var search = Operations().Single(o => o is { Method: "GET", Path: "/fhir/Task" });
        using (var request = Request(search.Method, search.Path, search.Operation))
        {
            var tasks = JsonNode.Parse(await (await demo.Api.CreateClient().SendAsync(request))
                .Content.ReadAsStringAsync())!;
            Assert.True(tasks["entry"] is JsonArray { Count: > 0 }, tasks.ToJsonString());
            var id = tasks["entry"]![0]!["resource"]!["id"]!.GetValue<string>();
            Assert.Equal(200, (int)(await admin.GetAsync($"/fhir/Task/{id}")).StatusCode);
        }

        // A calendar feed's address, from the example that makes one.
        var feed = Operations().Single(o => o is { Method: "POST", Path: "/api/v1/therapists/{id}/calendar-feed" });
        using (var request = Request(feed.Method, feed.Path, feed.Operation))
        {
            var created = JsonNode.Parse(await (await demo.Api.CreateClient().SendAsync(request))
                .Content.ReadAsStringAsync())!;
            var address = new Uri(created["url"]!.GetValue<string>()).PathAndQuery;
            using var calendar = await demo.Api.CreateClient().GetAsync(address);
            Assert.Equal(200, (int)calendar.StatusCode);
            Assert.Contains("BEGIN:VEVENT", await calendar.Content.ReadAsStringAsync());
        }

        // An export: the Group kick-off's example, polled to its manifest, a file downloaded, then deleted.
        var kickOff = Operations().Single(o => o is { Method: "GET", Path: "/fhir/Group/{id}/$export" });
        using var start = Request(kickOff.Method, kickOff.Path, kickOff.Operation);
        using var accepted = await demo.Api.CreateClient().SendAsync(start);
        Assert.Equal(202, (int)accepted.StatusCode);
        var status = accepted.Content.Headers.ContentLocation ?? accepted.Headers.GetValues("Content-Location")
            .Select(v => new Uri(v)).Single();
        JsonNode? manifest = null;
        for (var attempt = 0; attempt < 100 && manifest is null; attempt++)
        {
            using var poll = await admin.GetAsync(status.PathAndQuery);
            if ((int)poll.StatusCode == 200) manifest = JsonNode.Parse(await poll.Content.ReadAsStringAsync());
            else await Task.Delay(100);
        }

        Assert.NotNull(manifest);
        var file = new Uri(manifest!["output"]![0]!["url"]!.GetValue<string>()).PathAndQuery;
        Assert.Equal(200, (int)(await admin.GetAsync(file)).StatusCode);
        Assert.Equal(202, (int)(await admin.DeleteAsync(status.PathAndQuery)).StatusCode);
    }
}
