using System.Globalization;
using Microsoft.AspNetCore.Http.Metadata;

namespace PracticeApi.Infrastructure.Http;

/// <summary>
/// Names the query values that could not be read. The compiled handlers (request delegate generator) answer a value
/// that does not parse as its type — limit=abc, clientId=not-a-guid — inside an [AsParameters] query with a bare 400;
/// this finds which values those were from the endpoint's binding metadata, so the answer is a validation problem
/// naming each.
/// </summary>
internal static class QueryValueProblems
{
    public static Dictionary<string, string[]> Find(HttpContext context)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (context.GetEndpoint()?.Metadata.GetOrderedMetadata<IParameterBindingMetadata>() is not { Count: > 0 } parameters) return errors;
        foreach (var parameter in parameters)
        {
            if (!parameter.HasTryParse) continue;
            var (name, values) = context.Request.Query.FirstOrDefault(q => string.Equals(q.Key, parameter.Name,
                StringComparison.OrdinalIgnoreCase));
            if (name is null) continue;
            var type = Nullable.GetUnderlyingType(parameter.ParameterInfo.ParameterType)
                ?? parameter.ParameterInfo.ParameterType;
            if (values.Any(v => !string.IsNullOrEmpty(v) && !Parses(v!, type))) errors[name] = [Message(name, type)];
        }

        return errors;
    }

    private static bool Parses(string value, Type type) => type switch
    {
        _ when type == typeof(int) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(long) => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(Guid) => Guid.TryParse(value, out _),
        _ when type == typeof(bool) => bool.TryParse(value, out _),
        _ when type == typeof(DateTimeOffset) => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
            DateTimeStyles.None, out _),
        _ when type == typeof(DateTime) => DateTime.TryParse(value, CultureInfo.InvariantCulture,
            DateTimeStyles.None, out _),
        _ when type == typeof(DateOnly) => DateOnly.TryParse(value, CultureInfo.InvariantCulture,
            DateTimeStyles.None, out _),
        _ when type.IsEnum => Enum.TryParse(type, value, ignoreCase: true, out _),
        _ when ClosedSets.SetOf(type) is { } set => (bool)type.GetMethod("TryParse")!.Invoke(null, [value,
            null, null])!,
        _ => true,
    };

    [MessageSource]
    private static string Message(string name, Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) => $"{name} must be a whole number.",
        _ when type == typeof(Guid) => $"{name} must be an id (a UUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301).",
        _ when type == typeof(bool) => $"{name} must be true or false.",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) =>
            $"{name} must be a date and time in ISO 8601 with its offset, such as 2026-11-29T09:00:00Z.",
        _ when type == typeof(DateOnly) => $"{name} must be a date such as 2026-11-29.",
        _ when ClosedSets.SetOf(type) is { } set =>
            $"{name} must be one of: {string.Join(", ", ClosedSets.Names(set))}.",
        _ => $"{name} must be a valid {type.Name}.",
    };
}
