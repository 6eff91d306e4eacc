using Dapper;

namespace PracticeApi.Infrastructure.Audit;

/// <summary>
/// SQLite's audit trail. Reads are committed to the inbox, a database file of its own beside the main one (its schema is
/// db/sqlite-audit-inbox, migrated with the database): one narrow row per read, in a transaction that waits for no write
/// to the main file and leaves the main file's readers their page caches. <see cref="FlushAsync"/> moves the inbox into
/// the audit tables in chunks, each copied in SQL by the main file's writer (which attaches the inbox for one
/// transaction) and then deleted from the inbox.
/// </summary>
public sealed class SqliteAuditTrail(Db db) : IAuditTrail
{
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string InsertInbox = $"INSERT INTO AuditInbox ({AuditRecord.ColumnList}) VALUES ({AuditRecord.ParameterList})";

    // Is anything waiting? Read on the inbox's own connection, so that an empty inbox costs no write transaction.
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string InboxWaiting = "SELECT EXISTS (SELECT 1 FROM AuditInbox)";

    // The oldest chunk, as the import's own transaction sees the inbox (attached to the main file's writer).
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string AttachedChunk =
        "SELECT COUNT(*) AS Events, MAX(Seq) AS UpTo FROM (SELECT Seq FROM attached.AuditInbox ORDER BY Seq LIMIT @Chunk)";

    // An event moved twice (a process stopped between the trail's commit and the inbox's delete) is kept once.
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string MoveEvents = $"""
        INSERT OR IGNORE INTO main.AuditEvents ({AuditRecord.ColumnList})
        SELECT {AuditRecord.ColumnList} FROM attached.AuditInbox WHERE Seq <= @UpTo ORDER BY Seq
        """;

    // ClientIds holds the clients' 16-byte keys end to end (StoredIds.List): a client row for each.
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string MoveClients = """
        WITH RECURSIVE Keys (Id, PracticeId, OccurredAt, ClientIds, KeyStart) AS (
            SELECT Id, PracticeId, OccurredAt, ClientIds, 0 FROM attached.AuditInbox WHERE Seq <= @UpTo
                AND length(ClientIds) >= 16
            UNION ALL
            SELECT Id, PracticeId, OccurredAt, ClientIds,
                KeyStart + 16 FROM Keys WHERE KeyStart + 32 <= length(ClientIds))
        INSERT OR IGNORE INTO main.AuditEventClients (AuditEventId, PracticeId, ClientId, OccurredAt)
        SELECT Id, PracticeId, substr(ClientIds, KeyStart + 1, 16), OccurredAt FROM Keys
        """;

    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string DeleteMoved = "DELETE FROM AuditInbox WHERE Seq <= @UpTo";

    // A chunk is one write transaction of the main file, which reads never wait for.
    internal const int ImportChunk = 1024;

    private sealed record Chunk
    {
        public int Events { get; init; }
        public long UpTo { get; init; }
    }

    // One import at a time in this process (the background mover and every audit query flush), so that they do not copy
    // the same chunk twice. Across processes two may: each event is kept once by its id, and since Seq values are never
    // handed out again (AUTOINCREMENT), each delete takes only rows that some import copied.
    private readonly SemaphoreSlim _importing = new(1, 1);

    public bool MovesReads => true;

    public Task AppendAsync(DbWrite c, IReadOnlyCollection<AuditRecord> events) => AuditTables.AppendAsync(c, events);

    public async Task CommitReadsAsync(IReadOnlyCollection<AuditRecord> reads, CancellationToken ct)
    {
        await using var inbox = await db.BeginAuditInboxWriteAsync(ct);
        await using (var insert = inbox.Repeated(InsertInbox, AuditRecord.Columns))
        {
            foreach (var read in reads) await insert.ExecuteAsync(read.Values(DatabaseProvider.Sqlite));
        }

        await inbox.CommitAsync();
    }

    public async Task<int> FlushAsync(CancellationToken ct)
    {
        var moved = 0;
        int chunk;
        do
        {
            await _importing.WaitAsync(ct);
            try
            {
                chunk = await ImportChunkAsync(ct);
            }
            finally
            {
                _importing.Release();
            }

            moved += chunk;
        }
        while (chunk == ImportChunk);

        return moved;
    }

    /// <summary>
    /// Moves the oldest chunk of the inbox into the audit tables, then deletes it from the inbox. An event left in the
    /// inbox after its copy (the process stopped in between) is moved again and kept once, so each event lands exactly
    /// once whichever instance moves it and whenever one stopped. Returns the events moved.
    /// </summary>
    private async Task<int> ImportChunkAsync(CancellationToken ct)
    {
        await using (var inbox = db.BeginAuditInboxRead(ct))
        {
            if (!await inbox.QuerySingleAsync<bool>(InboxWaiting)) return 0;
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
        await using (var inbox = await db.BeginAuditInboxWriteAsync(ct))
        {
            await inbox.ExecuteAsync(DeleteMoved, new { chunk.UpTo });
            await inbox.CommitAsync();
        }

        return chunk.Events;
    }
}
