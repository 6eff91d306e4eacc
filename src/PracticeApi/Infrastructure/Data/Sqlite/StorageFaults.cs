using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data.Sqlite;

/// <summary>
/// A storage fault for the test suite, acting only through <see cref="PracticeSqliteConnection"/>
/// (Database:CheckStatements): while a database file is "read-only", connections opened then refuse writes with
/// SQLITE_READONLY for as long as they live, as SQLite's do when the file's permissions deny writing. Root ignores file
/// permissions, so the tests cannot produce the real fault on a build machine.
/// </summary>
internal static class StorageFaults
{
    private static readonly ConcurrentDictionary<string, bool> ReadOnlyFiles = new(StringComparer.Ordinal);
    private static readonly ConditionalWeakTable<object, object> OpenedReadOnly = new();
    private static string? _stepFile;
    private static int _failAtStep;
    private static int _steps;

    /// <summary>
    /// From now on, the <paramref name="step"/>-th step that changes the database file (a write statement, a savepoint
    /// or its release, a commit) fails with SQLITE_IOERR, once: a fault at any chosen point between a request's first
    /// write and its answer. Steps on the read-audit inbox beside it are not counted.
    /// </summary>
    public static void FailStep(string dataSource, int step)
    {
        _steps = 0;
        _stepFile = Path.GetFullPath(dataSource);
        Volatile.Write(ref _failAtStep, step);
    }

    /// <summary>Ends <see cref="FailStep"/>: the number of steps counted since.</summary>
    public static int StopFailing()
    {
        Volatile.Write(ref _failAtStep, 0);
        return _steps;
    }

    private static readonly AsyncLocal<StrongBox<int>?> Counted = new();

    /// <summary>
    /// From now on, in this async flow only (a test calling an operation directly), every statement run on SQLite is
    /// counted in the box returned: a test shows an operation runs a fixed number of statements, whatever the number of
    /// rows.
    /// </summary>
    public static StrongBox<int> CountStatements() => Counted.Value = new StrongBox<int>();

    internal static void Statement()
    {
        if (Counted.Value is { } box) Interlocked.Increment(ref box.Value);
    }

    internal static void Step(SqliteConnection connection)
    {
        if (Volatile.Read(ref _failAtStep) == 0 || !string.Equals(_stepFile, Path.GetFullPath(connection.DataSource),
            StringComparison.Ordinal)) return;
        if (Interlocked.Increment(ref _steps) == _failAtStep) throw new SqliteException("disk I/O error", 10);
    }

    /// <summary>A database file and its read-audit inbox beside it (one volume) become read-only or writable
    /// together.</summary>
    public static void SetReadOnly(string dataSource, bool readOnly)
    {
        ReadOnlyFiles[Path.GetFullPath(dataSource)] = readOnly;
        ReadOnlyFiles[Path.GetFullPath(dataSource + Db.AuditInboxSuffix)] = readOnly;
    }

    internal static void Opened(SqliteConnection connection)
    {
        if (connection.Handle is { } handle && ReadOnlyFiles.TryGetValue(Path.GetFullPath(connection.DataSource),
            out var readOnly) && readOnly)
        {
            OpenedReadOnly.AddOrUpdate(handle, handle);
        }
    }

    internal static void CheckWrite(SqliteConnection connection, string sql)
    {
        if (connection.Handle is { } handle && OpenedReadOnly.TryGetValue(handle,
            out _) && PracticeSqliteConnection.IsWrite(sql))
        {
            throw new SqliteException("attempt to write a readonly database", 8);
        }

        if (PracticeSqliteConnection.IsWrite(sql)) Step(connection);
    }
}
