namespace PracticeApi.Infrastructure;

/// <summary>
/// A closed set's value in a query string (<c>?status=late_cancelled</c>): bound from its snake_case name, or its C#
/// name in any case (<c>LateCancelled</c>), as a request body's enum is read. Any other value is a 400 that names the
/// parameter and lists the set (<see cref="Http.QueryValueProblems"/>); the OpenAPI document lists the set as the
/// parameter's enum. Bind <see cref="Wire"/> to SQL: a unit of work refuses the value itself, as it refuses an enum.
/// </summary>
public readonly record struct OneOf<T>(T Value) where T : struct, Enum
{
    public static bool TryParse(string? text, IFormatProvider? provider, out OneOf<T> result)
    {
        var parsed = ClosedSets.TryParse<T>(text, out var value);
        result = new OneOf<T>(value);
        return parsed;
    }

    /// <summary>The value's name as stored and sent.</summary>
    public string Wire() => Value.Wire();

    public override string ToString() => Wire();
}
