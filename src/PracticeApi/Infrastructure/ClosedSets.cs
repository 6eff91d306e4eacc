using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PracticeApi.Infrastructure;

/// <summary>
/// A closed set of the API (a session's kind, a cadence, a scope…) is a C# enum. On the wire and in the database a
/// value is its snake_case name, or the name <see cref="JsonStringEnumMemberNameAttribute"/> gives it: the form the
/// JSON converter writes and reads (reading also takes the C# name in any case, "InPerson" or "Nl", as generated
/// clients send it). Stores bind <see cref="Wire{T}(T)"/>: Dapper would bind an enum as its number, so a unit of work
/// refuses one (<see cref="Data.DbSession"/>).
/// </summary>
public static class ClosedSets
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<string>> NamesByType = new();

    /// <summary>The one JSON form of every closed set: the API's bodies, stored documents and the OpenAPI
    /// examples.</summary>
    public static JsonStringEnumConverter Converter() => new(JsonNamingPolicy.SnakeCaseLower,
        allowIntegerValues: false);

    /// <summary>The value's name on the wire and in the database.</summary>
    public static string Wire<T>(this T value) where T : struct, Enum => Of<T>.ByValue[value];

    /// <summary>The value's name on the wire and in the database, or null.</summary>
    public static string? Wire<T>(this T? value) where T : struct, Enum => value is { } v ? Of<T>.ByValue[v] : null;

    /// <summary>Every name of the set, in declaration order.</summary>
    public static IReadOnlyList<string> Names<T>() where T : struct, Enum => Of<T>.Names;

    /// <summary>Every name of an enum's set, in declaration order (for a problem that lists them).</summary>
    public static IReadOnlyList<string> Names(Type enumType) => NamesByType.GetOrAdd(enumType, t =>
        t.GetFields(BindingFlags.Public | BindingFlags.Static).Select(NameOf).ToList());

    /// <summary>The value a stored name stands for.</summary>
    public static T Parse<T>(string wire) where T : struct, Enum =>
        Of<T>.ByName.TryGetValue(wire,
            out var value) ? value : throw new FormatException($"'{wire}' is not a {typeof(T).Name}.");

    /// <summary>
    /// The value a name in a query string stands for: its name (as stored and sent), or the member's C# name in any
    /// case; never a number.
    /// </summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        if (text is null) return Fail(out value);
        if (Of<T>.ByName.TryGetValue(text, out value)) return true;
        var named = text.All(char.IsLetter) && Enum.TryParse(text, ignoreCase: true,
            out value) && Enum.IsDefined(value);
        return named || Fail(out value);
    }

    /// <summary>Whether a type is a closed set (an enum or a query string's <see cref="OneOf{T}"/>, or a nullable
    /// one).</summary>
    public static bool IsClosedSet(Type type) => (Nullable.GetUnderlyingType(type) ?? type) is var t && (t.IsEnum
        || SetOf(t) is not null);

    /// <summary>The enum of a query string's <see cref="OneOf{T}"/> (nullable or not), or null for any other
    /// type.</summary>
    public static Type? SetOf(Type type) => (Nullable.GetUnderlyingType(type) ?? type) is { IsGenericType: true } t &&
        t.GetGenericTypeDefinition() == typeof(OneOf<>) ? t.GetGenericArguments()[0] : null;

    private static bool Fail<T>(out T value) where T : struct
    {
        value = default;
        return false;
    }

    /// <summary>The element type of a list (any <see cref="IEnumerable{T}"/> but a string), or null.</summary>
    public static Type? ElementOf(Type type) => type == typeof(string) ? null : type.GetInterfaces().Append(type)
        .FirstOrDefault(i => i.IsGenericType
        && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static string NameOf(FieldInfo field) =>
        field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
            ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(field.Name);

    private static class Of<T> where T : struct, Enum
    {
        public static readonly IReadOnlyList<string> Names = ClosedSets.Names(typeof(T));

        public static readonly Dictionary<T, string> ByValue =
            typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
                .ToDictionary(f => (T)f.GetValue(null)!, NameOf);

        public static readonly Dictionary<string, T> ByName = ByValue.ToDictionary(p => p.Value, p => p.Key,
            StringComparer.Ordinal);
    }
}
