using System.Data.Common;
using Dapper;

namespace PracticeApi.Infrastructure.Audit;

/// <summary>How read audits are committed: to the inbox file beside the database on SQLite (and moved into the trail in bulk), into the trail on SQL Server.</summary>
public sealed partial class AuditLog
{
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string InsertInbox = $"INSERT INTO AuditInbox ({EventColumns}) VALUES ({EventParameterList})";

    // The inbox file's one table, made when the log starts (the file is not the main database's, so not a migration's):
    // the columns of AuditEvents in their stored form, in arrival order. AUTOINCREMENT: a Seq is never handed out again,
    // so an importer's "delete up to the chunk I moved" can never take a row that arrived after another importer (in this
    // process or another one on the same file) emptied the inbox.
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string CreateInbox = $"""
        CREATE TABLE IF NOT EXISTS AuditInbox ({InboxColumns})
        """;

    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string InboxColumns = """
            Seq INTEGER PRIMARY KEY AUTOINCREMENT,
            Id BLOB NOT NULL,
            PracticeId BLOB NULL,
            OccurredAt TEXT NOT NULL,
            ActorKind TEXT NOT NULL,
            ActorId BLOB NULL,
            TokenId BLOB NULL,
            Action TEXT NOT NULL,
            ResourceType TEXT NOT NULL,
            ResourceId BLOB NULL,
            Outcome TEXT NOT NULL,
            SourceIp TEXT NULL,
            RequestId TEXT NULL,
            Detail TEXT NULL,
            ClientIds BLOB NULL
        """;

    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string InboxJournal = "PRAGMA journal_mode = WAL";

    // An inbox made before AUTOINCREMENT is rebuilt once, its rows and their Seq kept, in one write transaction.
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string InboxNeedsRebuild = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'AuditInbox' AND sql NOT LIKE '%AUTOINCREMENT%'";

    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string CreateNextInbox = $"CREATE TABLE AuditInboxNext ({InboxColumns})";

    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string CopyInbox = "INSERT INTO AuditInboxNext SELECT * FROM AuditInbox";

    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string DropInbox = "DROP TABLE AuditInbox";

    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string RenameInbox = "ALTER TABLE AuditInboxNext RENAME TO AuditInbox";

    private int _inboxReady;

    private async Task EnsureInboxAsync()
    {
        if (Volatile.Read(ref _inboxReady) == 1) return;
        await using var connection = db.OpenAuditInbox();
        await connection.ExecuteAsync(InboxJournal);
        await connection.ExecuteAsync(CreateInbox);
        if (await connection.ExecuteScalarAsync<long>(InboxNeedsRebuild) > 0)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            // Checked again inside the write transaction: another instance on the file may have rebuilt it meanwhile.
            if (await connection.ExecuteScalarAsync<long>(InboxNeedsRebuild, transaction: transaction) > 0)
            {
                foreach (var step in new[] { CreateNextInbox, CopyInbox, DropInbox, RenameInbox }) await connection.ExecuteAsync(step, transaction: transaction);
            }

            await transaction.CommitAsync();
        }

        Volatile.Write(ref _inboxReady, 1);
    }

    /// <summary>
    /// One transaction for a batch of read events, one row each in the inbox file: a commit there writes the inbox's last
    /// page or two, waits for no write to the main file, and leaves the main file's readers their page caches.
    /// </summary>
    private async Task WriteInboxAsync(List<PendingRead> batch)
    {
        await EnsureInboxAsync();
        await using (var connection = db.OpenAuditInbox())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var insert = new RepeatedCommand(connection, transaction, InsertInbox, EventParameters);
            foreach (var read in batch) await insert.ExecuteAsync(EventValues(read.Id, read.At, read.Caller, read.Entry));

            await transaction.CommitAsync();
        }

        if (Interlocked.Add(ref _sinceImport, batch.Count) >= ImportChunk && _importWanted.CurrentCount == 0)
        {
            try
            {
                _importWanted.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    /// <summary>One transaction for a batch of read events straight into the trail (SQL Server).</summary>
    private async Task WriteTrailAsync(List<PendingRead> batch)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        await AppendAsync(connection, transaction, InsertEvent, InsertOneClient,
            batch.Select(read => (EventValues(read.Id, read.At, read.Caller, read.Entry),
                (read.Entry.ClientIds?.Distinct() ?? []).Select(client => Key(client)))));
        await transaction.CommitAsync();
    }

    /// <summary>
    /// Appends events (their values in <see cref="EventParameters"/> order) and each event's client rows through two
    /// commands prepared once and re-bound per row (Dapper would build its parameters anew for every row).
    /// </summary>
    private static async Task AppendAsync(DbConnection connection, DbTransaction? transaction, string insertEvent, string insertClient,
        IEnumerable<(object?[] Event, IEnumerable<object?> Clients)> events)
    {
        await using var eventCommand = new RepeatedCommand(connection, transaction, insertEvent, EventParameters);
        await using var clientCommand = new RepeatedCommand(connection, transaction, insertClient, "EventId", "PracticeId", "ClientId", "OccurredAt");
        foreach (var (values, clients) in events)
        {
            await eventCommand.ExecuteAsync(values);
            // Id, PracticeId and OccurredAt are the event's first three values.
            foreach (var client in clients) await clientCommand.ExecuteAsync(values[0], values[1], client, values[2]);
        }
    }

    // The importer moves the inbox in chunks; a chunk is one write transaction of the main file, which reads never wait for.
    private const int ImportChunk = 1024;
    private static readonly TimeSpan ImportEvery = TimeSpan.FromMilliseconds(250);

    // Is anything waiting? Read on the inbox's own connection, so that an empty inbox costs no write transaction.
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string InboxWaiting = "SELECT EXISTS (SELECT 1 FROM AuditInbox)";

    // The oldest chunk, as the import's own transaction sees the inbox (attached to the main file's writer).
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string AttachedChunk =
        "SELECT COUNT(*) AS Events, MAX(Seq) AS UpTo FROM (SELECT Seq FROM attached.AuditInbox ORDER BY Seq LIMIT @Chunk)";

    private sealed record Chunk
    {
        public int Events { get; init; }
        public long UpTo { get; init; }
    }

    // An event moved twice (a process stopped between the trail's commit and the inbox's delete) is kept once.
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string MoveEvents = $"""
        INSERT OR IGNORE INTO main.AuditEvents ({EventColumns})
        SELECT {EventColumns} FROM attached.AuditInbox WHERE Seq <= @UpTo ORDER BY Seq
        """;

    // ClientIds holds the clients' 16-byte keys end to end: a client row for each.
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string MoveClients = """
        WITH RECURSIVE Keys (Id, PracticeId, OccurredAt, ClientIds, KeyStart) AS (
            SELECT Id, PracticeId, OccurredAt, ClientIds, 0 FROM attached.AuditInbox WHERE Seq <= @UpTo AND length(ClientIds) >= 16
            UNION ALL
            SELECT Id, PracticeId, OccurredAt, ClientIds, KeyStart + 16 FROM Keys WHERE KeyStart + 32 <= length(ClientIds))
        INSERT OR IGNORE INTO main.AuditEventClients (AuditEventId, PracticeId, ClientId, OccurredAt)
        SELECT Id, PracticeId, substr(ClientIds, KeyStart + 1, 16), OccurredAt FROM Keys
        """;

    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string DeleteMoved = "DELETE FROM AuditInbox WHERE Seq <= @UpTo";

    /// <summary>
    /// Moves the oldest chunk of the inbox into the audit trail: copied in SQL by the main file's writer, which attaches the
    /// inbox for one transaction of its own, then deleted from the inbox. An event left in the inbox after its copy (the
    /// process stopped in between) is moved again and kept once, so each event lands exactly once whichever instance moves
    /// it and whenever one stopped. Returns the events moved.
    /// </summary>
    private async Task<int> ImportChunkAsync(CancellationToken ct)
    {
        await EnsureInboxAsync();
        await _importing.WaitAsync(ct);
        try
        {
            return await ImportChunkAloneAsync(ct);
        }
        finally
        {
            _importing.Release();
        }
    }

    // One import at a time in this process (the importer and every audit query move the inbox), so that they do not copy
    // the same chunk twice. Across processes two may: each event is kept once by its id, and since Seq values are never
    // handed out again (AUTOINCREMENT), each delete takes only rows that some import copied.
    private readonly SemaphoreSlim _importing = new(1, 1);

    private async Task<int> ImportChunkAloneAsync(CancellationToken ct)
    {
        await using (var inbox = db.OpenAuditInbox())
        {
            if (!await inbox.ExecuteScalarAsync<bool>(new CommandDefinition(InboxWaiting, cancellationToken: ct))) return 0;
        }

        // The transaction starts with nothing open on the writer, so it sees every event committed to the inbox so far.
        var chunk = await db.WithAuditInboxAttachedAsync(connection =>
        {
            var oldest = connection.QuerySingle<Chunk>(AttachedChunk, new { Chunk = ImportChunk });
            if (oldest.Events == 0) return oldest;
            connection.Execute(MoveEvents, new { oldest.UpTo });
            connection.Execute(MoveClients, new { oldest.UpTo });
            return oldest;
        });

        if (chunk.Events == 0) return 0;
        await using (var inbox = db.OpenAuditInbox())
        {
            await inbox.ExecuteAsync(new CommandDefinition(DeleteMoved, new { chunk.UpTo }, cancellationToken: ct));
        }

        return chunk.Events;
    }

    /// <summary>
    /// Makes every read audited before this call visible in the audit trail (on SQLite: moves the inbox). Every query of
    /// the trail calls it first, so what it answers includes every read already answered.
    /// </summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (!UsesInbox) return;
        while (await ImportChunkAsync(ct) == ImportChunk)
        {
        }
    }

    // Moves the inbox at once (what a previous process left), then every quarter second, or at once when a chunk has arrived.
    private async Task ImportLoopAsync()
    {
        var first = true;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                if (!first) await _importWanted.WaitAsync(ImportEvery, _stopping.Token);
                first = false;
                Interlocked.Exchange(ref _sinceImport, 0);
                await FlushAsync(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The events stay in the inbox, committed; the next round moves them.
                logger?.LogWarning("Moving read audits into the audit trail failed ({ExceptionType}); retrying", e.GetType().Name);
                await Task.Delay(ImportEvery, CancellationToken.None);
            }
        }
    }
}
