using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace PracticeApi.Infrastructure.Http;

/// <summary>
/// JSON lets a list hold <c>null</c> (<c>"attendance": [null]</c>) where the contract's list holds values. Such items are
/// refused for every request before its validator runs, so no rule has to expect them.
/// </summary>
public static class NullItems
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    /// <summary>The wire paths of null list items in a request (for example "attendance[0]").</summary>
    public static List<string> Find(object request)
    {
        var found = new List<string>();
        Visit(request, "", found, depth: 0);
        return found;
    }

    private static void Visit(object value, string path, List<string> found, int depth)
    {
        if (depth > 8) return;
        var type = value.GetType();
        if (value is string || type.IsPrimitive || type.IsEnum || type.Namespace?.StartsWith("PracticeApi", StringComparison.Ordinal) != true && value is not IEnumerable)
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

        foreach (var property in Properties.GetOrAdd(type, t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToArray()))
        {
            if (property.GetValue(value) is { } child) Visit(child, Join(path, property.Name), found, depth + 1);
        }
    }

    private static string Join(string path, string name) =>
        (path.Length == 0 ? "" : path + ".") + char.ToLowerInvariant(name[0]) + name[1..];
}
