namespace PracticeApi.Features.Couples;

/// <summary>Reading couples and their histories (steps, breaches, safety screenings), each read audited.</summary>
internal sealed class CoupleQueries(Db db, AuditLog audit, TimeProvider clock)
{
    private static readonly string ListSql = $"""
        SELECT {CoupleReads.Columns} FROM Couples c
        WHERE c.PracticeId = @PracticeId AND c.Id > @After
          AND (@ClientId IS NULL OR c.PartnerAId = @ClientId OR c.PartnerBId = @ClientId)
          AND (@Status IS NULL OR c.Status = @Status) AND (@SafetyHold IS NULL OR c.SafetyHold = @SafetyHold)
          AND {Caseload.Couple("c")}
        ORDER BY c.Id {SqlDialect.Limit}
        """;

    private const string ScreeningColumns = "Id, ClientId, AbuseOrDanger, UntreatedAddiction, Notes, ScreenedBy, ScreenedAt";

    // Nested histories, oldest first, keyset on (time, id); each served by an index (PracticeId, CoupleId, time, Id).
    private const string After = "AND (@AfterAt IS NULL OR {0} > @AfterAt OR ({0} = @AfterAt AND Id > @AfterId))";

    private static readonly string StepsSql = $"""
        SELECT Id, FromStep, ToStep, Note, ChangedBy, ChangedAt FROM CoupleStepChanges
        WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId {string.Format(After, "ChangedAt")}
        ORDER BY ChangedAt, Id {SqlDialect.Limit}
        """;

    private static readonly string BreachesSql = $"""
        SELECT Id, OccurredOn, BreachType, Note, RecordedBy, RecordedAt FROM CoupleBreaches
        WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId {string.Format(After, "RecordedAt")}
        ORDER BY RecordedAt, Id {SqlDialect.Limit}
        """;

    private static readonly string ScreeningsSql = $"""
        SELECT {ScreeningColumns} FROM SafetyScreenings
        WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId {string.Format(After, "ScreenedAt")}
        ORDER BY ScreenedAt, Id {SqlDialect.Limit}
        """;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<CoupleResponse?> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        CoupleRow? row;
        await using (var c = await db.BeginReadAsync(ct))
        {
            row = await CoupleReads.FindAsync(c, caller, id, ct);
        }

        if (row is null) return null;
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "couple", id, row.Partners), ct);
        return row.ToResponse(Today);
    }

    public async Task<Page<CoupleResponse>> ListAsync(Caller caller, CoupleListQuery query, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        List<CoupleRow> rows;
        await using (var c = await db.BeginReadAsync(ct))
        {
            rows = await c.QueryAsync<CoupleRow>(ListSql, new
            {
                caller.PracticeId, Caseload = caller.Caseload, After = Cursor.After(query.Cursor),
                query.ClientId, Status = query.Status?.Wire(), query.SafetyHold, Limit = limit + 1,
            });
        }

        var page = Cursor.ToPage(rows, limit, r => [r.Id.ToString()], r => r);
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "couple", null,
            page.Items.SelectMany(r => r.Partners).ToList(), Detail: "list"), ct);
        return new Page<CoupleResponse>(page.Items.Select(r => r.ToResponse(Today)).ToList(), page.NextCursor);
    }

    public Task<Page<StepChangeResponse>?> StepsAsync(Caller caller, Guid coupleId, PageQuery query,
        CancellationToken ct) =>
        HistoryAsync<StepChangeRow, StepChangeResponse>(caller, coupleId, query, StepsSql, "couple_steps",
            r => r.ChangedAt, r => r.Id, r => r.ToResponse(), careTeamOnly: false, ct);

    public Task<Page<BreachResponse>?> BreachesAsync(Caller caller, Guid coupleId, PageQuery query,
        CancellationToken ct) =>
        HistoryAsync<BreachRow, BreachResponse>(caller, coupleId, query, BreachesSql, "couple_breach",
            r => r.RecordedAt, r => r.Id, r => r.ToResponse(), careTeamOnly: false, ct);

    public Task<Page<SafetyScreeningResponse>?> ScreeningsAsync(Caller caller, Guid coupleId, PageQuery query,
        CancellationToken ct) =>
        HistoryAsync<ScreeningRow, SafetyScreeningResponse>(caller, coupleId, query, ScreeningsSql, "safety_screening",
            r => r.ScreenedAt, r => r.Id, r => r.ToResponse(), careTeamOnly: true, ct);

    private async Task<Page<TOut>?> HistoryAsync<TRow, TOut>(Caller caller, Guid coupleId, PageQuery query, string sql,
        string resource,
        Func<TRow, DateTime> at, Func<TRow, Guid> key, Func<TRow, TOut> map, bool careTeamOnly, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
        CoupleRow? couple;
        List<TRow> rows;
        await using (var c = await db.BeginReadAsync(ct))
        {
            couple = careTeamOnly
                ? await CoupleReads.FindForCareTeamAsync(c, caller, coupleId, ct)
                : await CoupleReads.FindAsync(c, caller, coupleId, ct);
            if (couple is null) return null;
            rows = await c.QueryAsync<TRow>(sql, new
            {
                caller.PracticeId, CoupleId = coupleId, AfterAt = afterAt, AfterId = afterId, Limit = limit + 1,
            });
        }

        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, resource, coupleId, couple.Partners), ct);
        var kept = rows.Take(limit).ToList();
        return new Page<TOut>(kept.Select(map).ToList(), rows.Count > limit ? Cursor.EncodeTimeAndId(at(kept[^1]),
            key(kept[^1])) : null);
    }
}
