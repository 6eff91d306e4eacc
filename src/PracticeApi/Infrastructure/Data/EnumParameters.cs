using System.Collections.Concurrent;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// Dapper binds an enum as its number, where the database keeps a closed set's name: a parameter object with an enum
/// member fails loudly here, naming it, on both engines. Bind <c>value.Wire()</c> (<see cref="ClosedSets"/>) instead.
/// The check is one dictionary lookup per parameter type.
/// </summary>
internal static class EnumParameters
{
    private static readonly ConcurrentDictionary<Type, string?> EnumMember = new();

    public static object? Refuse(object? param)
    {
        if (param is null) return null;
        if (EnumMember.GetOrAdd(param.GetType(), Find) is { } member)
        {
            throw new InvalidOperationException(
                $"The parameter {member} is an enum, which Dapper would bind as its number; bind its name with .Wire().");
        }

        return param;
    }

    private static string? Find(Type type)
    {
        if (type == typeof(string) || type.IsPrimitive) return null;
        if (ClosedSets.ElementOf(type) is { } element && element != typeof(object) && !element.IsPrimitive)
        {
            return ClosedSets.IsClosedSet(element) ? "(a list of enums)" : Find(element);
        }

        return type.GetProperties().FirstOrDefault(p => ClosedSets.IsClosedSet(p.PropertyType) ||
            (ClosedSets.ElementOf(p.PropertyType) is { } items && ClosedSets.IsClosedSet(items)))?.Name;
    }
}
