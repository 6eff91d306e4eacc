using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data;

/// <summary>What a database error means, the same on both engines.</summary>
public static class DbErrors
{
    /// <summary>A unique key or primary key refused a second row.</summary>
    public static bool IsUniqueViolation(DbException e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        SqlException s => s.Number is 2601 or 2627,
        _ => false,
    };

    /// <summary>Any constraint refused the change: a unique key, a foreign key or a check.</summary>
    public static bool IsConstraintViolation(DbException e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == 19, // SQLITE_CONSTRAINT: unique, foreign key, check
        SqlException s => s.Number is 2601 or 2627 or 547,
        _ => false,
    };
}
