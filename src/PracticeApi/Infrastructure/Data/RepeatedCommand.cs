using System.Data.Common;
using PracticeApi.Infrastructure.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// One statement run many times in a transaction on a single prepared command, re-bound per run. Dapper creates and
/// prepares a new command for every call; for a batch of identical inserts that preparation is most of the cost. Also a
/// read mapped by hand runs through it (<see cref="ReadAsync"/>, <see cref="ReadAllAsync{T}"/>). Values are bound as
/// the Dapper type handlers bind them (<see cref="DapperTypeHandlers.Bind"/>), so rows read the same. On SQLite, inside
/// a write group's transaction, the statements run on the writer's kept statements through SQLite's own API (<see
/// cref="SqliteStatement"/>): the audit events of every read and change, and what every create does inside the write
/// gate (its row, care team and webhook event), are the statements run most.
/// </summary>
public sealed class RepeatedCommand : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction? _transaction;
    private readonly string _sql;
    private readonly string[] _parameterNames;
    private DbCommand? _command;
    private SqliteStatement? _kept;

    internal RepeatedCommand(DbConnection connection, DbTransaction? transaction, string sql,
        params string[] parameterNames)
    {
        _connection = connection;
        _transaction = transaction;
        _sql = sql;
        _parameterNames = parameterNames;
    }

    /// <summary>Runs the statement with these values, in the order of the parameter names: the number of rows it
    /// changed.</summary>
    public async Task<int> ExecuteAsync(params object?[] values)
    {
        if (_transaction is GroupTransaction group)
        {
            StorageFaults.Statement();
            return (_kept ??= group.Writer.Write(_sql, _parameterNames)).Execute(values);
        }

        return await Bound(values).ExecuteNonQueryAsync();
    }

    /// <summary>Runs the query with these values, in the order of the parameter names, for its rows.</summary>
    public Task<DbDataReader> ReadAsync(object?[] values, CancellationToken ct) => Bound(values).ExecuteReaderAsync(ct);

    /// <summary>
    /// Runs the query and hands its rows to <paramref name="read"/>: on SQLite outside a transaction, straight through
    /// SQLite's API on a statement kept on the connection (the audited read's path), otherwise through a data reader.
    /// </summary>
    public async Task<T> ReadWithAsync<T>(object?[] values, Func<IStoredRow, CancellationToken, Task<T>> read,
        CancellationToken ct)
    {
        if (_transaction is null && _connection is PracticeSqliteConnection sqlite)
        {
            StorageFaults.Statement();
            using var rows = sqlite.Query(_sql, _parameterNames).Run(values);
            return await read(rows, ct);
        }

        await using var reader = await ReadAsync(values, ct);
        return await read(new ReaderRow(reader), ct);
    }

    /// <summary>
    /// Runs the query with these values and maps every row: a read a write needs, inside a write group's transaction on
    /// the writer's kept statement (SQLite), otherwise through a data reader.
    /// </summary>
    public async Task<List<T>> ReadAllAsync<T>(object?[] values, Func<IStoredRow, T> map, CancellationToken ct)
    {
        var all = new List<T>();
        if (_transaction is GroupTransaction group)
        {
            StorageFaults.Statement();
            using var rows = (_kept ??= group.Writer.Query(_sql, _parameterNames)).Run(values);
            while (rows.Next()) all.Add(map(rows));
            return all;
        }

        await using var reader = await ReadAsync(values, ct);
        var row = new ReaderRow(reader);
        while (await row.NextAsync(ct)) all.Add(map(row));
        return all;
    }

    private DbCommand Bound(object?[] values)
    {
        if (_command is null)
        {
            _command = _connection.CreateCommand();
            _command.Transaction = _transaction;
            _command.CommandText = _sql;
            foreach (var name in _parameterNames)
            {
                var parameter = _command.CreateParameter();
                parameter.ParameterName = "@" + name;
                _command.Parameters.Add(parameter);
            }
        }

        if (values.Length != _command.Parameters.Count) throw new ArgumentException(
            $"{_command.Parameters.Count} values expected.", nameof(values));
        for (var i = 0; i < values.Length; i++) DapperTypeHandlers.Bind(_command.Parameters[i], values[i]);
        return _command;
    }

    public ValueTask DisposeAsync() => _command?.DisposeAsync() ?? ValueTask.CompletedTask;
}
