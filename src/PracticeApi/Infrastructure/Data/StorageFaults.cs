using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// A storage fault for the test suite, acting only through <see cref="PracticeSqliteConnection"/> (Database:CheckStatements):
/// while a database file is "read-only", connections opened then refuse writes with SQLITE_READONLY for as long as they
/// live, as SQLite's do when the file's permissions deny writing. Root ignores file permissions, so the tests cannot
/// produce the real fault on a build machine.
/// </summary>
internal static class StorageFaults
{
    private static readonly ConcurrentDictionary<string, bool> ReadOnlyFiles = new(StringComparer.Ordinal);
    private static readonly ConditionalWeakTable<object, object> OpenedReadOnly = new();

    /// <summary>A database file and its read-audit inbox beside it (one volume) become read-only or writable together.</summary>
    public static void SetReadOnly(string dataSource, bool readOnly)
    {
        ReadOnlyFiles[Path.GetFullPath(dataSource)] = readOnly;
        ReadOnlyFiles[Path.GetFullPath(dataSource + Db.AuditInboxSuffix)] = readOnly;
    }

    internal static void Opened(SqliteConnection connection)
    {
        if (connection.Handle is { } handle && ReadOnlyFiles.TryGetValue(Path.GetFullPath(connection.DataSource), out var readOnly) && readOnly)
        {
            OpenedReadOnly.AddOrUpdate(handle, handle);
        }
    }

    internal static void CheckWrite(SqliteConnection connection, string sql)
    {
        if (connection.Handle is { } handle && OpenedReadOnly.TryGetValue(handle, out _) && PracticeSqliteConnection.IsWrite(sql))
        {
            throw new SqliteException("attempt to write a readonly database", 8);
        }
    }
}
