namespace PracticeApi.Features.AuditEvents;

/// <summary>
/// A client's access log as the client reads it (WGBO, NEN 7513), from the audit trail: who (staff by name and role, an
/// integration by name, the client, their partner or the system), when, and what kind of data; for the portal's page
/// and the client's export.
/// </summary>
internal static class AccessLogReads
{
    // Always-bound time range (no "@X IS NULL OR"), so the (PracticeId, ..., OccurredAt) index seeks straight to the
    // page.
    internal const string Window = """
        {0}.OccurredAt >= @From AND {0}.OccurredAt <= @Upper
        AND ({0}.OccurredAt < @Upper OR {1} < @AfterId)
        """;

    // A client's own entries (the AuditEventClients key PracticeId, ClientId, OccurredAt); refused attempts are not
    // accesses and are left out. The therapists' and integrations' names are read for the page (NamesOf).
    private static readonly string AccessLog = $"""
        SELECT e.Id, e.OccurredAt, e.ActorKind, e.ActorId, e.TokenId, e.Action, e.ResourceType
        FROM AuditEventClients c
        JOIN AuditEvents e ON e.Id = c.AuditEventId
        WHERE c.PracticeId = @PracticeId AND c.ClientId = @ClientId AND e.Outcome = 'success'
          AND {string.Format(Window, "c", "c.AuditEventId")}
        ORDER BY c.OccurredAt DESC, c.AuditEventId DESC {SqlDialect.Limit}
        """;

    private const string TherapistNames = "SELECT Id, Name, Role FROM Therapists WHERE PracticeId = @PracticeId AND Id IN @Ids";
    private const string TokenNames = "SELECT Id, Name FROM ApiTokens WHERE PracticeId = @PracticeId AND Id IN @Ids";

    internal static readonly Guid MaxId = Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff");

    internal static DateTime Earliest(DateTime? a, DateTime? b) =>
        new[] { a, b, new DateTime(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc) }.Where(d => d is not null).Min()!.Value;

    /// <summary>A client's whole access log, newest first (for the client's export), read in pages of 200; the caller
    /// flushes the audit log first.</summary>
    internal static async Task<List<AccessLogEntry>> AccessLogOfAsync(DbSession c, Db db, Guid practiceId,
        Guid clientId, CancellationToken ct)
    {
        var entries = new List<AccessLogEntry>();
        var (upper, after) = (Earliest(null, null), MaxId);
        while (true)
        {
            var (rows, toEntry) = await PageAsync(c, db, practiceId, clientId, DateTime.MinValue, upper,
                after, 200, ct);
            entries.AddRange(rows.Select(toEntry));
            if (rows.Count < 200) return entries;
            (upper, after) = (rows[^1].OccurredAt, rows[^1].Id);
        }
    }

    /// <summary>
    /// One page of a client's access log, and how each row reads: who (staff by name and current role, an integration
    /// by its name, the client, their partner or the system). Names are read once for the page, not per row.
    /// </summary>
    internal static async Task<(List<AccessLogRow> Rows, Func<AccessLogRow, AccessLogEntry> ToEntry)> PageAsync(
        DbSession c, Db db, Guid practiceId, Guid clientId, DateTime from, DateTime upper, Guid afterId, int limit,
        CancellationToken ct)
    {
        var rows = await c.QueryAsync<AccessLogRow>(AccessLog, new
        {
            PracticeId = practiceId, ClientId = clientId, From = from, Upper = upper, AfterId = afterId, Limit = limit,
        });

        async Task<Dictionary<Guid, ActorNameRow>> NamesAsync(string sql, IEnumerable<Guid?> ids)
        {
            var distinct = ids.OfType<Guid>().Distinct().ToArray();
            if (distinct.Length == 0) return [];
            return (await c.QueryAsync<ActorNameRow>(sql, new { PracticeId = practiceId, Ids = distinct }))
                .ToDictionary(n => n.Id);
        }

        var therapists = await NamesAsync(TherapistNames, rows.Where(r => Actor(r) == ActorKind.User)
            .Select(r => r.ActorId));
        var tokens = await NamesAsync(TokenNames, rows.Where(r => Actor(r) == ActorKind.Integration)
            .Select(r => r.TokenId));
        return (rows, r =>
        {
            var (action, kind) = Discreet(r.Action, r.ResourceType);
            return Actor(r) switch
            {
                ActorKind.User => new AccessLogEntry(r.OccurredAt, Accessor.Staff,
                    therapists.GetValueOrDefault(r.ActorId ?? Guid.Empty)?.Name,
                    therapists.GetValueOrDefault(r.ActorId ?? Guid.Empty)?.Role is { } role
                        ? ClosedSets.Parse<TherapistRole>(role) : null, action, kind),
                ActorKind.Integration => new AccessLogEntry(r.OccurredAt, Accessor.Integration,
                    tokens.GetValueOrDefault(r.TokenId ?? Guid.Empty)?.Name, null, action, kind),
                ActorKind.Client => new AccessLogEntry(r.OccurredAt,
                    r.ActorId == clientId ? Accessor.Self : Accessor.Partner, null, null, action, kind),
                _ => new AccessLogEntry(r.OccurredAt, Accessor.System, null, null, action, kind),
            };
        });
    }

    private static ActorKind Actor(AccessLogRow row) => ClosedSets.Parse<ActorKind>(row.ActorKind);

    /// <summary>
    /// How an entry reads to the client: every access is listed, but a safety screening reads as a clinical assessment
    /// and a safety-hold override as an update, so the log never tells a partner that a screening was made or a hold is
    /// on (the partner may be the one it protects someone from).
    /// </summary>
    internal static (AuditAction Action, string DataKind) Discreet(string action, string resourceType) =>
        (ClosedSets.Parse<AuditAction>(action) is var done && done == AuditAction.Override ? AuditAction.Update : done,
            resourceType == "safety_screening" ? "clinical_assessment" : resourceType);
}
