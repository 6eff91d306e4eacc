using System.Data.Common;
using PracticeApi.Infrastructure.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// The current row of a read mapped by hand, column by column, in the stored forms of <see cref="DapperTypeHandlers"/>
/// (blobs and text in SQLite, native types in SQL Server). One mapping serves every way of reading: <see
/// cref="ReaderRow"/> over a data reader (either provider) and <see cref="SqliteStatement.Rows"/> straight over a SQLite
/// statement.
/// </summary>
public interface IStoredRow
{
    /// <summary>Moves to the next row; false after the last.</summary>
    ValueTask<bool> NextAsync(CancellationToken ct);

    bool IsNull(int column);

    string Text(int column);

    int Int(int column);

    Guid Id(int column);

    DateTime Instant(int column);

    DateOnly Date(int column);
}

/// <summary>Nullable columns of any <see cref="IStoredRow"/> (generic, so a row struct is not boxed).</summary>
public static class StoredValues
{
    public static string? TextOrNull<TRow>(this TRow row, int column) where TRow : IStoredRow => row.IsNull(column)
        ? null : row.Text(column);

    public static Guid? IdOrNull<TRow>(this TRow row, int column) where TRow : IStoredRow => row.IsNull(column)
        ? null : row.Id(column);

    public static DateTime? InstantOrNull<TRow>(this TRow row, int column) where TRow : IStoredRow =>
        row.IsNull(column) ? null : row.Instant(column);

    public static DateOnly? DateOrNull<TRow>(this TRow row, int column) where TRow : IStoredRow => row.IsNull(column)
        ? null : row.Date(column);
}

/// <summary>A data reader's current row, on either provider.</summary>
public readonly struct ReaderRow(DbDataReader reader) : IStoredRow
{
    public async ValueTask<bool> NextAsync(CancellationToken ct) => await reader.ReadAsync(ct);

    public bool IsNull(int column) => reader.IsDBNull(column);

    public string Text(int column) => reader.GetString(column);

    public int Int(int column) => reader.GetInt32(column);

    public Guid Id(int column) => reader.GetFieldType(column) == typeof(Guid)
        ? reader.GetGuid(column)
        : StoredIds.FromBlob(reader.GetFieldValue<byte[]>(column));

    public DateTime Instant(int column) =>
        reader.GetFieldType(column) == typeof(string)
            ? DapperTypeHandlers.ParseInstant(reader.GetString(column))
            : DateTime.SpecifyKind(reader.GetDateTime(column), DateTimeKind.Utc);

    public DateOnly Date(int column) =>
        reader.GetFieldType(column) == typeof(string)
            ? DapperTypeHandlers.ParseDate(reader.GetString(column))
            : DateOnly.FromDateTime(reader.GetDateTime(column));
}
