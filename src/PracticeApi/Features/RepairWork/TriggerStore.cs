using PracticeApi.Features.Couples;

namespace PracticeApi.Features.RepairWork;

/// <summary>The couple's trigger plan, the log of trigger episodes, and the milestones they mark.</summary>
internal sealed class TriggerStore(Db db, AuditLog audit, PracticeCalendar calendar)
{
    private const string PlanSql = "SELECT CoupleId, [Plan], Version, UpdatedBy, UpdatedAt FROM TriggerPlans WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId";

    private const string InsertPlanSql = """
        INSERT INTO TriggerPlans (CoupleId, PracticeId, [Plan], Version, UpdatedBy, UpdatedAt) VALUES (@CoupleId,
            @PracticeId, @Plan, 1, @UpdatedBy, @Now)
        """;

    private const string UpdatePlanSql = """
        UPDATE TriggerPlans SET [Plan] = @Plan, Version = Version + 1, UpdatedBy = @UpdatedBy, UpdatedAt = @Now
        WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId AND Version = @Expected
        """;

    internal const string EpisodeColumns = "Id, CoupleId, ClientId, OccurredAt, Intensity, TriggerText, WhatHelped, RecordedBy, RecordedAt";

    private const string InsertEpisodeSql = """
        INSERT INTO TriggerEpisodes (Id, PracticeId, CoupleId, ClientId, OccurredAt, Intensity, TriggerText,
            WhatHelped, RecordedBy, RecordedAt)
        VALUES (@Id, @PracticeId, @CoupleId, @ClientId, @OccurredAt, @Intensity, @Trigger, @WhatHelped,
            @RecordedBy, @Now)
        """;

    // Newest first; a partner sees only their own episodes, staff see both partners'.
    private static readonly string EpisodesSql = $"""
        SELECT {EpisodeColumns} FROM TriggerEpisodes
        WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId AND (@Only IS NULL OR ClientId = @Only)
          AND (@AfterAt IS NULL OR OccurredAt < @AfterAt OR (OccurredAt = @AfterAt AND Id < @AfterId))
        ORDER BY OccurredAt DESC, Id DESC {SqlDialect.Limit}
        """;

    private const string InsertMilestoneSql = """
        INSERT INTO Milestones (Id, PracticeId, CoupleId, Title, OccurredOn, Note, RecordedBy,
            RecordedByKind, RecordedAt)
        VALUES (@Id, @PracticeId, @CoupleId, @Title, @OccurredOn, @Note, @RecordedBy, @Kind, @Now)
        """;

    private static readonly string MilestonesSql = $"""
        SELECT Id, Title, OccurredOn, Note, RecordedBy, RecordedByKind, RecordedAt FROM Milestones
        WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId
          AND (@AfterOn IS NULL OR OccurredOn > @AfterOn OR (OccurredOn = @AfterOn AND Id > @AfterId))
        ORDER BY OccurredOn, Id {SqlDialect.Limit}
        """;

    private sealed record PlanRow
    {
        public Guid CoupleId { get; init; }
        public string Plan { get; init; } = "[]";
        public int Version { get; init; }
        public Guid? UpdatedBy { get; init; }
        public DateTime UpdatedAt { get; init; }

        public TriggerPlanResponse ToResponse() => new(CoupleId, StoredJson.Read<List<PartnerTriggerPlan>>(Plan),
            Version, UpdatedBy, UpdatedAt);
    }

    private sealed record MilestoneRow
    {
        public Guid Id { get; init; }
        public string Title { get; init; } = "";
        public DateOnly OccurredOn { get; init; }
        public string? Note { get; init; }
        public Guid? RecordedBy { get; init; }
        public string RecordedByKind { get; init; } = "";
        public DateTime RecordedAt { get; init; }

        public MilestoneResponse ToResponse() => new(Id, Title, OccurredOn, Note, RecordedBy,
            ClosedSets.Parse<MilestoneRecorder>(RecordedByKind),
            RecordedAt);
    }

    public async Task<Outcome<TriggerPlanResponse>> GetPlanAsync(Caller caller, Guid coupleId, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var couple = await CoupleAccess.FindAsync(c, caller, coupleId, ct);
        if (couple is null) return Failure.NotFound("couple");
        var plan = await c.QuerySingleOrDefaultAsync<PlanRow>(PlanSql, new { caller.PracticeId, CoupleId = coupleId });
        if (plan is null) return Failure.NotFound("trigger plan for this couple (write it with PUT)");
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "trigger_plan", coupleId,
            couple.Partners), ct);
        return plan.ToResponse();
    }

    /// <summary>The current plan, read to write the next one (the write is the audited act).</summary>
    internal async Task<TriggerPlanResponse?> CurrentPlanAsync(Guid practiceId, Guid coupleId, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<PlanRow>(PlanSql, new { PracticeId = practiceId,
            CoupleId = coupleId }))?.ToResponse();
    }

    public async Task<Outcome<TriggerPlanResponse>> PutPlanAsync(Caller caller, Guid coupleId,
        TriggerPlanRequest request, int? expected, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var open = await CoupleAccess.FindForChangeAsync(c, caller, coupleId, ct);
        if (!open.Succeeded) return open.Failure!;
        var couple = open.Value!;
        if (request.Partners.FirstOrDefault(p => !couple.Partners.Contains(p.ClientId)) is { } stranger)
        {
            return Failure.NotFound($"client {stranger.ClientId} among this couple's partners");
        }

        var current = await c.QuerySingleOrDefaultAsync<PlanRow>(PlanSql, new { caller.PracticeId,
            CoupleId = coupleId });
        if (expected is not null && expected != (current?.Version ?? 0)) return Failure.Stale;
        if (await SafetyHold.CheckAsync(c, audit, caller, couple, request.SafetyOverrideReason, "a trigger plan",
            "trigger_plan", coupleId, ct) is { } held)
        {
            return held;
        }

        var args = new
        {
            caller.PracticeId, CoupleId = coupleId, UpdatedBy = caller.ActorId, calendar.Now, Expected = current?.Version,
            Plan = StoredJson.Write(request.Partners.Select(p => p with
            {
                MyTriggers = p.MyTriggers?.Trim(), MySteps = p.MySteps?.Trim(), WhatIAskOfYou = p.WhatIAskOfYou?.Trim(), WhenYouAreTriggered = p.WhenYouAreTriggered?.Trim(),
            })),
        };
        await c.ExecuteAsync(current is null ? InsertPlanSql : UpdatePlanSql, args);
        await audit.WriteAsync(c, caller, new AuditEntry(current is null ? AuditAction.Create : AuditAction.Update,
            "trigger_plan", coupleId, couple.Partners));
        var saved = await c.QuerySingleAsync<PlanRow>(PlanSql, new { caller.PracticeId, CoupleId = coupleId });
        await c.CommitAsync();
        return saved.ToResponse();
    }

    public async Task<Outcome<TriggerEpisodeResponse>> LogEpisodeAsync(Caller caller, Guid coupleId,
        TriggerEpisodeRequest request, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var open = await CoupleAccess.FindForChangeAsync(c, caller, coupleId, ct);
        if (!open.Succeeded) return open.Failure!;
        var couple = open.Value!;
        if (CoupleAccess.CheckActingPartner(caller, couple, request.ClientId) is { } notAllowed) return notAllowed;
        var id = EntityIds.New();
        var now = calendar.Now;
        await c.ExecuteAsync(InsertEpisodeSql, new
        {
            Id = id, caller.PracticeId, CoupleId = coupleId, request.ClientId, request.OccurredAt, request.Intensity,
            Trigger = request.Trigger?.Trim(), WhatHelped = request.WhatHelped?.Trim(), RecordedBy = caller.ActorId, Now = now,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "trigger_episode", id,
            [request.ClientId]));
        await c.CommitAsync();
        return new TriggerEpisodeResponse(id, request.ClientId, request.OccurredAt, request.Intensity,
            request.Trigger?.Trim(), request.WhatHelped?.Trim(), caller.ActorId, now);
    }

    public async Task<Outcome<Page<TriggerEpisodeResponse>>> EpisodesAsync(Caller caller, Guid coupleId,
        PageQuery query, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
        CoupleRow? couple;
        List<TriggerReads.EpisodeRow> rows;
        await using (var c = await db.BeginReadAsync(ct))
        {
            couple = await CoupleAccess.FindAsync(c, caller, coupleId, ct);
            if (couple is null) return Failure.NotFound("couple");
            rows = await c.QueryAsync<TriggerReads.EpisodeRow>(EpisodesSql, new
            {
                caller.PracticeId, CoupleId = coupleId, Only = caller.IsPortal
                    ? caller.ClientId : null, AfterAt = afterAt, AfterId = afterId, Limit = limit + 1,
            });
        }

        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "trigger_episode", coupleId,
            caller.IsPortal ? [caller.ClientId!.Value] : couple.Partners), ct);
        return Cursor.ToPage(rows, limit, r => [DapperTypeHandlers.ToText(r.OccurredAt), r.Id.ToString()],
            r => r.ToResponse());
    }

    public async Task<Outcome<MilestoneResponse>> AddMilestoneAsync(Caller caller, Guid coupleId,
        MilestoneRequest request, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var open = await CoupleAccess.FindForChangeAsync(c, caller, coupleId, ct);
        if (!open.Succeeded) return open.Failure!;
        var couple = open.Value!;
        var id = EntityIds.New();
        var now = calendar.Now;
        var kind = caller.IsPortal ? MilestoneRecorder.Partner : MilestoneRecorder.Therapist;
        await c.ExecuteAsync(InsertMilestoneSql, new
        {
            Id = id, caller.PracticeId, CoupleId = coupleId, Title = request.Title.Trim(), request.OccurredOn, Note = request.Note?.Trim(),
            RecordedBy = caller.ActorId, Kind = kind.Wire(), Now = now,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "milestone", id, couple.Partners));
        await c.CommitAsync();
        return new MilestoneResponse(id, request.Title.Trim(), request.OccurredOn, request.Note?.Trim(),
            caller.ActorId, kind, now);
    }

    public async Task<Outcome<Page<MilestoneResponse>>> MilestonesAsync(Caller caller, Guid coupleId, PageQuery query,
        CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        var (afterOn, afterId) = Cursor.DecodeDateAndId(query.Cursor);
        CoupleRow? couple;
        List<MilestoneRow> rows;
        await using (var c = await db.BeginReadAsync(ct))
        {
            couple = await CoupleAccess.FindAsync(c, caller, coupleId, ct);
            if (couple is null) return Failure.NotFound("couple");
            rows = await c.QueryAsync<MilestoneRow>(MilestonesSql, new
            {
                caller.PracticeId, CoupleId = coupleId, AfterOn = afterOn, AfterId = afterId, Limit = limit + 1,
            });
        }

        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "milestone", coupleId, couple.Partners), ct);
        return Cursor.ToPage(rows, limit, r => [r.OccurredOn.ToString("yyyy-MM-dd",
            System.Globalization.CultureInfo.InvariantCulture), r.Id.ToString()], r => r.ToResponse());
    }

}
