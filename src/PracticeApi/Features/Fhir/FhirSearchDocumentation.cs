using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace PracticeApi.Features.Fhir;

/// <summary>
/// The query parameters of every FHIR search in the OpenAPI document (a handler reads them from the query itself, so
/// the generator cannot see them): a generated client can then pass patient, identifier, _count and the rest.
/// </summary>
internal static class FhirSearchDocumentation
{
    private static readonly Dictionary<string, (string Description, JsonSchemaType Type)> Known = new()
    {
        ["patient"] = ("The patient: Patient/{id}, {id} or an absolute reference on this server; a comma is OR.",
            JsonSchemaType.String),
        ["identifier"] = ("Identifier tokens: system|value, value (any system), system| (any value) or |value (no system); a comma is OR.", JsonSchemaType.String),
        ["_id"] = ("Resource ids, comma-separated.", JsonSchemaType.String),
        ["_lastUpdated"] = ("A date (yyyy-MM-dd) or instant, with an optional prefix ge, gt, le, lt or eq; repeat the parameter for a range.", JsonSchemaType.String),
        ["url"] = ("A Questionnaire's canonical URL, optionally with |version.", JsonSchemaType.String),
        ["_count"] = ("Page size: 1 to 200 (default 50).", JsonSchemaType.Integer),
    };

    /// <summary>Adds the search parameters of <paramref name="type"/> and the paging and format ones every search
    /// takes.</summary>
    public static void Describe(OpenApiOperation operation, string type, IReadOnlyCollection<string> parameters,
        bool patientRequired)
    {
        operation.Parameters ??= [];
        foreach (var name in parameters)
        {
            var (description, schemaType) = Known[name];
            var schema = schemaType == JsonSchemaType.Integer
                ? new OpenApiSchema { Type = schemaType, Format = "int32", Minimum = "1", Maximum = "200" }
                : new OpenApiSchema { Type = schemaType };
            operation.Parameters.Add(Query(name, description, schema, name == "patient" && patientRequired));
        }

        operation.Parameters.Add(Query("_cursor",
            "The next page: the cursor of the Bundle's next link (follow that link as it is).", new OpenApiSchema { Type = JsonSchemaType.String }));
        operation.Parameters.Add(Query("_total", "accurate counts every match into Bundle.total.", new OpenApiSchema
        {
            Type = JsonSchemaType.String, Enum = [JsonValue.Create("none")!, JsonValue.Create("estimate")!,
                JsonValue.Create("accurate")!],
        }));
        operation.Parameters.Add(Query("_format", "json only (application/fhir+json); anything else is a 406.",
            new OpenApiSchema { Type = JsonSchemaType.String }));
    }

    private static OpenApiParameter Query(string name, string description, OpenApiSchema schema,
        bool required = false) =>
        new() { Name = name, In = ParameterLocation.Query, Description = description, Required = required, Schema = schema };
}
