namespace PracticeApi.Features.AuditEvents;

/// <summary>Reading the audit trail: the admin's view of the practice's, and a client's own access log.</summary>
internal sealed class AuditTrailQueries(Db db, AuditLog audit)
{
    private const string Columns = """
        e.Id, e.OccurredAt, e.ActorKind, e.ActorId, e.TokenId, e.Action, e.ResourceType, e.ResourceId, e.Outcome,
        e.SourceIp, e.RequestId, e.Detail, e.ClientIds
        """;

    // Newest first; each variant is served by an index that starts with PracticeId.
    private static readonly string ByPractice = $"""
        SELECT {Columns} FROM AuditEvents e
        WHERE e.PracticeId = @PracticeId AND (@ActorId IS NULL OR e.ActorId = @ActorId) AND {string.Format(AccessLogReads.Window, "e", "e.Id")}
        ORDER BY e.OccurredAt DESC, e.Id DESC {SqlDialect.Limit}
        """;

    private static readonly string ByClient = $"""
        SELECT {Columns} FROM AuditEventClients c
        JOIN AuditEvents e ON e.Id = c.AuditEventId
        WHERE c.PracticeId = @PracticeId AND c.ClientId = @ClientId AND (@ActorId IS NULL OR e.ActorId = @ActorId)
          AND {string.Format(AccessLogReads.Window, "c", "c.AuditEventId")}
        ORDER BY c.OccurredAt DESC, c.AuditEventId DESC {SqlDialect.Limit}
        """;

    /// <summary>The caller's own access log (a portal client's), newest first; reading it is logged too.</summary>
    public async Task<Page<AccessLogEntry>> MyAccessLogAsync(Caller caller, AccessLogQuery query, CancellationToken ct)
    {
        var me = caller.ClientId!.Value;
        var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
        var limit = query.EffectiveLimit();
        var upper = AccessLogReads.Earliest(afterAt, query.To?.UtcDateTime.AddTicks(-1));
        await audit.FlushAsync(ct);
        List<AccessLogRow> rows;
        Func<AccessLogRow, AccessLogEntry> toEntry;
        await using (var c = await db.BeginReadAsync(ct))
        {
            (rows, toEntry) = await AccessLogReads.PageAsync(c, db, caller.PracticeId, me,
                query.From?.UtcDateTime ?? DateTime.MinValue, upper,
                afterAt == upper ? afterId!.Value : AccessLogReads.MaxId, limit + 1, ct);
        }

        await audit.WriteAsync(caller, new Infrastructure.Audit.AuditEntry(AuditAction.Read,
            "access_log", null, [me]), ct);
        return Cursor.ToPage(rows, limit, r => [DapperTypeHandlers.ToText(r.OccurredAt), r.Id.ToString()], toEntry);
    }

    /// <summary>The practice's audit trail, newest first, by actor, client and time; reading it is in the trail
    /// too.</summary>
    public async Task<Page<AuditEventResponse>> ListAsync(Caller caller, AuditEventQuery query, CancellationToken ct)
    {
        await audit.FlushAsync(ct);
        var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
        var limit = query.EffectiveLimit();
        var upper = AccessLogReads.Earliest(afterAt, query.To?.UtcDateTime.AddTicks(-1));
        // The id tie-break applies only when the cursor's own time is the upper bound.
        var tieBreak = afterAt == upper ? afterId!.Value : AccessLogReads.MaxId;
        await using var c = await db.BeginReadAsync(ct);
        var rows = await c.QueryAsync<AuditEventRow>(query.ClientId is null ? ByPractice : ByClient, new
            {
                caller.PracticeId, query.ActorId, query.ClientId,
                From = query.From?.UtcDateTime ?? DateTime.MinValue,
                // Newest first: below the cursor's event, and strictly before "to".
                Upper = upper,
                AfterId = tieBreak,
                Limit = limit + 1,
            });

        // Reading the trail is itself in the trail: who looked, at whose events (the client filter) or the practice's.
        await audit.WriteAsync(caller, new Infrastructure.Audit.AuditEntry(AuditAction.Read,
            "audit_events", null, query.ClientId is { } filtered ? [filtered] : [], Detail: query.ActorId is { } byActor
                ? $"actor {byActor}" : null), ct);
        return Cursor.ToPage(rows, limit,
            r => [DapperTypeHandlers.ToText(r.OccurredAt), r.Id.ToString()],
            r => new AuditEventResponse(r.Id, r.OccurredAt, ClosedSets.Parse<ActorKind>(r.ActorKind), r.ActorId,
                r.TokenId, ClosedSets.Parse<AuditAction>(r.Action), r.ResourceType, r.ResourceId,
                ClosedSets.Parse<AuditOutcome>(r.Outcome), r.SourceIp, r.RequestId, r.Detail,
                StoredIds.ParseList(r.ClientIds)));
    }
}
