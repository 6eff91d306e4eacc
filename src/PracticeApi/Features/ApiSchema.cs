using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PracticeApi.Features.Assignments;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Integration;
using PracticeApi.Features.RepairWork;
using PracticeApi.Features.Sessions;
using PracticeApi.Features.SupportNetwork;
using PracticeApi.Features.Therapists;
using PracticeApi.Features.Tokens;

namespace PracticeApi.Features;

/// <summary>
/// What the OpenAPI document says beyond the C# types: every closed set as an enum (from the same constants the
/// validators use), optional and nullable fields not required, and query parameters in camelCase as clients send them.
/// </summary>
internal static class ApiSchema
{
    private static readonly Dictionary<Type, Dictionary<string, string[]>> ClosedSets = new()
    {
        [typeof(WebhookRequest)] = new() { ["events"] = EventTypes.All },
        [typeof(Records.RefuseErasureBody)] = new() { ["reason"] = Records.ErasureRules.RefusalReasons },
    };

    public static IServiceCollection AddApiSchema(this IServiceCollection services)
    {
        services.Configure<OpenApiOptions>("v1", o =>
        {
            o.AddSchemaTransformer((schema, context, _) =>
            {
                Describe(schema, context.JsonTypeInfo.Type);
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, _, _) =>
            {
                foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query) ?? [])
                {
                    parameter.Name = char.ToLowerInvariant(parameter.Name![0]) + parameter.Name[1..];
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    private static void Describe(OpenApiSchema schema, Type type)
    {
        // A closed set is one string enum schema (its names: ClosedSets); a property that may be null says so beside it.
        if ((Nullable.GetUnderlyingType(type) ?? type).IsEnum && schema.Enum is { Count: > 0 })
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = schema.Enum.Where(v => v is not null).ToList();
        }

        if (schema.Properties is null) return;
        if (ClosedSets.TryGetValue(type, out var sets))
        {
            foreach (var (name, values) in sets)
            {
                if (!schema.Properties.TryGetValue(name, out var property) || property is not OpenApiSchema target) continue;
                if (target.Type?.HasFlag(JsonSchemaType.Array) == true && target.Items is OpenApiSchema items) target = items;
                var nullable = target.Type?.HasFlag(JsonSchemaType.Null) == true;
                target.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).Concat(nullable ? [null!] : []).ToList();
            }
        }

        // A field that may be null may also be left out: only non-nullable fields are required.
        if (schema.Required is { Count: > 0 } required)
        {
            foreach (var name in required.ToList())
            {
                var property = type.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
                if (property is not null && new System.Reflection.NullabilityInfoContext().Create(property).WriteState == System.Reflection.NullabilityState.Nullable) required.Remove(name);
            }
        }
    }
}
