namespace PracticeApi.Features.Records;

/// <summary>
/// Erasure and destruction of a client's record: a request is recorded (who asked, when, by whom); an admin executes it
/// after confirming, or refuses it with a reason. Executing irreversibly anonymises what is the client's own and keeps
/// the partner's contributions to shared work; audit events keep the client's id, which no longer leads to anything
/// personal. Nothing is destroyed automatically: records past retention are listed for an admin to act on.
/// </summary>
internal sealed class ErasureRequests(Db db, AuditLog audit, TimeProvider clock)
{
    private const string Columns = "Id, ClientId, RequestedBy, RequestedAt, RecordedBy, Status, RefusalReason, Explanation, DecidedBy, DecidedAt";

    private const string InsertSql = """
        INSERT INTO ErasureRequests (Id, PracticeId, ClientId, RequestedBy, RequestedAt, RecordedBy, Status)
        VALUES (@Id, @PracticeId, @ClientId, @RequestedBy, @Now, @RecordedBy, 'requested')
        """;

    private const string GetSql = $"SELECT {Columns} FROM ErasureRequests WHERE Id = @Id AND PracticeId = @PracticeId";

    private const string ListSql = $"""
        SELECT {Columns} FROM ErasureRequests
        WHERE PracticeId = @PracticeId AND (RequestedAt > @AfterAt OR (RequestedAt = @AfterAt AND Id > @AfterId))
            AND (@Status IS NULL OR Status = @Status)
        ORDER BY RequestedAt, Id {SqlDialect.Limit}
        """;

    private const string DueSql = $"""
        SELECT Id AS ClientId, UpdatedAt AS LastChangedAt FROM Clients
        WHERE PracticeId = @PracticeId AND Status = 'discharged' AND UpdatedAt <= @Cutoff
          AND (UpdatedAt > @AfterAt OR (UpdatedAt = @AfterAt AND Id > @AfterId)) AND ErasedAt IS NULL
        ORDER BY UpdatedAt, Id {SqlDialect.Limit}
        """;

    internal sealed record RequestRow
    {
        public Guid Id { get; init; }
        public Guid ClientId { get; init; }
        public string RequestedBy { get; init; } = "";
        public DateTime RequestedAt { get; init; }
        public Guid RecordedBy { get; init; }
        public string Status { get; init; } = "";
        public string? RefusalReason { get; init; }
        public string? Explanation { get; init; }
        public Guid? DecidedBy { get; init; }
        public DateTime? DecidedAt { get; init; }

        public ErasureRequestResponse ToResponse() =>
            new(Id, ClientId, RequestedBy, RequestedAt, RecordedBy, ClosedSets.Parse<ErasureStatus>(Status),
                RefusalReason is null ? null : ClosedSets.Parse<RefusalReason>(RefusalReason), Explanation,
                DecidedBy, DecidedAt);
    }

    private sealed record DueRow
    {
        public Guid ClientId { get; init; }
        public DateTime LastChangedAt { get; init; }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Records a request for a client the caller can see (404 otherwise).</summary>
    public async Task<Outcome<ErasureRequestResponse>> RequestAsync(Caller caller, Guid clientId,
        ErasureRequestBody body, CancellationToken ct)
    {
        var id = EntityIds.New();
        await using var c = await db.BeginWriteAsync(ct);
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, ClientId = clientId, RequestedBy = body.RequestedBy.Trim(), Now, RecordedBy = caller.TherapistId,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "erasure_request", id, [clientId]));
        var created = await FindAsync(c, caller.PracticeId, id);
        await c.CommitAsync();
        return created!.ToResponse();
    }

    public async Task<ErasureRequestResponse?> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return (await FindAsync(c, caller.PracticeId, id))?.ToResponse();
    }

    public async Task<Page<ErasureRequestResponse>> ListAsync(Caller caller, ErasureListQuery query,
        CancellationToken ct)
    {
        var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
        var limit = query.EffectiveLimit();
        await using var c = await db.BeginReadAsync(ct);
        var rows = await c.QueryAsync<RequestRow>(ListSql, new
        {
            caller.PracticeId, AfterAt = afterAt ?? DateTime.MinValue, AfterId = afterId
                ?? Guid.Empty, Status = query.Status?.Wire(), Limit = limit + 1,
        });
        return Cursor.ToPage(rows, limit, r => [DapperTypeHandlers.ToText(r.RequestedAt), r.Id.ToString()],
            r => r.ToResponse());
    }

    /// <summary>Discharged clients whose record was last changed 20 years ago or more: due for destruction, oldest
    /// first.</summary>
    public async Task<Page<RetentionDue>> DueAsync(Caller caller, PageQuery query, CancellationToken ct)
    {
        var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
        var limit = query.EffectiveLimit();
        await using var c = await db.BeginReadAsync(ct);
        var rows = await c.QueryAsync<DueRow>(DueSql, new
        {
            caller.PracticeId, Cutoff = Now.AddYears(-ErasureRules.RetentionYears), AfterAt = afterAt
                ?? DateTime.MinValue, AfterId = afterId ?? Guid.Empty,
            Limit = limit + 1,
        });
        return Cursor.ToPage(rows, limit, r => [DapperTypeHandlers.ToText(r.LastChangedAt), r.ClientId.ToString()],
            r => new RetentionDue(r.ClientId, r.LastChangedAt,
                DateOnly.FromDateTime(r.LastChangedAt.AddYears(ErasureRules.RetentionYears))));
    }

    internal static Task<RequestRow?> FindAsync(DbSession c, Guid practiceId, Guid id) =>
        c.QuerySingleOrDefaultAsync<RequestRow>(GetSql, new { Id = id, PracticeId = practiceId });
}
