using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace PracticeApi.Infrastructure.Http;

/// <summary>
/// JSON lets a list hold <c>null</c> (<c>"attendance": [null]</c>) where the contract's list holds values. Such items
/// are refused for every request before its validator runs, so no rule has to expect them.
/// </summary>
public static class NullItems
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    // Whether a type can hold a list anywhere inside it: most query and request types cannot, and are not walked at
    // all.
    private static readonly ConcurrentDictionary<Type, bool> HoldsLists = new();

    /// <summary>The wire paths of null list items in a request (for example "attendance[0]").</summary>
    public static List<string> Find(object request)
    {
        var found = new List<string>();
        if (MayHoldLists(request.GetType(), 0)) Visit(request, "", found, depth: 0);
        return found;
    }

    private static bool MayHoldLists(Type type, int depth) => HoldsLists.GetOrAdd(type, t =>
        t != typeof(string) && (typeof(IEnumerable).IsAssignableFrom(t) || t == typeof(object) ||
            (depth < 8 && t.Namespace?.StartsWith("PracticeApi", StringComparison.Ordinal) == true &&
             t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => p.GetIndexParameters().Length == 0
                 && p.PropertyType != t &&
                 MayHoldLists(p.PropertyType, depth + 1)))));

    private static void Visit(object value, string path, List<string> found, int depth)
    {
        if (depth > 8) return;
        var type = value.GetType();
        if (value is string || type.IsPrimitive || type.IsEnum || type.Namespace?.StartsWith("PracticeApi",
            StringComparison.Ordinal) != true && value is not IEnumerable)
        {
            return;
        }

        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                if (entry.Value is not null) Visit(entry.Value, $"{path}.{entry.Key}", found, depth + 1);
            }

            return;
        }

        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                if (item is null) found.Add($"{path}[{i}]");
                else Visit(item, $"{path}[{i}]", found, depth + 1);
                i++;
            }

            return;
        }

        foreach (var property in Properties.GetOrAdd(type,
            t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters()
            .Length == 0).ToArray()))
        {
            if (property.GetValue(value) is { } child) Visit(child, Join(path, property.Name), found, depth + 1);
        }
    }

    private static string Join(string path, string name) =>
        (path.Length == 0 ? "" : path + ".") + char.ToLowerInvariant(name[0]) + name[1..];
}
