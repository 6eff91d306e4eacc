using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Couples;

/// <summary>
/// What a couple's case records as it goes: a breach of trust, and a partner's safety screening (care team only), which
/// puts the couple on safety hold or lifts it from each partner's latest screening.
/// </summary>
internal sealed class RecordOnCouple(Db db, AuditLog audit, Outbox outbox, TimeProvider clock, CareChanges changes)
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
        INSERT INTO SafetyScreenings (Id, PracticeId, CoupleId, ClientId, AbuseOrDanger, UntreatedAddiction, Notes,
            ScreenedBy, ScreenedAt)
        VALUES (@Id, @PracticeId, @CoupleId, @ClientId, @AbuseOrDanger, @UntreatedAddiction, @Notes, @ScreenedBy, @Now)
        """;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<Outcome<BreachResponse>> RecordBreachAsync(Caller caller, Guid coupleId, BreachRequest request,
        CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var couple = await CoupleReads.FindAsync(c, caller, coupleId, ct);
        if (couple is null) return Failure.NotFound("couple");
        if (couple.Status == CoupleStatus.Closed.Wire()) return CareRules.CoupleClosed();
        var id = EntityIds.New();
        var now = Now;
        await c.ExecuteAsync(InsertBreachSql, new
        {
            Id = id, caller.PracticeId, CoupleId = coupleId, request.OccurredOn, Type = request.Type.Wire(), Note = request.Note?.Trim(),
            RecordedBy = caller.ActorId, Now = now,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "couple_breach", id, couple.Partners));
        await c.CommitAsync();
        return new BreachResponse(id, request.OccurredOn, request.Type, request.Note?.Trim(),
            caller.ActorId, now);
    }

    /// <summary>Records a screening (care team only) and puts the couple on or off safety hold from each partner's
    /// latest one.</summary>
    public async Task<Outcome<SafetyScreeningResponse>> AddScreeningAsync(Caller caller, Guid coupleId,
        SafetyScreeningRequest request, CancellationToken ct)
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
            await outbox.PublishAsync(c, caller.PracticeId, EventType.CoupleSafetyHoldChanged, "coupleId", coupleId,
                couple.Partners, ct, ("safetyHold", hold));
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "safety_screening", id,
            [request.ClientId],
            Detail: hold == couple.SafetyHold ? null : hold ? "safety hold on" : "safety hold off"));
        await c.CommitAsync();
        // A lifted safety hold lets the programs' waiting conjoint and shared items through.
        await changes.RaiseAsync(new CoupleChanged(caller.PracticeId, coupleId), ct);
        return new SafetyScreeningResponse(id, request.ClientId, request.AbuseOrDanger, request.UntreatedAddiction,
            request.Notes?.Trim(), caller.ActorId, now);
    }
}
