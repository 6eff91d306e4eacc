using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// Ids, UTC instants and dates in one stored form per provider: in SQLite ids as <see cref="StoredIds"/> blobs and
/// times as fixed-width ISO-8601 text with Z (so that text order is time order and every value reads back as UTC), native
/// types in SQL Server.
/// </summary>
public static class DapperTypeHandlers
{
    public const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    public const string DateFormat = "yyyy-MM-dd";

    private static int _registered;
    private static readonly InstantHandler Instants = new();
    private static readonly DateHandler Dates = new();
    private static readonly GuidHandler Ids = new();

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        // Dapper maps ids and times itself and ignores handlers for types in its type map: take them out first.
        foreach (var type in new[]
                 {
                     typeof(Guid), typeof(Guid?), typeof(DateTime), typeof(DateTime?), typeof(DateOnly), typeof(DateOnly?),
                 })
        {
            SqlMapper.RemoveTypeMap(type);
        }

        SqlMapper.AddTypeHandler(Ids);
        SqlMapper.AddTypeHandler(Instants);
        SqlMapper.AddTypeHandler(Dates);
    }

    // For a UTC time the round-trip format "O" is InstantFormat, on a fast path of its own (a fifth of the custom
    // format's cost).
    public static string ToText(DateTime instant) =>
        DateTime.SpecifyKind(instant.ToUniversalTime(), DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A UTC instant from its stored text.</summary>
    public static DateTime ParseInstant(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>A date's stored text in SQLite.</summary>
    public static string ToText(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>A date from its stored text.</summary>
    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, DateFormat,
        CultureInfo.InvariantCulture);

    /// <summary>Binds a value to a hand-made command's parameter exactly as Dapper would through these
    /// handlers.</summary>
    public static void Bind(IDbDataParameter parameter, object? value)
    {
        switch (value)
        {
            case null:
                parameter.DbType = DbType.String;
                parameter.Value = DBNull.Value;
                break;
            case DateTime instant:
                Instants.SetValue(parameter, instant);
                break;
            case DateOnly date:
                Dates.SetValue(parameter, date);
                break;
            case Guid id:
                Ids.SetValue(parameter, id);
                break;
            case string text:
                parameter.DbType = DbType.String;
                parameter.Value = text;
                break;
            case byte[] bytes:
                parameter.DbType = DbType.Binary;
                parameter.Value = bytes;
                break;
            default:
                throw new ArgumentException($"No binding for {value.GetType().Name}.", nameof(value));
        }
    }

    private static bool IsSqlite(IDbDataParameter parameter) => parameter is SqliteParameter;

    /// <summary>
    /// A value Dapper bound without the handler (the items of an IN-list expansion are bound as they come) in its stored
    /// form: an id on SQLite becomes its blob.
    /// </summary>
    public static void Store(SqliteParameter parameter)
    {
        if (parameter.Value is Guid id) Ids.SetValue(parameter, id);
    }

    private sealed class GuidHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value)
        {
            if (IsSqlite(parameter))
            {
                parameter.DbType = DbType.Binary;
                parameter.Value = StoredIds.ToBlob(value);
            }
            else
            {
                parameter.DbType = DbType.Guid;
                parameter.Value = value;
            }
        }

        public override Guid Parse(object value) => value switch
        {
            Guid g => g,
            byte[] b => StoredIds.FromBlob(b),
            _ => throw new DataException($"Cannot read an id from {value.GetType().Name}: ids are stored as 16 bytes."),
        };
    }

    private sealed class InstantHandler : SqlMapper.TypeHandler<DateTime>
    {
        public override void SetValue(IDbDataParameter parameter, DateTime value)
        {
            if (IsSqlite(parameter))
            {
                parameter.DbType = DbType.String;
                parameter.Value = ToText(value);
            }
            else
            {
                parameter.DbType = DbType.DateTime2;
                parameter.Value = DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Unspecified);
            }
        }

        public override DateTime Parse(object value) => value switch
        {
            DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
            string s => ParseInstant(s),
            _ => throw new DataException($"Cannot read a time from {value.GetType().Name}."),
        };
    }

    private sealed class DateHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            if (IsSqlite(parameter))
            {
                parameter.DbType = DbType.String;
                parameter.Value = ToText(value);
            }
            else
            {
                parameter.DbType = DbType.Date;
                parameter.Value = value.ToDateTime(TimeOnly.MinValue);
            }
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly d => d,
            DateTime d => DateOnly.FromDateTime(d),
            string s => ParseDate(s),
            _ => throw new DataException($"Cannot read a date from {value.GetType().Name}."),
        };
    }
}
