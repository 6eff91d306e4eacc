using System.Data.Common;
using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Couples;

internal sealed class CoupleStore(Db db, AuditLog audit, TimeProvider clock, Outbox outbox, CareChanges changes)
{
    public const string Columns = """
        c.Id, c.PracticeId, c.PartnerAId, c.PartnerBId, c.PartnerARole, c.PartnerBRole, c.BreachType, c.DisclosedOn, c.StartedOn,
        c.Status, c.CurrentStep, c.SafetyHold, c.ClosedAt, c.Version, c.CreatedAt, c.UpdatedAt
        """;

    private static readonly string GetSql =
        $"SELECT {Columns} FROM Couples c WHERE c.Id = @Id AND c.PracticeId = @PracticeId AND {Caseload.Couple("c")}";

    private static readonly string ListSql = $"""
        SELECT {Columns} FROM Couples c
        WHERE c.PracticeId = @PracticeId AND c.Id > @After
          AND (@ClientId IS NULL OR c.PartnerAId = @ClientId OR c.PartnerBId = @ClientId)
          AND (@Status IS NULL OR c.Status = @Status) AND (@SafetyHold IS NULL OR c.SafetyHold = @SafetyHold)
          AND {Caseload.Couple("c")}
        ORDER BY c.Id {SqlDialect.Limit}
        """;

    private static readonly string CareTeamOnlySql =
        $"SELECT c.Id FROM Couples c WHERE c.Id = @Id AND c.PracticeId = @PracticeId AND {Caseload.CareTeamOfCouple("c")}";

    private const string InsertSql = """
        INSERT INTO Couples (Id, PracticeId, PartnerAId, PartnerBId, PairKey, PartnerARole, PartnerBRole, BreachType, DisclosedOn, StartedOn,
                             Status, CurrentStep, StepChangedAt, SafetyHold, Version, CreatedAt, UpdatedAt)
        VALUES (@Id, @PracticeId, @PartnerAId, @PartnerBId, @PairKey, @PartnerARole, @PartnerBRole, @BreachType, @DisclosedOn, @StartedOn,
                'active', 1, @Now, 0, 1, @Now, @Now)
        """;

    private const string OpenPairSql = """
        SELECT Id FROM Couples WHERE PracticeId = @PracticeId AND PairKey = @PairKey AND Status IN ('active', 'paused') AND Id <> @Id
        """;

    private const string UpdateSql = """
        UPDATE Couples SET BreachType = @BreachType, PartnerARole = @PartnerARole, PartnerBRole = @PartnerBRole, DisclosedOn = @DisclosedOn,
               StartedOn = @StartedOn, Status = @Status, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    private const string CloseSql = """
        UPDATE Couples SET Status = 'closed', ClosedAt = @Now, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    private const string StepSql = """
        UPDATE Couples SET CurrentStep = @ToStep, StepChangedAt = @Now, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    private const string SafetyHoldSql = """
        UPDATE Couples SET SafetyHold = @SafetyHold, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId
        """;

    private const string InsertStepSql = """
        INSERT INTO CoupleStepChanges (Id, PracticeId, CoupleId, FromStep, ToStep, Note, ChangedBy, ChangedAt)
        VALUES (@Id, @PracticeId, @CoupleId, @FromStep, @ToStep, @Note, @ChangedBy, @Now)
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

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(Now);

    public async Task<Outcome<CoupleResponse>> CreateAsync(Caller caller, CreateCoupleRequest request, CancellationToken ct)
    {
        var id = EntityIds.New();
        var pairKey = PairKey(request.PartnerAId, request.PartnerBId);
        await using var c = await db.BeginWriteAsync(ct);
        if (await CareRules.CheckInCareAsync(c, caller, [request.PartnerAId, request.PartnerBId]) is { } notInCare) return notInCare;

        if (await c.QueryFirstOrDefaultAsync<Guid?>(OpenPairSql, new { caller.PracticeId, PairKey = pairKey, Id = id }) is { } existing)
        {
            return DuplicateCouple(existing);
        }

        var now = Now;
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, request.PartnerAId, request.PartnerBId, PairKey = pairKey, request.PartnerARole, request.PartnerBRole,
            request.BreachType, request.DisclosedOn, StartedOn = request.StartedOn ?? Today, Now = now,
        });
        await c.ExecuteAsync(InsertStepSql, new
        {
            Id = Guid.CreateVersion7(), caller.PracticeId, CoupleId = id, FromStep = (int?)null, ToStep = 1,
            Note = (string?)null, ChangedBy = caller.ActorId, Now = now,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Create, "couple", id, [request.PartnerAId, request.PartnerBId]));
        var row = await FindAsync(c, caller, id, ct);
        await c.CommitAsync();
        return row!.ToResponse(Today);
    }

    public async Task<CoupleResponse?> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        CoupleRow? row;
        await using (var c = await db.BeginReadAsync(ct))
        {
            row = await FindAsync(c, caller, id, ct);
        }

        if (row is null) return null;
        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "couple", id, row.Partners), ct);
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
                caller.PracticeId, Caseload = caller.CaseloadTherapistId, After = Cursor.After(query.Cursor),
                query.ClientId, query.Status, query.SafetyHold, Limit = limit + 1,
            });
        }

        var page = Cursor.ToPage(rows, limit, r => [r.Id.ToString()], r => r);
        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "couple", null, page.Items.SelectMany(r => r.Partners).ToList(), Detail: "list"), ct);
        return new Page<CoupleResponse>(page.Items.Select(r => r.ToResponse(Today)).ToList(), page.NextCursor);
    }

    public async Task<Outcome<CoupleResponse>> UpdateAsync(Caller caller, Guid id, UpdateCoupleRequest request, int? expected, CancellationToken ct) =>
        await ChangeAsync(caller, id, expected, async (c, couple) =>
        {
            if (couple.Status == CoupleStatuses.Closed) return CareRules.CoupleClosed();
            await c.ExecuteAsync(UpdateSql, new
            {
                Id = id, caller.PracticeId, request.BreachType, request.PartnerARole, request.PartnerBRole, request.DisclosedOn,
                request.StartedOn, request.Status, Expected = couple.Version, Now,
            });
            return new AuditEntry(AuditActions.Update, "couple", id, couple.Partners);
        }, ct);

    public async Task<Outcome<CoupleResponse>> CloseAsync(Caller caller, Guid id, CancellationToken ct) =>
        await ChangeAsync(caller, id, null, async (c, couple) =>
        {
            if (couple.Status == CoupleStatuses.Closed) return CareRules.CoupleClosed();
            await c.ExecuteAsync(CloseSql, new { Id = id, caller.PracticeId, Expected = couple.Version, Now });
            return new AuditEntry(AuditActions.Update, "couple", id, couple.Partners, Detail: "closed");
        }, ct);

    /// <summary>Moves the couple to another repair step, forward or back; every move is kept in the history.</summary>
    public async Task<Outcome<CoupleResponse>> ChangeStepAsync(Caller caller, Guid id, StepRequest request, CancellationToken ct) =>
        await ChangeAsync(caller, id, null, async (c, couple) =>
        {
            if (couple.Status == CoupleStatuses.Closed) return CareRules.CoupleClosed();
            if (couple.CurrentStep == request.Step)
            {
                return Failure.Conflict("invalid-transition", "Step unchanged", $"The couple is already at step {request.Step}.");
            }

            await c.ExecuteAsync(StepSql, new { Id = id, caller.PracticeId, ToStep = request.Step, Expected = couple.Version, Now });
            await c.ExecuteAsync(InsertStepSql, new
            {
                Id = Guid.CreateVersion7(), caller.PracticeId, CoupleId = id, FromStep = (int?)couple.CurrentStep, ToStep = request.Step,
                Note = request.Note?.Trim(), ChangedBy = caller.ActorId, Now,
            });
            return new AuditEntry(AuditActions.Update, "couple", id, couple.Partners, Detail: $"step {couple.CurrentStep} -> {request.Step}");
        }, ct);

    public async Task<Outcome<BreachResponse>> RecordBreachAsync(Caller caller, Guid coupleId, BreachRequest request, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var couple = await FindAsync(c, caller, coupleId, ct);
        if (couple is null) return Failure.NotFound("couple");
        if (couple.Status == CoupleStatuses.Closed) return CareRules.CoupleClosed();
        var id = EntityIds.New();
        var now = Now;
        await c.ExecuteAsync(InsertBreachSql, new
        {
            Id = id, caller.PracticeId, CoupleId = coupleId, request.OccurredOn, request.Type, Note = request.Note?.Trim(),
            RecordedBy = caller.ActorId, Now = now,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Create, "couple_breach", id, couple.Partners));
        await c.CommitAsync();
        return new BreachResponse(id, request.OccurredOn, request.Type, request.Note?.Trim(), caller.ActorId, now);
    }

    /// <summary>Records a screening (care team only) and puts the couple on or off safety hold from each partner's latest one.</summary>
    public async Task<Outcome<SafetyScreeningResponse>> AddScreeningAsync(Caller caller, Guid coupleId, SafetyScreeningRequest request, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var couple = await FindForCareTeamAsync(c, caller, coupleId, ct);
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

    public static Task<CoupleRow?> FindAsync(DbSession c, Caller caller, Guid id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<CoupleRow>(GetSql, new { Id = id, caller.PracticeId, Caseload = caller.CaseloadTherapistId });

    /// <summary>
    /// Safety screenings (and the therapist's repair assessments) are for the care team of the partners only, admins
    /// included only when they are on it.
    /// </summary>
    internal static async Task<CoupleRow?> FindForCareTeamAsync(DbSession c, Caller caller, Guid id, CancellationToken ct)
    {
        if (caller.TherapistId is not { } member) return null;
        var onCareTeam = await c.QuerySingleOrDefaultAsync<Guid?>(CareTeamOnlySql, new { Id = id, caller.PracticeId, Member = member });
        return onCareTeam is null ? null : await FindAsync(c, caller, id, ct);
    }

    private async Task<Outcome<CoupleResponse>> ChangeAsync(Caller caller, Guid id, int? expected,
        Func<DbWrite, CoupleRow, Task<Outcome<AuditEntry>>> change, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var couple = await FindAsync(c, caller, id, ct);
        if (couple is null) return Failure.NotFound("couple");
        if (expected is not null && expected != couple.Version) return Failure.Stale;
        Outcome<AuditEntry> entry;
        try
        {
            entry = await change(c, couple);
        }
        catch (DbException e) when (ApiExceptionHandler.IsUniqueViolation(e))
        {
            return DuplicateCouple(null);
        }

        if (!entry.Succeeded) return entry.Failure!;
        await audit.WriteAsync(c, caller, entry.Value!);
        var row = await FindAsync(c, caller, id, ct);
        await c.CommitAsync();
        // A resumed case or a new step may start program items (nothing is made for a case that is not active).
        await changes.RaiseAsync(new CoupleChanged(caller.PracticeId, id), ct);
        return row!.ToResponse(Today);
    }

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
                ? await FindForCareTeamAsync(c, caller, coupleId, ct)
                : await FindAsync(c, caller, coupleId, ct);
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

    /// <summary>The same two people give the same key whatever their order: the open-pair unique index uses it.</summary>
    public static string PairKey(Guid a, Guid b)
    {
        var (x, y) = (a.ToString("D"), b.ToString("D"));
        return string.CompareOrdinal(x, y) < 0 ? $"{x}:{y}" : $"{y}:{x}";
    }

    /// <summary>A closed couple's record is kept as it was: no changes, no new sessions or exercises.</summary>
    private static Failure DuplicateCouple(Guid? existing) =>
        Failure.Conflict("duplicate-couple", "These two clients already form an open couple",
            "Close or reopen the existing couple instead of creating a second one.",
            existing is null ? null : new Dictionary<string, object?> { ["existingCoupleId"] = existing });
}
