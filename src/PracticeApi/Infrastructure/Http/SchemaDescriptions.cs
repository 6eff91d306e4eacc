using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PracticeApi.Infrastructure.Http;

/// <summary>
/// Completes the descriptions the XML doc comments give: a nullable object property carries its description beside the
/// <c>oneOf</c> a client reads first (the generator leaves it on the referenced branch), and the framework's problem
/// types describe their RFC 9457 members. A doc comment's line breaks are not the text's: every description reads as
/// one paragraph (the generator keeps a wrapped summary's newline and indentation).
/// </summary>
internal static partial class SchemaDescriptions
{
    private static readonly Dictionary<string, string> ProblemMembers = new()
    {
        ["type"] = "A URI that names the kind of problem; stable, and the key to act on (RFC 9457).",
        ["title"] = "A short summary of the kind of problem, in the language asked for.",
        ["status"] = "The HTTP status code, repeated for convenience.",
        ["detail"] = "What went wrong with this request, in words a person can act on.",
        ["instance"] = "The request path the problem belongs to.",
        ["errors"] = "For a validation problem: each field in error (camelCase, as sent) with its messages.",
    };

    public static Task CompleteAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context,
        CancellationToken ct)
    {
        foreach (var (name, schema) in document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (schema is not OpenApiSchema { Properties: { } properties }) continue;
            var problem = name is "ProblemDetails" or "HttpValidationProblemDetails";
            foreach (var (property, value) in properties)
            {
                if (value is not OpenApiSchema { Description: null } target) continue;
                if (problem && ProblemMembers.TryGetValue(property, out var member)) target.Description = member;
                else target.Description = target.OneOf?.Select(b => b.Description).FirstOrDefault(d => d is not null);
            }
        }

        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            Flatten(schema);
            foreach (var value in schema.Properties?.Values ?? [])
            {
                Flatten(value);
                foreach (var branch in value.OneOf ?? []) Flatten(branch);
            }
        }

        foreach (var operation in (document.Paths?.Values ?? Enumerable.Empty<IOpenApiPathItem>()).SelectMany(p =>
            p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            operation.Description = Flat(operation.Description);
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
                parameter.Description = Flat(parameter.Description);
        }

        return Task.CompletedTask;
    }

    private static void Flatten(IOpenApiSchema schema)
    {
        if (schema is OpenApiSchema inline) inline.Description = Flat(inline.Description);
        else if (schema is OpenApiSchemaReference reference) reference.Description = Flat(reference.Description);
    }

    // Only a newline followed by indentation, the doc comment's wrapping: a paragraph break or a list item stays.
    private static string? Flat(string? text) => text is null || !text.Contains("\n ", StringComparison.Ordinal)
        ? text : Wrapped().Replace(text, " ");

    [System.Text.RegularExpressions.GeneratedRegex("[ \\t]*\\n[ \\t]+")]
    private static partial System.Text.RegularExpressions.Regex Wrapped();
}
