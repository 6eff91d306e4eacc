using System.Data;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data.Sqlite;

/// <summary>The statements a connection keeps prepared: SQLite's own API for hot reads and writes, and Dapper's
/// commands' statements.</summary>
internal sealed partial class PracticeSqliteConnection
{
    /// <summary>
    /// A read kept prepared on this connection and run through SQLite's own API (<see cref="SqliteStatement"/>): for a
    /// hot read mapped by hand, outside the write group, or on the writer inside its transaction for a read a write
    /// needs.
    /// </summary>
    internal SqliteStatement Query(string sql, string[] parameterNames) =>
        _kept.TryGetValue(sql, out var kept) ? kept
        : IsWrite(sql) ? throw new InvalidOperationException("A kept query reads: writes go through the write group.")
        : Kept(sql, parameterNames);

    /// <summary>
    /// A write kept prepared on the writer, to run in the transaction open on it (a write group's, or its own attached
    /// one) through SQLite's own API: for the inserts repeated most (<see cref="RepeatedCommand"/>). The storage fault
    /// seam judges it here, as it judges a command at each execution (a connection's state does not change within a
    /// transaction).
    /// </summary>
    internal SqliteStatement Write(string sql, string[] parameterNames)
    {
        if (!IsWriter
            || _transaction is null) throw new InvalidOperationException(
                "Writes run on the writer, in its transaction.");
        CheckWrite(sql);
        return Kept(sql, parameterNames);
    }

    private SqliteStatement Kept(string sql, string[] parameterNames)
    {
        if (_kept.TryGetValue(sql, out var kept)) return kept;
        Check(sql);
        return _kept[sql] = new SqliteStatement(Handle!, sql, parameterNames);
    }

    /// <summary>The kept statement for this text, taken out of the cache while a command uses it.</summary>
    internal SqliteCommand TakeStatement(string sql)
    {
        if (_statements.Remove(sql, out var kept)) return kept;
        return new SqliteCommand(sql, this);
    }

    internal void ReturnStatement(string sql, SqliteCommand statement)
    {
        if (State != ConnectionState.Open || _statements.Count >= MaxStatements || !_statements.TryAdd(sql,
            statement)) statement.Dispose();
    }
}
