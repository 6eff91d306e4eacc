using System.Text;
using System.Text.Json;
using FluentValidation;

namespace PracticeApi.Infrastructure.Http;

using Data = PracticeApi.Infrastructure.Data;

/// <summary>One page of a keyset-paginated list.</summary>
/// <param name="Items">The records of this page, in the list's order.</param>
/// <param name="NextCursor">Pass as cursor to fetch the next page; null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>The opaque keyset cursor: the sort key of the last row returned, base64url JSON.</summary>
public static class Cursor
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static string Encode(params string[] key) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(key)).TrimEnd('=').Replace('+', '-')
            .Replace('/', '_');

    public static string[]? Decode(string? cursor, int parts)
    {
        if (string.IsNullOrEmpty(cursor)) return null;
        try
        {
            var text = cursor.Replace('-', '+').Replace('_', '/');
            text = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
            var key = JsonSerializer.Deserialize<string?[]>(Encoding.UTF8.GetString(Convert.FromBase64String(text)));
            return key is not null && key.Length == parts && key.All(IsKeyPart) ? key.Select(k => k!).ToArray() : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// A part of a key this API writes: an id, a version number, a date, an instant in the stored format, or the
    /// marker "v". Anything else (null, free text, an overflowing number) is not a cursor we made.
    /// </summary>
    private static bool IsKeyPart(string? part) =>
        part is not null && (part == "v" || Guid.TryParse(part, out _) ||
            (int.TryParse(part, System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out _)) ||
            DateOnly.TryParseExact(part, Data.DapperTypeHandlers.DateFormat,
                System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _) ||
            DateTime.TryParseExact(part, Data.DapperTypeHandlers.InstantFormat,
                System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal, out _));

    /// <summary>A (date, id) cursor, for lists ordered by a day.</summary>
    public static (DateOnly? On, Guid? Id) DecodeDateAndId(string? cursor) =>
        Decode(cursor, 2) is [var on, var id] &&
        DateOnly.TryParseExact(on, Data.DapperTypeHandlers.DateFormat,
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date) &&
        Guid.TryParse(id, out var guid)
            ? (date, guid)
            : (null, null);

    public static bool IsValid(string? cursor, int parts) => string.IsNullOrEmpty(cursor) || Decode(cursor,
        parts) is not null;

    /// <summary>A (time, id) cursor, for lists ordered by when things happened.</summary>
    public static (DateTime? At, Guid? Id) DecodeTimeAndId(string? cursor) =>
        Decode(cursor, 2) is [var at, var id] &&
        DateTime.TryParse(at, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal, out var time) &&
        Guid.TryParse(id, out var guid)
            ? (time, guid)
            : (null, null);

    public static string EncodeTimeAndId(DateTime at, Guid id) => Encode(Data.DapperTypeHandlers.ToText(at),
        id.ToString());

    /// <summary>
    /// The id to continue after: the all-zero id when starting, which sorts before every real id in both databases. An
    /// always-bound key lets the index seek straight to the page ("@After IS NULL OR ..." would make SQLite scan).
    /// </summary>
    public static Guid After(string? cursor) => DecodeGuid(cursor) ?? Guid.Empty;

    public static Guid? DecodeGuid(string? cursor) =>
        Decode(cursor, 1) is [var id] && Guid.TryParse(id, out var guid) ? guid : null;

    /// <summary>Rows were fetched with limit + 1: trims the extra one and makes the cursor from the last kept
    /// row.</summary>
    public static Page<TOut> ToPage<TRow, TOut>(IReadOnlyList<TRow> rows, int limit, Func<TRow, string[]> key,
        Func<TRow, TOut> map)
    {
        var kept = rows.Count > limit ? rows.Take(limit).ToList() : rows.ToList();
        var next = rows.Count > limit ? Encode(key(kept[^1])) : null;
        return new Page<TOut>(kept.Select(map).ToList(), next);
    }
}

/// <summary>The paging part every list query shares.</summary>
public interface IPageQuery
{
    int? Limit { get; }
    string? Cursor { get; }
}

/// <summary>A page of a list ordered by a key and then the id; its cursor holds both.</summary>
public sealed record PageQuery : IPageQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
}

internal sealed class PageQueryValidator : AbstractValidator<PageQuery>
{
    public PageQueryValidator() => this.ApplyPaging(cursorParts: 2);
}

/// <summary>A page of a list ordered by id alone; its cursor is the last id.</summary>
public sealed record IdPageQuery : IPageQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
}

internal sealed class IdPageQueryValidator : AbstractValidator<IdPageQuery>
{
    public IdPageQueryValidator() => this.ApplyPaging();
}

public static class PageQueryRules
{
    public static int EffectiveLimit(this IPageQuery query) => query.Limit ?? Cursor.DefaultLimit;

    /// <summary>limit within 1..200 and a cursor this list could have produced.</summary>
    public static void ApplyPaging<T>(this AbstractValidator<T> validator, int cursorParts = 1) where T : IPageQuery
    {
        validator.RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxLimit)
            .WithMessage($"limit must be between 1 and {Cursor.MaxLimit}.");
        validator.RuleFor(q => q.Cursor).Must(c => Cursor.IsValid(c, cursorParts))
            .WithMessage("cursor is not a cursor this list returned.");
    }
}
