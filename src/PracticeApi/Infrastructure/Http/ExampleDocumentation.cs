using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PracticeApi.Infrastructure.Examples;

namespace PracticeApi.Infrastructure.Http;

internal static class ExampleDocumentation
{
    /// <summary>
    /// Request bodies, path and query values from the example each route names (<see cref="RequestExample"/>, kept in
    /// its feature's XExamples), and which of the demo's printed tokens sends them (x-demo-token): they name the demo
    /// practice's records, so "Try it out" in Swagger UI works as written on a freshly seeded demo database. A document
    /// transformer, so that the parameters every operation transformer declared (FHIR searches, bulk export) are there
    /// to take their example; an operation finds its route's example by its name (the operationId).
    /// </summary>
    public static Task AddExamplesAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context,
        CancellationToken ct)
    {
        var examples = context.ApplicationServices.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => (Name: e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName,
            Example: e.Metadata.GetMetadata<RequestExample>()))
            .Where(e => e.Name is not null && e.Example is not null)
            .ToDictionary(e => e.Name!, e => e.Example!, StringComparer.Ordinal);
        foreach (var (path, item) in document.Paths)
        {
            foreach (var operation in item.Operations?.Values.ToList() ?? [])
            {
                AddExample(path, operation, operation.OperationId is { } id ? examples.GetValueOrDefault(id) : null);
            }
        }

        return Task.CompletedTask;
    }

    private static void AddExample(string path, OpenApiOperation operation, RequestExample? example)
    {
        if (example?.Body is not null && operation.RequestBody?.Content is { } content)
        {
            foreach (var media in content.Values) media.Example = example.BodyJson();
        }

        var segments = path.Split('/');
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (example?.Values?.FirstOrDefault(v => string.Equals(v.Key, parameter.Name,
                StringComparison.OrdinalIgnoreCase)) is { Key: not null } value)
            {
                parameter.Example = System.Text.Json.Nodes.JsonValue.Create(value.Value);
                continue;
            }

            var at = Array.IndexOf(segments, "{" + parameter.Name + "}");
            if (parameter.In == ParameterLocation.Path && at > 0
                && Examples.DemoIds.ByResource.TryGetValue(segments[at - 1], out var id))
            {
                parameter.Example = System.Text.Json.Nodes.JsonValue.Create(id);
            }
        }

        if (operation.Security is { Count: 0 }) return;
        var caller = example?.Caller is { } chosen && chosen != ExampleCaller.Admin ? chosen
            : path.StartsWith("/api/v1/me/", StringComparison.Ordinal) ? ExampleCaller.Partner : ExampleCaller.Admin;
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-demo-token"] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(
            System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(caller.ToString())));
    }
}

/// <summary>Names the example of an operation.</summary>
public static class RequestExampleExtensions
{
    /// <summary>The example the OpenAPI document shows for this operation (endpoint metadata, read by
    /// ExampleDocumentation).</summary>
    public static TBuilder WithExample<TBuilder>(this TBuilder builder,
        RequestExample example) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(example);
}
