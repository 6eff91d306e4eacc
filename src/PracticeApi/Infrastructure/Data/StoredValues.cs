using System.Data.Common;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// Columns of a read mapped by hand (the client read by id, the hottest; run through <see cref="RepeatedCommand"/>), in the
/// stored forms of <see cref="DapperTypeHandlers"/> on either provider (text in SQLite, native types in SQL Server).
/// </summary>
public static class StoredValues
{
    public static string? Text(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    public static Guid? Id(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetGuid(column);

    public static DateTime Instant(DbDataReader reader, int column) =>
        reader.GetFieldType(column) == typeof(string)
            ? DapperTypeHandlers.ParseInstant(reader.GetString(column))
            : DateTime.SpecifyKind(reader.GetDateTime(column), DateTimeKind.Utc);

    public static DateTime? InstantOrNull(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : Instant(reader, column);

    public static DateOnly? DateOrNull(DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null
        : reader.GetFieldType(column) == typeof(string) ? DapperTypeHandlers.ParseDate(reader.GetString(column))
        : DateOnly.FromDateTime(reader.GetDateTime(column));
}
