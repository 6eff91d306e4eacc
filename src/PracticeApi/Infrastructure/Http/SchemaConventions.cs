using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PracticeApi.Infrastructure.Http;

/// <summary>
/// What the OpenAPI document says beyond what the C# types say by themselves: a closed set (an enum) is one string enum
/// schema; a nullable field is not required (it may be left out); query parameters are in camelCase, as clients send
/// them.
/// </summary>
internal static class SchemaConventions
{
    public static IServiceCollection AddSchemaConventions(this IServiceCollection services)
    {
        services.Configure<OpenApiOptions>("v1", o =>
        {
            o.AddSchemaTransformer((schema, context, _) =>
            {
                // A query parameter bound by TryParse (OneOf<T>) is described as a string: its own type says which set.
                var type = context.ParameterDescription?.Type is { } declared && ClosedSets.SetOf(declared) is not null
                    ? declared
                    : context.JsonTypeInfo.Type;
                Describe(schema, type,
                    context.ParameterDescription is { } p
                        && p.Source != Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body);
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, _, _) =>
            {
                foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>()
                    .Where(p => p.In == ParameterLocation.Query) ?? [])
                {
                    parameter.Name = char.ToLowerInvariant(parameter.Name![0]) + parameter.Name[1..];
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    private static void Describe(OpenApiSchema schema, Type type, bool parameter)
    {
        // A closed set is one string enum schema (its names: ClosedSets); a property that may be null says so beside
        // it.
        if ((Nullable.GetUnderlyingType(type) ?? type).IsEnum && schema.Enum is { Count: > 0 })
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = schema.Enum.Where(v => v is not null).ToList();
        }

        // A query string's closed set (OneOf<T>) is its set's string enum, as the enum is in a body.
        if (ClosedSets.SetOf(type) is { } set)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = ClosedSets.Names(set)
                .Select(n => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(n)).ToList();
        }

        // A day is a string of format date, whichever converter reads it (WindowedDateConverter keeps it in the
        // window).
        if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(DateOnly))
        {
            // A query parameter left out is absent, not null; a body's nullable day may be null.
            schema.Type = parameter || Nullable.GetUnderlyingType(type) is null
                ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = "date";
        }

        if (schema.Properties is null) return;
        // A field that may be null may also be left out: only non-nullable fields are required.
        if (schema.Required is { Count: > 0 } required)
        {
            foreach (var name in required.ToList())
            {
                var property = type.GetProperty(name,
                    System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
                if (property is not null && new System.Reflection.NullabilityInfoContext().Create(property)
                    .WriteState == System.Reflection.NullabilityState.Nullable) required.Remove(name);
            }
        }
    }
}
