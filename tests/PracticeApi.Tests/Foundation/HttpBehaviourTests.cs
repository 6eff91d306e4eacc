using Microsoft.Extensions.DependencyInjection;
using PracticeApi.Infrastructure.Data;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Foundation;

public abstract class HttpBehaviourSuite(ApiFactory api)
{
    [SkippableFact]
    public async Task Malformed_json_is_a_400_problem_and_creates_nothing()
    {
        var practice = await api.NewPracticeAsync();
        var response = await practice.Admin.PostAsync("/api/v1/therapists",
            new StringContent("{\"name\": \"Ann\", \"email\": ", Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(400, "malformed-json");
        await AssertTherapistCountAsync(practice, 1);
    }

    [SkippableFact]
    public async Task Wrong_json_type_is_a_400_problem_naming_the_field()
    {
        var practice = await api.NewPracticeAsync();
        var response = await practice.Admin.PostAsync("/api/v1/therapists",
            new StringContent("{\"name\": 42, \"email\": \"a@b.test\", \"role\": \"therapist\"}", Encoding.UTF8,
                "application/json"));
        var problem = await response.AssertProblemAsync(400, "malformed-json");
        Assert.Contains("$.name", problem.ErrorFields());
    }

    [SkippableFact]
    public async Task Oversized_body_is_413()
    {
        var practice = await api.NewPracticeAsync();
        var huge = JsonSerializerText(new string('x', 1_100_000));
        var response = await practice.Admin.PostAsync("/api/v1/therapists", new StringContent(huge, Encoding.UTF8,
            "application/json"));
        await response.AssertProblemAsync(413, "payload-too-large");
        await AssertTherapistCountAsync(practice, 1);
    }

    [SkippableFact]
    public async Task Non_json_body_is_415()
    {
        var practice = await api.NewPracticeAsync();
        var response = await practice.Admin.PostAsync("/api/v1/therapists", new StringContent("name=Ann",
            Encoding.UTF8, "application/x-www-form-urlencoded"));
        await response.AssertProblemAsync(415, "unsupported-media-type");
        await AssertTherapistCountAsync(practice, 1);
    }

    [SkippableFact]
    public async Task Unknown_route_is_404_and_wrong_method_is_405()
    {
        var practice = await api.NewPracticeAsync();
        await (await practice.Admin.GetAsync("/api/v1/no-such-thing")).AssertProblemAsync(404, "not-found");
        await (await practice.Admin.DeleteAsync("/api/v1/me")).AssertProblemAsync(405, "method-not-allowed");
        await (await practice.Admin.PutAsJsonAsync("/api/v1/audit-events", new { })).AssertProblemAsync(405);
        await (await practice.Admin.DeleteAsync("/api/v1/audit-events")).AssertProblemAsync(405);
    }

    [SkippableFact]
    public async Task Bad_paging_parameters_are_400()
    {
        var practice = await api.NewPracticeAsync();
        var tooMany = await (await practice.Admin.GetAsync("/api/v1/therapists?limit=201")).AssertProblemAsync(400,
            "validation");
        Assert.Contains("limit", tooMany.ErrorFields());
        var badCursor = await (await practice.Admin.GetAsync("/api/v1/therapists?cursor=garbage!"))
            .AssertProblemAsync(400, "validation");
        Assert.Contains("cursor", badCursor.ErrorFields());
        var notANumber = await (await practice.Admin.GetAsync("/api/v1/therapists?limit=abc")).AssertProblemAsync(400,
            "validation");
        Assert.Equal(["limit"], notANumber.ErrorFields());
        var notAnId = await (await practice.Admin.GetAsync("/api/v1/clients?therapistId=someone&limit=x&status=active"))
            .AssertProblemAsync(400, "validation");
        Assert.Equal(["limit", "therapistId"], notAnId.ErrorFields().Order());
        Assert.Contains("UUID", notAnId.GetProperty("errors").GetProperty("therapistId")[0].GetString());
        var notADate = await (await practice.Admin.GetAsync("/api/v1/audit-events?from=yesterday"))
            .AssertProblemAsync(400, "validation");
        Assert.Equal(["from"], notADate.ErrorFields());
    }

    [SkippableFact]
    public async Task Health_endpoints_need_no_token()
    {
        api.EnsureAvailable();
        var client = api.ClientWith(null);
        Assert.Equal("live", (await (await client.GetAsync("/health/live")).ReadJsonAsync(200)).GetProperty("status")
            .GetString());
        var ready = await (await client.GetAsync("/health/ready")).ReadJsonAsync(200);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        // SQL Server with READ_COMMITTED_SNAPSHOT off is ready but says how to turn it on; SQLite has nothing to warn
        // of.
        var expected = await api.Services.GetRequiredService<ReadCommittedSnapshot>()
            .WarningAsync(CancellationToken.None);
        if (api.Services.GetRequiredService<Db>().Provider == DatabaseProvider.Sqlite) Assert.Null(expected);
        Assert.Equal(expected is null ? [] : [expected], ready.GetProperty("warnings").EnumerateArray()
            .Select(w => w.GetString()));
    }

    private static string JsonSerializerText(string name) =>
        new JsonObject { ["name"] = name, ["email"] = "x@y.test", ["role"] = "therapist" }.ToJsonString();

    private static async Task AssertTherapistCountAsync(PracticeContext practice, int expected)
    {
        var list = await (await practice.Admin.GetAsync("/api/v1/therapists")).ReadJsonAsync(200);
        Assert.Equal(expected, list.GetProperty("items").GetArrayLength());
    }
}

public sealed class HttpBehaviourOnSqlite(SqliteApi api) : HttpBehaviourSuite(api), IClassFixture<SqliteApi>;

public sealed class HttpBehaviourOnSqlServer(SqlServerApi api) : HttpBehaviourSuite(api), IClassFixture<SqlServerApi>;

public sealed class RateLimitedApi : SqliteApi
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimiting:PermitLimit"] = "3",
        ["RateLimiting:WindowSeconds"] = "60",
    };
}

public sealed class RateLimitTests(RateLimitedApi api) : IClassFixture<RateLimitedApi>
{
    [Fact]
    public async Task A_token_over_its_limit_gets_429_with_retry_after_and_other_tokens_do_not()
    {
        var practice = await api.NewPracticeAsync();
        for (var i = 0; i < 3; i++) await (await practice.Admin.GetAsync("/api/v1/me")).ReadJsonAsync(200);

        var limited = await practice.Admin.GetAsync("/api/v1/me");
        await limited.AssertProblemAsync(429, "rate-limited");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After must say how long to wait.");

        var other = await api.NewPracticeAsync();
        await (await other.Admin.GetAsync("/api/v1/me")).ReadJsonAsync(200);
    }
}

public sealed class ApiDocumentTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task Committed_openapi_document_matches_the_code()
    {
        var served = JsonNode.Parse(await api.ClientWith(null).GetStringAsync("/openapi/v1.json"))!.AsObject();
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(RepoFiles.PathTo("api-spec",
            "openapi.json")))!.AsObject();
        served.Remove("servers");
        committed.Remove("servers");
        Assert.True(JsonNode.DeepEquals(served, committed),
            "api-spec/openapi.json is out of date: run `dotnet build` and commit the regenerated document.");
    }

    [Fact]
    public async Task The_document_names_closed_sets_as_enums_query_parameters_in_camel_case_and_integers_as_integers()
    {
        var document = JsonNode.Parse(await api.ClientWith(null).GetStringAsync("/openapi/v1.json"))!;
        var schemas = document["components"]!["schemas"]!;
        // A closed set is an enum schema of its own, referred to by the property (beside null where it may be left
        // out).
        JsonNode Resolve(JsonNode node) =>
            node["$ref"] is { } reference ? schemas[reference.GetValue<string>().Split('/')[^1]]!
            : node["oneOf"] is JsonArray choices ? Resolve(choices.First(c => c!["$ref"] is not null)!) : node;
        string[] Enum(string schema, string property) =>
            Resolve(schemas[schema]!["properties"]![property]!)["enum"]!.AsArray().Where(v => v is not null)
                .Select(v => v!.GetValue<string>()).ToArray();
        Assert.Contains("physical_affair", Enum("CreateCoupleRequest", "breachType"));
        Assert.Equal(["in_person", "video", "phone"], Enum("CreateSessionRequest", "modality"));
        Assert.Contains("mutual_reveal", Enum("CreateAssignmentRequest", "visibility"));
        Assert.Contains("fhir:read",
            Resolve(Resolve(schemas["CreateTokenRequest"]!["properties"]!["scopes"]!)["items"]!)["enum"]!.AsArray()
            .Select(v => v!.GetValue<string>()));
        Assert.Equal(["nl", "en"], Enum("CreateClientRequest", "preferredLanguage"));
        Assert.Equal(["templateId"], schemas["CreateAssignmentRequest"]!["required"]!.AsArray()
            .Select(v => v!.GetValue<string>()));

        var raw = document.ToJsonString();
        Assert.DoesNotContain("\"integer\",\"string\"", raw);
        // A description reads as the sentence it is: a doc comment's wrapping (a newline, then indentation) is gone.
        Assert.DoesNotMatch(@"\\n[ \t]+", raw);
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var parameter in item!.AsObject().SelectMany(o => o.Value!["parameters"]?.AsArray() ?? [])
                .Where(p => p!["in"]!.GetValue<string>() == "query"))
            {
                var name = parameter!["name"]!.GetValue<string>();
                Assert.True(char.IsLower(name[0]) || name[0] == '_',
                    $"{path}: query parameter {name} is not camelCase");
            }
        }
    }

    [Fact]
    public async Task Every_operation_has_a_summary_an_id_and_problem_responses()
    {
        var document = JsonNode.Parse(await api.ClientWith(null).GetStringAsync("/openapi/v1.json"))!;
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>());
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                Assert.False(string.IsNullOrEmpty(operation!["summary"]?.GetValue<string>()),
                    $"{method} {path} has no summary");
                Assert.NotNull(operation["operationId"]);
                Assert.NotNull(operation["responses"]!["500"]);
                // Public by design: health, FHIR's CapabilityStatement, SMART discovery, the OAuth token endpoint, and
                // the calendar feed, whose secret address is its credential (a calendar app sends no headers).
                if (!path.StartsWith("/health",
                    StringComparison.Ordinal) && path is not ("/fhir/metadata" or "/.well-known/smart-configuration"
                        or "/fhir/.well-known/smart-configuration" or "/oauth/token" or "/calendar/{token}"))
                {
                    Assert.NotNull(operation["security"]);
                    Assert.NotNull(operation["responses"]!["401"]);
                }
            }
        }
    }

    [Fact]
    public async Task Every_schema_property_response_and_operation_has_a_description()
    {
        var document = JsonNode.Parse(await api.ClientWith(null).GetStringAsync("/openapi/v1.json"))!;
        var undocumented = new List<string>();
        var properties = 0;
        foreach (var (name, schema) in document["components"]!["schemas"]!.AsObject())
        {
            foreach (var (property, value) in schema!["properties"]?.AsObject() ?? [])
            {
                properties++;
                if (string.IsNullOrWhiteSpace(value?["description"]?.GetValue<string>())) undocumented.Add(
                    $"schema {name}.{property}");
            }
        }

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (string.IsNullOrWhiteSpace(operation!["description"]?.GetValue<string>())) undocumented.Add(
                    $"operation {method} {path}");
                foreach (var (status, response) in operation["responses"]!.AsObject())
                {
                    if (string.IsNullOrWhiteSpace(response!["description"]?.GetValue<string>())) undocumented.Add(
                        $"response {status} of {method} {path}");
                }
            }
        }

        Assert.True(undocumented.Count == 0, "Undocumented (add an XML doc comment, a <param> on the record):\n"
            + string.Join("\n", undocumented));
        Assert.True(properties > 700, $"only {properties} schema properties were checked");
        // The description says who may call, read from the endpoint's policies.
        Assert.StartsWith("Who may call: an admin's user token.",
            document["paths"]!["/api/v1/therapists"]!["post"]!["description"]!.GetValue<string>());
        Assert.Contains("Keyset-paginated",
            document["paths"]!["/api/v1/clients"]!["get"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_document_declares_every_webhook_it_sends_and_the_smart_oauth2_scheme_on_fhir()
    {
        var document = JsonNode.Parse(await api.ClientWith(null).GetStringAsync("/openapi/v1.json"))!;
        var webhooks = document["webhooks"]!.AsObject();
        Assert.Equal(PracticeApi.Features.Integration.EventTypes.All.Order(), webhooks.Select(w => w.Key).Order());
        foreach (var (type, item) in webhooks)
        {
            var post = item!["post"]!;
            Assert.Equal(["webhook-id", "webhook-timestamp", "webhook-signature"], post["parameters"]!.AsArray()
                .Select(p => p!["name"]!.GetValue<string>()));
            var schema = post["requestBody"]!["content"]!["application/json"]!["schema"]!;
            Assert.Equal(["data", "sequence", "timestamp", "type"], schema["required"]!.AsArray()
                .Select(r => r!.GetValue<string>()).Order());
            Assert.Equal(type, schema["properties"]!["type"]!["enum"]![0]!.GetValue<string>());
        }

        // Every FHIR search declares the parameters the CapabilityStatement lists, and paging.
        var metadata = JsonNode.Parse(await api.ClientWith(null).GetStringAsync("/fhir/metadata"))!;
        foreach (var resource in metadata["rest"]![0]!["resource"]!.AsArray())
        {
            var type = resource!["type"]!.GetValue<string>();
            var declared = document["paths"]![$"/fhir/{type}"]!["get"]!["parameters"]!.AsArray()
                .Select(p => p!["name"]!.GetValue<string>()).ToList();
            foreach (var name in (resource["searchParam"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()) ?? [])
                .Append("_count").Append("_cursor"))
            {
                Assert.Contains(name, declared);
            }
        }

        var smart = document["components"]!["securitySchemes"]![PracticeApi.Infrastructure.Http.ApiDocumentation.SmartScheme]!;
        Assert.Equal("oauth2", smart["type"]!.GetValue<string>());
        Assert.Equal("/oauth/token", smart["flows"]!["clientCredentials"]!["tokenUrl"]!.GetValue<string>());
        var fhirSecurity = document["paths"]!["/fhir/Patient"]!["get"]!["security"]!.AsArray();
        Assert.Contains(fhirSecurity, r => r!.AsObject()
            .ContainsKey(PracticeApi.Infrastructure.Http.ApiDocumentation.SmartScheme));
    }

    [Fact]
    public async Task Swagger_ui_is_served()
    {
        var response = await api.ClientWith(null).GetAsync("/swagger/index.html");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("swagger-ui", html);
        var config = await api.ClientWith(null).GetStringAsync("/swagger/index.js");
        Assert.Contains("/openapi/v1.json", config);
        // The bare prefix leads to the page; Swagger UI serves nothing outside its prefix.
        var root = await api.ClientWith(null).GetAsync("/swagger");
        Assert.Equal(301, (int)root.StatusCode);
        Assert.EndsWith("swagger/index.html", root.Headers.Location!.OriginalString);
        Assert.Equal(404, (int)(await api.ClientWith(null).GetAsync("/index.html")).StatusCode);
    }
}
