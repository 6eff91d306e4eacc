using System.Data;
using System.Data.Common;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// One statement run many times in a transaction on a single prepared command, re-bound per run. Dapper creates and
/// prepares a new command for every call; for a batch of identical inserts that preparation is most of the cost. Also a
/// read mapped by hand runs through it (<see cref="ReadAsync"/>). Values are bound as the Dapper type handlers bind them
/// (<see cref="DapperTypeHandlers.Bind"/>), so rows read the same.
/// </summary>
public sealed class RepeatedCommand : IAsyncDisposable
{
    private readonly DbCommand _command;

    public RepeatedCommand(DbConnection connection, DbTransaction? transaction, string sql, params string[] parameterNames)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            var parameter = _command.CreateParameter();
            parameter.ParameterName = "@" + name;
            _command.Parameters.Add(parameter);
        }
    }

    /// <summary>Runs the statement with these values, in the order of the parameter names.</summary>
    public async Task ExecuteAsync(params object?[] values)
    {
        Bind(values);
        await _command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs the query with these values, in the order of the parameter names, for its rows.</summary>
    public Task<DbDataReader> ReadAsync(object?[] values, CancellationToken ct)
    {
        Bind(values);
        return _command.ExecuteReaderAsync(ct);
    }

    private void Bind(object?[] values)
    {
        if (values.Length != _command.Parameters.Count) throw new ArgumentException($"{_command.Parameters.Count} values expected.", nameof(values));
        for (var i = 0; i < values.Length; i++) DapperTypeHandlers.Bind(_command.Parameters[i], values[i]);
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
