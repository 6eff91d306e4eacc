namespace PracticeApi.Features.Couples;

/// <summary>
/// Opens a couple's case: two clients in care on the caller's caseload, not already an open couple together; the case
/// starts at step 1 with its first step change recorded.
/// </summary>
internal sealed class OpenCouple(Db db, AuditLog audit, TimeProvider clock)
{
    private const string InsertSql = """
        INSERT INTO Couples (Id, PracticeId, PartnerAId, PartnerBId, PairKey, PartnerARole, PartnerBRole, BreachType,
            DisclosedOn, StartedOn, Status, CurrentStep, StepChangedAt, SafetyHold, Version, CreatedAt, UpdatedAt)
        VALUES (@Id, @PracticeId, @PartnerAId, @PartnerBId, @PairKey, @PartnerARole, @PartnerBRole, @BreachType,
            @DisclosedOn, @StartedOn, 'active', 1, @Now, 0, 1, @Now, @Now)
        """;

    private const string OpenPairSql = """
        SELECT Id FROM Couples WHERE PracticeId = @PracticeId AND PairKey = @PairKey AND Status IN ('active',
            'paused') AND Id <> @Id
        """;

    internal const string InsertStepSql = """
        INSERT INTO CoupleStepChanges (Id, PracticeId, CoupleId, FromStep, ToStep, Note, ChangedBy, ChangedAt)
        VALUES (@Id, @PracticeId, @CoupleId, @FromStep, @ToStep, @Note, @ChangedBy, @Now)
        """;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(Now);

    public async Task<Outcome<CoupleResponse>> CreateAsync(Caller caller, CreateCoupleRequest request,
        CancellationToken ct)
    {
        var id = EntityIds.New();
        var pairKey = PairKey(request.PartnerAId, request.PartnerBId);
        await using var c = await db.BeginWriteAsync(ct);
        if (await CareRules.CheckInCareAsync(c, caller, [request.PartnerAId,
            request.PartnerBId]) is { } notInCare) return notInCare;

        if (await c.QueryFirstOrDefaultAsync<Guid?>(OpenPairSql, new { caller.PracticeId, PairKey = pairKey,
            Id = id }) is { } existing)
        {
            return DuplicateCouple(existing);
        }

        var now = Now;
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, request.PartnerAId, request.PartnerBId, PairKey = pairKey,
            PartnerARole = request.PartnerARole.Wire(), PartnerBRole = request.PartnerBRole.Wire(), BreachType = request.BreachType.Wire(), request.DisclosedOn, StartedOn = request.StartedOn ?? Today, Now = now,
        });
        await c.ExecuteAsync(InsertStepSql, new
        {
            Id = Guid.CreateVersion7(), caller.PracticeId, CoupleId = id, FromStep = (int?)null, ToStep = 1,
            Note = (string?)null, ChangedBy = caller.ActorId, Now = now,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "couple", id, [request.PartnerAId,
            request.PartnerBId]));
        var row = await CoupleReads.FindAsync(c, caller, id, ct);
        await c.CommitAsync();
        return row!.ToResponse(Today);
    }

    /// <summary>The same two people give the same key whatever their order: the open-pair unique index uses
    /// it.</summary>
    public static string PairKey(Guid a, Guid b)
    {
        var (x, y) = (a.ToString("D"), b.ToString("D"));
        return string.CompareOrdinal(x, y) < 0 ? $"{x}:{y}" : $"{y}:{x}";
    }


    internal static Failure DuplicateCouple(Guid? existing) =>
        Failure.Conflict("duplicate-couple", "These two clients already form an open couple",
            "Close or reopen the existing couple instead of creating a second one.",
            existing is null ? null : new Dictionary<string, object?> { ["existingCoupleId"] = existing });
}
