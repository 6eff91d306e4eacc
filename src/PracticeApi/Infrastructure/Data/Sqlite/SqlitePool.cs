using System.Collections.Concurrent;
using System.Data.Common;
using System.Data;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data.Sqlite;

/// <summary>
/// This process's open SQLite connections to one database file, each with its prepared statements, and the write gate
/// of that file. Connections return here instead of closing; <see cref="Clear"/> (after a storage error, or at
/// shutdown) closes the idle ones and retires the ones in use when they come back.
/// </summary>
internal sealed class SqlitePool : IDisposable
{
    private const int MaxIdle = 64;

    private static readonly ConcurrentDictionary<SqlitePool, byte> Live = new();

    private readonly string _connectionString;
    private readonly bool _checkStatements;
    private readonly string? _onOpen;
    private readonly ConcurrentBag<PracticeSqliteConnection> _idle = [];
    private long _epoch;

    public SqlitePool(string connectionString, bool checkStatements, string? onOpen)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        _connectionString = builder.ToString();
        _checkStatements = checkStatements;
        _onOpen = onOpen;
        Group = new SqliteWriteGroup(this);
        Live.TryAdd(this, 0);
    }

    public SqliteWriteGroup Group { get; }

    /// <summary>The group's writer: a connection of its own, never handed to callers.</summary>
    internal PracticeSqliteConnection OpenWriter() => Open(writer: true);

    public DbConnection Rent()
    {
        while (_idle.TryTake(out var idle))
        {
            if (idle.Epoch == Interlocked.Read(ref _epoch) && idle.State == ConnectionState.Open)
            {
                idle.Leased();
                return idle;
            }

            idle.CloseForGood();
        }

        return Open(writer: false);
    }

    private PracticeSqliteConnection Open(bool writer)
    {
        var connection = new PracticeSqliteConnection(_connectionString, this,
            _checkStatements) { Epoch = Interlocked.Read(ref _epoch), IsWriter = writer };
        try
        {
            connection.Open();
            // Plans no longer depend on parameter values. Without this, SQLite prepares a statement with LIKE @pattern
            // again at every execution that binds the pattern (to try its LIKE-prefix index optimisation, which none of
            // the application's LIKEs can use): measured, the client list and every change's webhook-subscriber lookup
            // were prepared anew on each call.
            SQLitePCL.raw.sqlite3_db_config(connection.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_ENABLE_QPSG, 1, out _);
            if (_onOpen is not null)
            {
                using var command = connection.CreateCommand();
                command.CommandText = _onOpen;
                command.ExecuteNonQuery();
            }
        }
        catch
        {
            connection.CloseForGood();
            connection.Dispose();
            throw;
        }

        return connection;
    }

    public void Return(PracticeSqliteConnection connection)
    {
        if (connection.Epoch != Interlocked.Read(ref _epoch) || _idle.Count >= MaxIdle) connection.CloseForGood();
        else _idle.Add(connection);
    }

    public void Clear()
    {
        Interlocked.Increment(ref _epoch);
        Group.ResetWriter();
        while (_idle.TryTake(out var idle)) idle.CloseForGood();
    }

    /// <summary>Every pool of this process (after a storage error: connections opened while storage failed do not
    /// outlive it).</summary>
    public static void ClearAll()
    {
        foreach (var pool in Live.Keys) pool.Clear();
    }

    public void Dispose()
    {
        Live.TryRemove(this, out _);
        Clear();
        Group.CloseWriter();
    }
}
