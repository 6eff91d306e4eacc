using System.Data.Common;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// Commands and columns for a read mapped by hand (the client read by id, the hottest): values bound and read in the stored
/// forms of <see cref="DapperTypeHandlers"/>, on either provider (text in SQLite, native types in SQL Server).
/// </summary>
public static class StoredValues
{
    /// <summary>A command with its parameters bound as Dapper would bind them.</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            DapperTypeHandlers.Bind(parameter, value);
            command.Parameters.Add(parameter);
        }

        return command;
    }

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
