using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PracticeApi.Infrastructure.Http;

internal static class ExampleDocumentation
{
    /// <summary>
    /// Request bodies, path and query values from <see cref="Features.ApiExamples"/>, and which of the demo's printed tokens
    /// sends them (x-demo-token): they name the demo practice's records, so "Try it out" in Swagger UI works as written on a
    /// freshly seeded demo database. A document transformer, so that the parameters every operation transformer declared
    /// (FHIR searches, bulk export) are there to take their example.
    /// </summary>
    public static Task AddExamplesAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                Features.ApiExamples.ByOperation.TryGetValue($"{method.Method.ToUpperInvariant()} {path}", out var example);
                AddExample(path, operation, example);
            }
        }

        return Task.CompletedTask;
    }

    private static void AddExample(string path, OpenApiOperation operation, Features.RequestExample? example)
    {
        if (example?.Body is not null && operation.RequestBody?.Content is { } content)
        {
            foreach (var media in content.Values) media.Example = Features.ApiExamples.ToJson(example.Body);
        }

        var segments = path.Split('/');
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (example?.Values?.FirstOrDefault(v => string.Equals(v.Key, parameter.Name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } value)
            {
                parameter.Example = System.Text.Json.Nodes.JsonValue.Create(value.Value);
                continue;
            }

            var at = Array.IndexOf(segments, "{" + parameter.Name + "}");
            if (parameter.In == ParameterLocation.Path && at > 0 && Features.ApiExamples.PathIdByResource.TryGetValue(segments[at - 1], out var id))
            {
                parameter.Example = System.Text.Json.Nodes.JsonValue.Create(id);
            }
        }

        if (operation.Security is { Count: 0 }) return;
        var caller = example?.Caller is { } chosen && chosen != Features.ExampleCaller.Admin ? chosen
            : path.StartsWith("/api/v1/me/", StringComparison.Ordinal) ? Features.ExampleCaller.Partner : Features.ExampleCaller.Admin;
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-demo-token"] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(
            System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(caller.ToString())));
    }
}
