using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PracticeApi.Infrastructure.Data.Sqlite;

/// <summary>
/// A statement kept prepared on one SQLite connection (<see cref="PracticeSqliteConnection.Query"/>, <see
/// cref="PracticeSqliteConnection.Write"/>) and run through SQLite's own API, SQLitePCLRaw, on which
/// Microsoft.Data.Sqlite itself is built: values bound by position, columns read as SQLite holds them. For the hottest
/// statements: the audited read by id, and the audit events every read and change appends. Microsoft.Data.Sqlite's
/// command and reader around the same prepared statement (each parameter looked up by name at every execution, a reader
/// object, a type check per column) were a measurable share of the audited read (bench/README.md). Values bind as
/// the Dapper handlers bind them (an id as its <see cref="StoredIds"/> blob, a time as <see cref="DapperTypeHandlers"/>
/// stores it), so the statement finds and writes what the rest of the application does; a failure throws the <see
/// cref="SqliteException"/> Microsoft.Data.Sqlite would.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _positions;
    private bool _running;

    public SqliteStatement(sqlite3 db, string sql, string[] parameterNames)
    {
        _db = db;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out _statement), db);
        _positions = parameterNames.Select(name => raw.sqlite3_bind_parameter_index(_statement, "@" + name)).ToArray();
        if (_positions.Contains(0) || raw.sqlite3_bind_parameter_count(_statement) != _positions.Length)
        {
            _statement.Dispose();
            throw new ArgumentException("The parameter names must be the statement's, each once.",
                nameof(parameterNames));
        }
    }

    /// <summary>Binds the values (in the order of the parameter names) and returns the rows; dispose them to end the
    /// run.</summary>
    public Rows Run(object?[] values)
    {
        BindAll(values);
        _running = true;
        return new Rows(this);
    }

    /// <summary>
    /// Runs a statement that returns no rows (an insert) with these values, in the order of the parameter names: the
    /// number of rows it changed.
    /// </summary>
    public int Execute(object?[] values)
    {
        using var rows = Run(values);
        if (rows.Next()) throw new InvalidOperationException("The statement returned rows: read them with Run.");
        return raw.sqlite3_changes(_db);
    }

    private void BindAll(object?[] values)
    {
        if (values.Length != _positions.Length) throw new ArgumentException($"{_positions.Length} values expected.",
            nameof(values));
        if (_running) throw new InvalidOperationException("The statement is still running.");
        for (var i = 0; i < values.Length; i++) Bind(_positions[i], values[i]);
    }

    private void Bind(int position, object? value)
    {
        var rc = value switch
        {
            null => raw.sqlite3_bind_null(_statement, position),
            Guid id => BindId(position, id),
            string text => raw.sqlite3_bind_text16(_statement, position, text),
            DateTime instant => raw.sqlite3_bind_text16(_statement, position, DapperTypeHandlers.ToText(instant)),
            DateOnly date => raw.sqlite3_bind_text16(_statement, position, DapperTypeHandlers.ToText(date)),
            byte[] bytes => raw.sqlite3_bind_blob(_statement, position, bytes),
            _ => throw new ArgumentException($"No binding for {value.GetType().Name}.", nameof(value)),
        };
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    // From the stack: SQLite copies a bound span (SQLITE_TRANSIENT), so an id costs no allocation per execution.
    private int BindId(int position, Guid id)
    {
        Span<byte> blob = stackalloc byte[16];
        StoredIds.Write(id, blob);
        return raw.sqlite3_bind_blob(_statement, position, blob);
    }

    private void End()
    {
        raw.sqlite3_reset(_statement);
        _running = false;
    }

    public void Dispose() => _statement.Dispose();

    /// <summary>The statement's rows, read as they are stepped; disposing them resets the statement for the next
    /// run.</summary>
    public readonly struct Rows(SqliteStatement owner) : IStoredRow, IDisposable
    {
        private sqlite3_stmt Statement => owner._statement;

        public ValueTask<bool> NextAsync(CancellationToken ct) => ValueTask.FromResult(Next());

        public bool Next()
        {
            var rc = raw.sqlite3_step(Statement);
            if (rc == raw.SQLITE_ROW) return true;
            if (rc == raw.SQLITE_DONE) return false;
            SqliteException.ThrowExceptionForRC(rc, owner._db);
            return false;
        }

        public bool IsNull(int column) => raw.sqlite3_column_type(Statement, column) == raw.SQLITE_NULL;

        public string Text(int column) => raw.sqlite3_column_text(Statement, column).utf8_to_string();

        public int Int(int column) => raw.sqlite3_column_int(Statement, column);

        public Guid Id(int column) => StoredIds.FromBlob(raw.sqlite3_column_blob(Statement, column));

        public DateTime Instant(int column) => DapperTypeHandlers.ParseInstant(Text(column));

        public DateOnly Date(int column) => DapperTypeHandlers.ParseDate(Text(column));

        public void Dispose() => owner.End();
    }
}
