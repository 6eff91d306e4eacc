using System.Data.Common;
using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Couples;

internal sealed partial class CoupleStore(Db db, AuditLog audit, TimeProvider clock, Outbox outbox, CareChanges changes)
{
    private static readonly string ListSql = $"""
        SELECT {CoupleReads.Columns} FROM Couples c
        WHERE c.PracticeId = @PracticeId AND c.Id > @After
          AND (@ClientId IS NULL OR c.PartnerAId = @ClientId OR c.PartnerBId = @ClientId)
          AND (@Status IS NULL OR c.Status = @Status) AND (@SafetyHold IS NULL OR c.SafetyHold = @SafetyHold)
          AND {Caseload.Couple("c")}
        ORDER BY c.Id {SqlDialect.Limit}
        """;

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

    private const string InsertStepSql = """
        INSERT INTO CoupleStepChanges (Id, PracticeId, CoupleId, FromStep, ToStep, Note, ChangedBy, ChangedAt)
        VALUES (@Id, @PracticeId, @CoupleId, @FromStep, @ToStep, @Note, @ChangedBy, @Now)
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
            Id = id, caller.PracticeId, request.PartnerAId, request.PartnerBId, PairKey = pairKey,
            PartnerARole = request.PartnerARole.Wire(), PartnerBRole = request.PartnerBRole.Wire(), BreachType = request.BreachType.Wire(), request.DisclosedOn, StartedOn = request.StartedOn ?? Today, Now = now,
        });
        await c.ExecuteAsync(InsertStepSql, new
        {
            Id = Guid.CreateVersion7(), caller.PracticeId, CoupleId = id, FromStep = (int?)null, ToStep = 1,
            Note = (string?)null, ChangedBy = caller.ActorId, Now = now,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Create, "couple", id, [request.PartnerAId, request.PartnerBId]));
        var row = await CoupleReads.FindAsync(c, caller, id, ct);
        await c.CommitAsync();
        return row!.ToResponse(Today);
    }

    public async Task<CoupleResponse?> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        CoupleRow? row;
        await using (var c = await db.BeginReadAsync(ct))
        {
            row = await CoupleReads.FindAsync(c, caller, id, ct);
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
                caller.PracticeId, Caseload = caller.Caseload, After = Cursor.After(query.Cursor),
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
                Id = id, caller.PracticeId, BreachType = request.BreachType.Wire(), PartnerARole = request.PartnerARole.Wire(),
                PartnerBRole = request.PartnerBRole.Wire(), request.DisclosedOn,
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

    private async Task<Outcome<CoupleResponse>> ChangeAsync(Caller caller, Guid id, int? expected,
        Func<DbWrite, CoupleRow, Task<Outcome<AuditEntry>>> change, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var couple = await CoupleReads.FindAsync(c, caller, id, ct);
        if (couple is null) return Failure.NotFound("couple");
        if (expected is not null && expected != couple.Version) return Failure.Stale;
        Outcome<AuditEntry> entry;
        try
        {
            entry = await change(c, couple);
        }
        catch (DbException e) when (DbErrors.IsUniqueViolation(e))
        {
            return DuplicateCouple(null);
        }

        if (!entry.Succeeded) return entry.Failure!;
        await audit.WriteAsync(c, caller, entry.Value!);
        var row = await CoupleReads.FindAsync(c, caller, id, ct);
        await c.CommitAsync();
        // A resumed case or a new step may start program items (nothing is made for a case that is not active).
        await changes.RaiseAsync(new CoupleChanged(caller.PracticeId, id), ct);
        return row!.ToResponse(Today);
    }

    /// <summary>The same two people give the same key whatever their order: the open-pair unique index uses it.</summary>
    public static string PairKey(Guid a, Guid b)
    {
        var (x, y) = (a.ToString("D"), b.ToString("D"));
        return string.CompareOrdinal(x, y) < 0 ? $"{x}:{y}" : $"{y}:{x}";
    }

    private static Failure DuplicateCouple(Guid? existing) =>
        Failure.Conflict("duplicate-couple", "These two clients already form an open couple",
            "Close or reopen the existing couple instead of creating a second one.",
            existing is null ? null : new Dictionary<string, object?> { ["existingCoupleId"] = existing });
}
