using System.Text.Json.Nodes;

namespace PracticeApi.Tests.Infrastructure;

/// <summary>The committed OpenAPI document, and request bodies built from its schemas, for tests that sweep every
/// operation.</summary>
public static class OpenApiDocument
{
    public static readonly JsonNode Spec = JsonNode.Parse(File.ReadAllText(RepoFiles.PathTo("api-spec",
        "openapi.json")))!;
    public static readonly JsonObject Schemas = Spec["components"]!["schemas"]!.AsObject();

    /// <summary>Every operation as (path, method, request body schema name or null).</summary>
    public static IEnumerable<(string Path, string Method, string? BodySchema)> Operations() =>
        from path in Spec["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        where operation.Key is "get" or "post" or "put" or "patch" or "delete"
        let content = operation.Value?["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>()
        select (path.Key, operation.Key, content?.Split('/')[^1]);

    /// <summary>A value of the schema's type with every required member (optional ones left out).</summary>
    public static JsonNode? Sample(JsonNode schema, int depth = 0)
    {
        schema = Resolve(schema);
        if (depth > 6) return null;
        if (schema["enum"] is JsonArray values) return values.First(v => v is not null)!.DeepClone();
        var format = schema["format"]?.GetValue<string>();
        var type = Type(schema);
        switch (format)
        {
            case "uuid": return Guid.NewGuid().ToString();
            case "date": return "2026-03-02";
            case "date-time": return "2026-03-02T10:00:00Z";
            case "time": return "09:00:00";
        }

        switch (type)
        {
            case "string": return "x";
            case "integer": return 1;
            case "number": return 1.5;
            case "boolean": return true;
            case "array": return new JsonArray(schema["items"] is { } items && Sample(items,
                depth + 1) is { } item ? [item] : []);
        }

        var result = new JsonObject();
        var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToList() ?? [];
        foreach (var name in required)
        {
            if (schema["properties"]?[name] is { } property) result[name] = Sample(property, depth + 1);
        }

        return result;
    }

    private static string? Type(JsonNode schema) => schema["type"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
        _ => null,
    };

    public static JsonNode Resolve(JsonNode schema)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference) return Resolve(Schemas[reference.Split('/')[^1]]!);
        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray choices)
        {
            return Resolve(choices.First(c => c!["type"]?.ToString() != "null")!);
        }

        return schema;
    }

    /// <summary>The object at a location such as <c>items[0].start</c> (a list's first item by <c>[0]</c>).</summary>
    public static JsonObject Parent(JsonObject body, string location)
    {
        JsonNode node = body;
        foreach (var part in location.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = part.EndsWith("[0]", StringComparison.Ordinal) ? node[part[..^3]]![0]! : node[part]!;
        }

        return node.AsObject();
    }

    /// <summary>Sends a body to the path (random ids), in English, as the first caller not refused with 401 or
    /// 403.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient[] callers, string method, string path,
        JsonObject body)
    {
        var url = System.Text.RegularExpressions.Regex.Replace(path, "\\{[^}]+\\}", Guid.NewGuid().ToString());
        HttpResponseMessage? answer = null;
        foreach (var caller in callers)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url)
            {
                Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
                Headers = { AcceptLanguage = { new("en") } },
            };
            answer = await caller.SendAsync(request);
            if ((int)answer.StatusCode is not (401 or 403)) break;
        }

        return answer!;
    }

    /// <summary>
    /// Where each member of a body whose schema is wanted is, as (path of its parent object, name, whether a list of
    /// them, the member's or its items' schema): nested objects and a list's first item are walked when the body holds
    /// them.
    /// </summary>
    public static IEnumerable<(string Location, string Name, bool List, JsonNode Schema)> Leaves(JsonObject body,
        JsonNode schema, string location, Func<JsonNode, bool> wanted)
    {
        schema = Resolve(schema);
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            var resolved = Resolve(property!);
            var here = location.Length == 0 ? name : $"{location}.{name}";
            if (wanted(resolved)) yield return (location, name, false, resolved);
            else if (resolved["items"] is { } items && wanted(Resolve(items))) yield return (location, name, true,
                Resolve(items));
            else if (body[name] is JsonObject nested)
            {
                foreach (var inner in Leaves(nested, resolved, here, wanted)) yield return inner;
            }
            else if (body[name] is JsonArray { Count: > 0 } array && array[0] is JsonObject item
                && resolved["items"] is { } itemSchema)
            {
                foreach (var inner in Leaves(item, itemSchema, $"{here}[0]", wanted)) yield return inner;
            }
        }
    }

    /// <summary>
    /// Every member of every request body whose schema is wanted, with the body (the schema's sample) it sits in: for
    /// sweeps that send one member changed at a time.
    /// </summary>
    public static IEnumerable<BodyMember> BodyMembers(Func<JsonNode, bool> wanted) =>
        from operation in Operations().Where(o => o.BodySchema is not null)
        let schema = Schemas[operation.BodySchema!]!
        let body = (JsonObject)Sample(schema)!
        from leaf in Leaves(body, schema, "", wanted)
        select new BodyMember(operation.Method, operation.Path, body, leaf.Location, leaf.Name, leaf.List, leaf.Schema);
}

/// <summary>A member of a request body (a list of them when <paramref name="List"/>), and the body it sits
/// in.</summary>
public sealed record BodyMember(string Method, string Path, JsonObject Body, string Location, string Name, bool List,
    JsonNode Schema)
{
    /// <summary>How a problem names it: <c>items[0].cadence</c>, <c>scopes[0]</c>.</summary>
    public string Field => (Location.Length == 0 ? Name : $"{Location}.{Name}") + (List ? "[0]" : "");

    /// <summary>A copy of the body with this member (or its list's one item) set to the value.</summary>
    public JsonObject With(string value)
    {
        var copy = Body.DeepClone().AsObject();
        OpenApiDocument.Parent(copy, Location)[Name] = List ? new JsonArray(value) : value;
        return copy;
    }
}
