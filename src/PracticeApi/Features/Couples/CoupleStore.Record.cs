using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Couples;

/// <summary>What a couple's case records over time: breaches, safety screenings (which set and lift the hold), and its histories.</summary>
internal sealed partial class CoupleStore
{
    private const string SafetyHoldSql = """
        UPDATE Couples SET SafetyHold = @SafetyHold, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId
        """;

    private const string InsertBreachSql = """
        INSERT INTO CoupleBreaches (Id, PracticeId, CoupleId, OccurredOn, BreachType, Note, RecordedBy, RecordedAt)
        VALUES (@Id, @PracticeId, @CoupleId, @OccurredOn, @Type, @Note, @RecordedBy, @Now)
        """;

    private const string InsertScreeningSql = """
        INSERT INTO SafetyScreenings (Id, PracticeId, CoupleId, ClientId, AbuseOrDanger, UntreatedAddiction, Notes, ScreenedBy, ScreenedAt)
        VALUES (@Id, @PracticeId, @CoupleId, @ClientId, @AbuseOrDanger, @UntreatedAddiction, @Notes, @ScreenedBy, @Now)
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

    public async Task<Outcome<BreachResponse>> RecordBreachAsync(Caller caller, Guid coupleId, BreachRequest request, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var couple = await CoupleReads.FindAsync(c, caller, coupleId, ct);
        if (couple is null) return Failure.NotFound("couple");
        if (couple.Status == CoupleStatuses.Closed) return CareRules.CoupleClosed();
        var id = EntityIds.New();
        var now = Now;
        await c.ExecuteAsync(InsertBreachSql, new
        {
            Id = id, caller.PracticeId, CoupleId = coupleId, request.OccurredOn, Type = request.Type.Wire(), Note = request.Note?.Trim(),
            RecordedBy = caller.ActorId, Now = now,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Create, "couple_breach", id, couple.Partners));
        await c.CommitAsync();
        return new BreachResponse(id, request.OccurredOn, request.Type.Wire(), request.Note?.Trim(), caller.ActorId, now);
    }

    /// <summary>Records a screening (care team only) and puts the couple on or off safety hold from each partner's latest one.</summary>
    public async Task<Outcome<SafetyScreeningResponse>> AddScreeningAsync(Caller caller, Guid coupleId, SafetyScreeningRequest request, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var couple = await CoupleReads.FindForCareTeamAsync(c, caller, coupleId, ct);
        if (couple is null) return Failure.NotFound("couple");
        if (!couple.Partners.Contains(request.ClientId))
        {
            return Failure.NotFound("client among this couple's partners");
        }

        var id = EntityIds.New();
        var now = Now;
        await c.ExecuteAsync(InsertScreeningSql, new
        {
            Id = id, caller.PracticeId, CoupleId = coupleId, request.ClientId, request.AbuseOrDanger, request.UntreatedAddiction,
            Notes = request.Notes?.Trim(), ScreenedBy = caller.ActorId, Now = now,
        });

        var hold = (await SafetyHold.LatestScreeningsAsync(c, caller.PracticeId, coupleId)).Any(s => s.RaisesConcern);
        if (hold != couple.SafetyHold)
        {
            await c.ExecuteAsync(SafetyHoldSql, new { Id = coupleId, caller.PracticeId, SafetyHold = hold, Now = now });
            await outbox.PublishAsync(c, caller.PracticeId, EventTypes.CoupleSafetyHoldChanged, "coupleId", coupleId, couple.Partners, ct,
                ("safetyHold", hold));
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Create, "safety_screening", id, [request.ClientId],
            Detail: hold == couple.SafetyHold ? null : hold ? "safety hold on" : "safety hold off"));
        await c.CommitAsync();
        // A lifted safety hold lets the programs' waiting conjoint and shared items through.
        await changes.RaiseAsync(new CoupleChanged(caller.PracticeId, coupleId), ct);
        return new SafetyScreeningResponse(id, request.ClientId, request.AbuseOrDanger, request.UntreatedAddiction, request.Notes?.Trim(), caller.ActorId, now);
    }

    public Task<Page<StepChangeResponse>?> StepsAsync(Caller caller, Guid coupleId, PageQuery query, CancellationToken ct) =>
        HistoryAsync<StepChangeRow, StepChangeResponse>(caller, coupleId, query, StepsSql, "couple_steps", r => r.ChangedAt, r => r.Id, r => r.ToResponse(),
            careTeamOnly: false, ct);

    public Task<Page<BreachResponse>?> BreachesAsync(Caller caller, Guid coupleId, PageQuery query, CancellationToken ct) =>
        HistoryAsync<BreachRow, BreachResponse>(caller, coupleId, query, BreachesSql, "couple_breach", r => r.RecordedAt, r => r.Id, r => r.ToResponse(),
            careTeamOnly: false, ct);

    public Task<Page<SafetyScreeningResponse>?> ScreeningsAsync(Caller caller, Guid coupleId, PageQuery query, CancellationToken ct) =>
        HistoryAsync<ScreeningRow, SafetyScreeningResponse>(caller, coupleId, query, ScreeningsSql, "safety_screening", r => r.ScreenedAt, r => r.Id,
            r => r.ToResponse(), careTeamOnly: true, ct);

    private async Task<Page<TOut>?> HistoryAsync<TRow, TOut>(Caller caller, Guid coupleId, PageQuery query, string sql, string resource,
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

        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, resource, coupleId, couple.Partners), ct);
        var kept = rows.Take(limit).ToList();
        return new Page<TOut>(kept.Select(map).ToList(), rows.Count > limit ? Cursor.EncodeTimeAndId(at(kept[^1]), key(kept[^1])) : null);
    }
}
