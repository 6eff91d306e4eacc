namespace PracticeApi.Infrastructure.Audit;

/// <summary>
/// Where audit events are kept, one implementation per engine (<see cref="SqliteAuditTrail"/>, <see
/// cref="SqlServerAuditTrail"/>). A change's events join the change's own transaction; reads, which have no change to
/// join, are committed in batches before they are answered (<see cref="AuditLog"/> gathers them).
/// </summary>
public interface IAuditTrail
{
    /// <summary>Appends events and their client rows in the unit's transaction: they commit or roll back with
    /// it.</summary>
    Task AppendAsync(DbWrite c, IReadOnlyCollection<AuditRecord> events);

    /// <summary>Commits a batch of read events in a transaction of its own; when it returns, they are
    /// durable.</summary>
    Task CommitReadsAsync(IReadOnlyCollection<AuditRecord> reads, CancellationToken ct);

    /// <summary>Whether committed reads wait somewhere before the trail and are moved in the background (<see
    /// cref="FlushAsync"/>).</summary>
    bool MovesReads { get; }

    /// <summary>Makes every read committed before this call visible in the audit tables. Returns the events it
    /// moved.</summary>
    Task<int> FlushAsync(CancellationToken ct);

    /// <summary>The trail of this engine.</summary>
    public static IAuditTrail For(Db db) => db.Provider == DatabaseProvider.Sqlite
        ? new SqliteAuditTrail(db) : new SqlServerAuditTrail(db);
}

/// <summary>The audit tables' inserts, as every path that appends to them in SQL runs them.</summary>
internal static class AuditTables
{
    public const string InsertEvent = $"INSERT INTO AuditEvents ({AuditRecord.ColumnList}) VALUES ({AuditRecord.ParameterList})";

    public const string InsertClient = """
        INSERT INTO AuditEventClients (AuditEventId, PracticeId, ClientId, OccurredAt) VALUES (@AuditEventId,
            @PracticeId, @ClientId, @OccurredAt)
        """;

    /// <summary>
    /// Appends events and each event's client rows through two statements prepared once and re-bound per row (Dapper
    /// would build its parameters anew for every row).
    /// </summary>
    public static async Task AppendAsync(DbWrite c, IEnumerable<AuditRecord> events)
    {
        await using var insertEvent = c.Repeated(InsertEvent, AuditRecord.Columns);
        await using var insertClient = c.Repeated(InsertClient, AuditRecord.ClientColumns);
        foreach (var record in events)
        {
            await insertEvent.ExecuteAsync(record.Values(c.Provider));
            foreach (var client in record.ClientRows()) await insertClient.ExecuteAsync(client);
        }
    }
}
