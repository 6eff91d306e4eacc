using System.Text.Json.Nodes;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Hardening;

/// <summary>
/// Required means required, swept over the whole API: for every operation whose body the OpenAPI document describes,
/// a body with every required member (nested ones too) is built from its schema, each required member is removed in
/// turn, and the answer must be a 400 validation problem naming it, with nothing changed (no event in the practice's
/// feed). A new request type is swept without touching this test.
/// </summary>
public sealed class RequiredFieldTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private static readonly JsonNode Spec = OpenApiDocument.Spec;
    private static readonly JsonObject Schemas = OpenApiDocument.Schemas;

    [Fact]
    public async Task Omitting_any_required_member_of_any_request_body_is_a_400_naming_it_and_changes_nothing()
    {
        var c = await api.NewCoupleCaseAsync();
        var integration = await c.Practice.IntegrationAsync("clients:read", "clients:write", "sessions:read",
            "sessions:write", "assignments:read", "webhooks:manage", "events:read", "fhir:read");
        var callers = new[] { c.Practice.Admin, c.PortalA, integration };
        var before = await FeedAsync(c.Practice);
        var swept = 0;
        foreach (var (path, method, schemaName) in Operations())
        {
            var body = (JsonObject)OpenApiDocument.Sample(Schemas[schemaName]!)!;
            foreach (var (location, name) in MemberPaths(body, Schemas[schemaName]!, "", requiredOnly: true))
            {
                var without = body.DeepClone().AsObject();
                OpenApiDocument.Parent(without, location).Remove(name);
                var answer = await OpenApiDocument.SendAsync(callers, method, path, without);
                var problem = await answer.AssertProblemAsync(400, "validation");
                var keys = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
                Assert.True(keys.Any(k => k.Equals(location.Length == 0 ? name : $"{location}.{name}",
                    StringComparison.OrdinalIgnoreCase)),
                    $"{method} {path} without {location}.{name}: errors name {string.Join(", ", keys)}");
                swept++;
            }
        }

        Assert.True(swept > 80, $"only {swept} required members swept");
        Assert.Equal(before, await FeedAsync(c.Practice));
    }

    /// <summary>
    /// Null where a member may be null or must not be, in every request body: never a 5xx (a rule that reads what an
    /// earlier rule refused), always a problem, and nothing changed. The body is otherwise the schema's sample.
    /// </summary>
    [Fact]
    public async Task Null_for_any_member_of_any_request_body_is_answered_without_a_5xx_and_changes_nothing()
    {
        var c = await api.NewCoupleCaseAsync();
        var callers = new[] { c.Practice.Admin, c.PortalA };
        var before = await FeedAsync(c.Practice);
        var swept = 0;
        foreach (var (path, method, schemaName) in Operations())
        {
            var body = (JsonObject)OpenApiDocument.Sample(Schemas[schemaName]!)!;
            foreach (var (location, name) in MemberPaths(body, Schemas[schemaName]!, "", requiredOnly: false))
            {
                var nulled = body.DeepClone().AsObject();
                OpenApiDocument.Parent(nulled, location)[name] = null;
                var answer = await OpenApiDocument.SendAsync(callers, method, path, nulled);
                Assert.True((int)answer.StatusCode < 500,
                    $"{method} {path} with {location}.{name} null: {(int)answer.StatusCode}");
                if (!answer.IsSuccessStatusCode) await answer.AssertProblemAsync((int)answer.StatusCode);
                swept++;
            }
        }

        Assert.True(swept > 200, $"only {swept} members swept");
        Assert.Equal(before, await FeedAsync(c.Practice));
    }

    private static async Task<int> FeedAsync(PracticeContext practice) =>
        (await (await practice.Admin.GetAsync("/api/v1/events?limit=200")).ReadJsonAsync(200)).GetProperty("items")
            .GetArrayLength();

    private static IEnumerable<(string Path, string Method, string Schema)> Operations() =>
        from path in Spec["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        let content = operation.Value?["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>()
        where content is not null
        select (path.Key, operation.Key, content.Split('/')[^1]);

    /// <summary>Where each (required) member is, as (path of its parent object, name), nested objects and first array
    /// items included.</summary>
    private static IEnumerable<(string Location, string Name)> MemberPaths(JsonObject body, JsonNode schema,
        string location, bool requiredOnly)
    {
        schema = OpenApiDocument.Resolve(schema);
        var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
        foreach (var (name, value) in body)
        {
            if (!requiredOnly || required.Contains(name)) yield return (location, name);
            var propertySchema = OpenApiDocument.Resolve(schema["properties"]![name]!);
            var here = location.Length == 0 ? name : $"{location}.{name}";
            if (value is JsonObject nested && propertySchema["properties"] is not null)
            {
                foreach (var inner in MemberPaths(nested, propertySchema, here, requiredOnly)) yield return inner;
            }
            else if (value is JsonArray { Count: > 0 } array && array[0] is JsonObject item
                && propertySchema["items"] is { } items && OpenApiDocument.Resolve(items)["properties"] is not null)
            {
                foreach (var inner in MemberPaths(item, items, $"{here}[0]", requiredOnly)) yield return inner;
            }
        }
    }
}
