using System.Collections.Concurrent;
using System.Data.Common;
using System.Data;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data.Sqlite;

internal sealed partial class PracticeSqliteConnection
{
    /// <summary>
    /// A command that runs on the connection's kept statement for its SQL text: parameters are collected here and bound
    /// to that statement at execution; the statement goes back to the connection when this command is disposed.
    /// </summary>
    private sealed class KeptStatementCommand(PracticeSqliteConnection owner) : DbCommand
    {
        private readonly SqliteCommand _parameters = new();
        private string _text = "";
        private SqliteCommand? _statement;
        private PracticeSqliteConnection? _statementOwner;
        private string? _statementText;
        private DbDataReader? _reader;

        [AllowNull]
        public override string CommandText
        {
            get => _text;
            set
            {
                owner.Check(value);
                _text = value ?? "";
            }
        }

        public override int CommandTimeout { get; set; } = owner.DefaultTimeout;

        public override CommandType CommandType { get; set; } = CommandType.Text;

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection
        {
            get => owner;
            set
            {
                if (value is not null && !ReferenceEquals(value,
                    owner)) throw new InvalidOperationException("A kept-statement command stays on its connection.");
            }
        }

        protected override DbParameterCollection DbParameterCollection => _parameters.Parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel()
        {
        }

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => new SqliteParameter();

        // In a write-group transaction the statement runs on the writer, inside the group's transaction.
        private SqliteCommand Bound()
        {
            StorageFaults.Statement();
            Release();
            var (connection, transaction) = DbTransaction switch
            {
                GroupTransaction group when ReferenceEquals(group.Connection, owner) => (group.Writer, group.Outer),
                // As SqlClient does: a command on a connection with a transaction open must run in it (a read would not
                // see the transaction's own writes, a write would not be part of it).
                null when owner._group is not null => throw new InvalidOperationException(
                    "This connection has a transaction open, and the command was given none: pass the transaction to the command " +
                    "(Dapper: new CommandDefinition(sql, args, tx)). A read without it would not see the transaction's writes."),
                // On the writer, only its own transaction can be open here (InTransactionWithAttached): callers never
                // lease it.
                null => (owner, owner._transaction),
                _ => throw new InvalidOperationException(
                    "The transaction belongs to another connection: run the command on the connection that began it."),
            };
            connection.CheckWrite(_text);
            var statement = connection.TakeStatement(_text);
            _statement = statement;
            _statementOwner = connection;
            _statementText = _text;
            statement.Transaction = transaction;
            statement.CommandTimeout = CommandTimeout;
            statement.Parameters.Clear();
            foreach (SqliteParameter parameter in _parameters.Parameters)
            {
                // Dapper names a parameter without its prefix ("Id" for @Id); Microsoft.Data.Sqlite then looks the name
                // up four times at every execution ("Id", "@Id", "$Id", ":Id"). The application's SQL names its
                // parameters @.
                if (parameter.ParameterName is [not ('@' or '$' or ':'),
                    ..] name) parameter.ParameterName = Prefixed.GetOrAdd(name, n => "@" + n);
                DapperTypeHandlers.Store(parameter);
                statement.Parameters.Add(parameter);
            }

            return statement;
        }

        private static readonly ConcurrentDictionary<string, string> Prefixed = new(StringComparer.Ordinal);

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => _reader = Bound()
            .ExecuteReader(behavior);

        public override int ExecuteNonQuery() => Bound().ExecuteNonQuery();

        // A write outside a transaction joins the write group as a transaction of its own: run on another connection it
        // would wait for SQLite's lock (held by the group) in the busy handler's sleeps.
        public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
        {
            // With a transaction open on this connection, a write without it is a slip: ExecuteNonQuery refuses it by
            // name.
            if (DbTransaction is not null || owner._group is not null || owner.IsWriter
                || !IsWrite(_text)) return ExecuteNonQuery();
            await using var transaction = await owner.BeginTransactionAsync(cancellationToken);
            DbTransaction = transaction;
            try
            {
                var changed = ExecuteNonQuery();
                Release();
                await transaction.CommitAsync(cancellationToken);
                return changed;
            }
            finally
            {
                DbTransaction = null;
            }
        }

        public override object? ExecuteScalar() => Bound().ExecuteScalar();

        private void Release()
        {
            _reader?.Dispose();
            _reader = null;
            if (_statement is null) return;
            _statement.Parameters.Clear();
            _statementOwner!.ReturnStatement(_statementText!, _statement);
            _statement = null;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Release();
                _parameters.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
