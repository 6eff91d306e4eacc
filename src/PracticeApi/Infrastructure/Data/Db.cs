using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using PracticeApi.Infrastructure.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// Opens short-lived connections to the configured database, one per operation. SQLite connections come from this
/// process's <see cref="SqlitePool"/> (open, with their prepared statements); SQL Server's from SqlClient's pool.
/// </summary>
public sealed class Db : IDisposable
{
    private readonly DatabaseOptions _options;
    private readonly SqlitePool? _sqlite;
    private readonly SqlitePool? _auditInbox;
    private readonly string? _auditInboxFile;

    /// <summary>
    /// SQLite: the read-audit inbox is a database file of its own beside the main one (its name plus this suffix), so
    /// that committing a read's audit event neither waits for the main file's writer nor makes every other connection's
    /// page cache of the main file stale (see <see cref="Audit.AuditLog"/>).
    /// </summary>
    public const string AuditInboxSuffix = "-audit-inbox";

    public Db(DatabaseOptions options)
    {
        _options = options;
        Dialect = SqlDialect.For(options.Provider);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // In WAL mode, NORMAL syncs at checkpoints instead of at every commit: a commit survives an application
            // crash (the WAL is in the OS's hands), and only an OS crash or power loss can roll back the last commits.
            // busy_timeout: SQLite waits for another process's write lock in small steps itself. temp_store = MEMORY:
            // every write transaction is a savepoint of its group (SqliteWriteGroup), and SQLite copies each page
            // before a savepoint first changes it into the statement journal; past 64 KiB that journal spills to a
            // temporary file, and measured under POST load it took eight page writes (write calls) for each WAL frame.
            // secure_delete: content that a change removes (an erasure's old text, a purged row) is overwritten with
            // zeros in its page and on freed pages, so the database file keeps no readable copy of it.
            var onOpen = $"PRAGMA synchronous = {options.SqliteSynchronous}; PRAGMA busy_timeout = 10000; PRAGMA temp_store = MEMORY; " +
                         "PRAGMA secure_delete = ON;";
            var inbox = new SqliteConnectionStringBuilder(options.ConnectionString);
            CreatePrivately(inbox.DataSource);
            CreatePrivately(inbox.DataSource + AuditInboxSuffix);
            _sqlite = new SqlitePool(options.ConnectionString, options.CheckStatements, onOpen);
            inbox.DataSource += AuditInboxSuffix;
            _auditInboxFile = inbox.DataSource;
            _auditInbox = new SqlitePool(inbox.ToString(), options.CheckStatements, onOpen);
        }

        DapperTypeHandlers.Register();
    }

    /// <summary>
    /// A new SQLite database file is created empty and readable by this service's user only (0600; SQLite gives its WAL
    /// and shared-memory files the same mode), in a folder only it may enter when the folder is new.
    /// </summary>
    private static void CreatePrivately(string file)
    {
        if (OperatingSystem.IsWindows() || file.Length == 0 || file.StartsWith(':') || File.Exists(file)) return;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        if (!Directory.Exists(folder)) Directory.CreateDirectory(folder, Security.DataProtectionSetup.PrivateFolder);
        try
        {
            using var created = new FileStream(file, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = Security.DataProtectionSetup.PrivateFile,
            });
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another instance created it first.
        }
    }

    public SqlDialect Dialect { get; }

    public DatabaseProvider Provider => _options.Provider;

    /// <summary>
    /// A unit of work that reads (<see cref="DbSession"/>): one connection, outside any transaction of its own; inside
    /// a request's unit of work (<see cref="RequestUnitOfWork"/>) on the unit's connection, so it sees what the request
    /// wrote. Disposing it gives the connection back.
    /// </summary>
    public async Task<DbSession> BeginReadAsync(CancellationToken ct) => new(await OpenAsync(ct), null, Dialect, ct);

    /// <summary>
    /// A unit of work that writes (<see cref="DbWrite"/>): one connection and its transaction, so that a change, its
    /// audit event and its outbox rows commit together (<see cref="DbWrite.CommitAsync"/>) or, when the work returns or
    /// throws before committing, are rolled back as it is disposed. Inside a request's unit of work the transaction is
    /// a savepoint of the unit's, and the request's commit is the one that counts.
    /// </summary>
    public async Task<DbWrite> BeginWriteAsync(CancellationToken ct) =>
        await BeginWriteOnAsync(await OpenAsync(ct), ct);

    // A write unit on this connection: its transaction begun, or the connection given back when that fails.
    private async Task<DbWrite> BeginWriteOnAsync(DbConnection connection, CancellationToken ct)
    {
        try
        {
            return new DbWrite(connection, await connection.BeginTransactionAsync(ct), Dialect, ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>One statement in a unit of work of its own (<see cref="BeginWriteAsync"/>): the number of rows it
    /// changed.</summary>
    public async Task<int> ExecuteAsync(string sql, object? param, CancellationToken ct)
    {
        await using var write = await BeginWriteAsync(ct);
        var changed = await write.ExecuteAsync(sql, param);
        await write.CommitAsync();
        return changed;
    }

    /// <summary>
    /// A connection for the data layer's own machinery (migrations, the request unit of work, the audit trail); inside
    /// a request's unit of work, a view of the unit's connection. Stores use <see cref="BeginReadAsync"/> and <see
    /// cref="BeginWriteAsync"/>.
    /// </summary>
    internal Task<DbConnection> OpenAsync(CancellationToken ct) =>
        RequestUnitOfWork.Current is { } unit ? unit.ConnectionAsync(ct) : OpenPhysicalAsync(ct);

    internal async Task<DbConnection> OpenPhysicalAsync(CancellationToken ct)
    {
        if (_sqlite is not null) return _sqlite.Rent();
        var connection = new SqlConnection(_options.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>SQLite only: a connection to the read-audit inbox file (<see cref="AuditInboxSuffix"/>), for its
    /// migrations.</summary>
    internal DbConnection OpenAuditInbox() => _auditInbox?.Rent() ?? throw NoAuditInbox();

    /// <summary>SQLite only: a unit of work that reads the read-audit inbox file.</summary>
    internal DbSession BeginAuditInboxRead(CancellationToken ct) => new(OpenAuditInbox(), null, Dialect, ct);

    /// <summary>SQLite only: a unit of work that writes to the read-audit inbox file (see <see
    /// cref="BeginWriteAsync"/>).</summary>
    internal Task<DbWrite> BeginAuditInboxWriteAsync(CancellationToken ct) => BeginWriteOnAsync(OpenAuditInbox(), ct);

    /// <summary>
    /// SQLite only: runs work in a write transaction of the main file's writer, with the read-audit inbox attached as
    /// <c>attached</c> and no other write in progress; work runs its statements on the connection it is given.
    /// </summary>
    internal Task<T> WithAuditInboxAttachedAsync<T>(Func<DbConnection, T> work) =>
        _sqlite is null || _auditInboxFile is null ? throw NoAuditInbox()
        : RequestUnitOfWork.Current is { HoldsWrite: true }
            ? throw new InvalidOperationException("The audit inbox cannot be moved inside a request's unit of work that has written: it holds the write gate.")
            : _sqlite.Group.RunAloneAsync(writer => writer.InTransactionWithAttached(_auditInboxFile, work));

    /// <summary>
    /// SQLite: copies the write-ahead logs into the database files and empties them (<c>wal_checkpoint(TRUNCATE)</c>),
    /// so that no older page image, such as one holding text an erasure removed, stays in a WAL file. Waits for readers
    /// of older snapshots up to the busy timeout. SQL Server keeps no such file beside the database: nothing to do.
    /// </summary>
    public async Task TruncateWriteAheadLogsAsync()
    {
        if (_sqlite is null || _auditInbox is null) return;
        if (RequestUnitOfWork.Current is { HoldsWrite: true } unit)
        {
            // What the request erased is not committed yet: checkpoint once it is (the unit holds the write gate
            // meanwhile).
            unit.AfterCommit(TruncateWriteAheadLogsAsync);
            return;
        }

        await _sqlite.Group.RunAloneAsync(writer => Checkpoint(writer));
        await using var inbox = _auditInbox.Rent();
        Checkpoint(inbox);
    }

    private static int Checkpoint(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = CheckpointSql;
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string CheckpointSql = "PRAGMA wal_checkpoint(TRUNCATE)";

    private static InvalidOperationException NoAuditInbox() => new("Only SQLite keeps a separate read-audit inbox.");

    public void Dispose()
    {
        _sqlite?.Dispose();
        _auditInbox?.Dispose();
    }
}
