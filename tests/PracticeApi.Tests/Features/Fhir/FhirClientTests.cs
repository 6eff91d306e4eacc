using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PracticeApi.Features.Practices;
using PracticeApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PracticeApi.Tests.Features.Fhir;

/// <summary>The seeded demo practice served over a real loopback port (Kestrel), for clients that run outside the test
/// process.</summary>
public sealed class KestrelDemo : IAsyncLifetime
{
    public SqliteFileApi Api { get; } = new(Path.Combine(Path.GetTempPath(),
        $"practiceapi-kestrel-demo-{Guid.NewGuid():N}.db"));

    public DemoTokens Tokens { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Api.Clock.Set(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(11), TimeSpan.Zero));
        Api.UseKestrel(0);
        Api.StartServer();
        Address = new Uri(Api.Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var demo = await Api.Services.GetRequiredService<PracticeBootstrap>()
            .CreateAsync("Praktijk Samen Verder (demo)", "Anouk de Wit", "admin@demo.practice.example",
            CancellationToken.None);
        Tokens = await Api.Services.GetRequiredService<DemoPractice>().SeedAsync(demo, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        var file = Api.File;
        await Api.DisposeAsync();
        SqliteConnection.ClearAllPools();
        SharedDatabaseFile.DeleteWithCompanions(file);
    }
}

/// <summary>
/// An independent JavaScript FHIR client (fhir-kit-client, tests/fhir-client/walk.mjs) over the demo practice on a real
/// port: it finds the token endpoint by SMART discovery, follows every search's next links to the last page for every
/// type, and runs a bulk export from kick-off to the NDJSON files. Paged and exported ids equal one large page's.
/// </summary>
[Trait("Category", "OutsideTools")]
public sealed class FhirClientTests(KestrelDemo demo, ITestOutputHelper output) : IClassFixture<KestrelDemo>
{
    [SkippableFact]
    public async Task A_javascript_fhir_client_pages_every_search_to_the_end_and_exports_the_same_resources()
    {
        Skip.IfNot(await NodeTools.EnsureInstalledAsync("fhir-client", "fhir-kit-client"),
            "the FHIR client walk needs Node.js with npm on PATH (it installs tests/fhir-client itself).");
        var folder = RepoFiles.PathTo("tests", "fhir-client");
        var run = await NodeTools.RunAsync("node", ["walk.mjs", new Uri(demo.Address, "/fhir").ToString(),
            demo.Tokens.Admin], folder, TimeSpan.FromMinutes(3));
        Skip.If(run is null, "node is not on PATH.");
        var (exitCode, stdout, stderr) = run.Value;
        Assert.True(exitCode == 0, $"walk.mjs failed ({exitCode}): {stderr}\n{stdout}");
        var report = JsonNode.Parse(stdout)!;

        Assert.EndsWith("/oauth/token", report["tokenUrl"]!.GetValue<string>());
        var types = report["types"]!.AsObject();
        Assert.Superset(new HashSet<string> { "Patient", "Appointment", "Questionnaire", "QuestionnaireResponse",
            "Task", "CarePlan", "RelatedPerson", "Invoice", "Consent", "Observation" },
            types.Select(t => t.Key).ToHashSet());
        foreach (var (type, walked) in types)
        {
            var paged = Ids(walked!["paged"]);
            output.WriteLine($"{type}: {paged.Count} in {walked["pages"]} pages of 2");
            Assert.True(paged.Count > 0, $"{type}: the demo has none");
            Assert.Equal(Ids(walked["large"]), paged);
            Assert.True(walked["pages"]!.GetValue<int>() >= (paged.Count + 1) / 2,
                $"{type}: fewer pages than entries / 2");
        }

        var export = report["export"]!;
        Assert.Equal(202, export["kickOffStatus"]!.GetValue<int>());
        Assert.True(export["requiresAccessToken"]!.GetValue<bool>());
        var files = export["files"]!.AsObject();
        Assert.NotEmpty(files);
        foreach (var (type, ids) in files)
        {
            // The searches list the same resources the export wrote (Task and CarePlan through their patients).
            Assert.Equal(Ids(types[type]!["large"]), Ids(ids));
        }
    }

    private static List<string> Ids(JsonNode? array) => array!.AsArray().Select(i => i!.GetValue<string>())
        .Order(StringComparer.Ordinal).ToList();
}
