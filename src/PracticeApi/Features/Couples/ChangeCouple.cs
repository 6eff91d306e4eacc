using System.Data.Common;

namespace PracticeApi.Features.Couples;

/// <summary>
/// Changes of an open couple's case: its details and status, its repair step (every move kept in the history), closing
/// it. Each runs in one transaction with its audit event, and raises a couple change after the commit (a resumed case
/// or a new step may start program items).
/// </summary>
internal sealed class ChangeCouple(Db db, AuditLog audit, TimeProvider clock, CareChanges changes)
{
    private const string UpdateSql = """
        UPDATE Couples SET BreachType = @BreachType, PartnerARole = @PartnerARole, PartnerBRole = @PartnerBRole,
            DisclosedOn = @DisclosedOn,
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

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(Now);

    public async Task<Outcome<CoupleResponse>> UpdateAsync(Caller caller, Guid id, UpdateCoupleRequest request,
        int? expected, CancellationToken ct) =>
        await ChangeAsync(caller, id, expected, async (c, couple) =>
        {
            if (couple.Status == CoupleStatus.Closed.Wire()) return CareRules.CoupleClosed();
            await c.ExecuteAsync(UpdateSql, new
            {
                Id = id, caller.PracticeId, BreachType = request.BreachType.Wire(), PartnerARole = request.PartnerARole.Wire(),
                PartnerBRole = request.PartnerBRole.Wire(), request.DisclosedOn,
                request.StartedOn, Status = request.Status.Wire(), Expected = couple.Version, Now,
            });
            return new AuditEntry(AuditAction.Update, "couple", id, couple.Partners);
        }, ct);

    public async Task<Outcome<CoupleResponse>> CloseAsync(Caller caller, Guid id, CancellationToken ct) =>
        await ChangeAsync(caller, id, null, async (c, couple) =>
        {
            if (couple.Status == CoupleStatus.Closed.Wire()) return CareRules.CoupleClosed();
            await c.ExecuteAsync(CloseSql, new { Id = id, caller.PracticeId, Expected = couple.Version, Now });
            return new AuditEntry(AuditAction.Update, "couple", id, couple.Partners, Detail: "closed");
        }, ct);

    /// <summary>Moves the couple to another repair step, forward or back; every move is kept in the history.</summary>
    public async Task<Outcome<CoupleResponse>> ChangeStepAsync(Caller caller, Guid id, StepRequest request,
        CancellationToken ct) =>
        await ChangeAsync(caller, id, null, async (c, couple) =>
        {
            if (couple.Status == CoupleStatus.Closed.Wire()) return CareRules.CoupleClosed();
            if (couple.CurrentStep == request.Step)
            {
                return Failure.Conflict("invalid-transition", "Step unchanged",
                    $"The couple is already at step {request.Step}.");
            }

            await c.ExecuteAsync(StepSql, new { Id = id, caller.PracticeId, ToStep = request.Step,
                Expected = couple.Version, Now });
            await c.ExecuteAsync(OpenCouple.InsertStepSql, new
            {
                Id = Guid.CreateVersion7(), caller.PracticeId, CoupleId = id, FromStep = (int?)couple.CurrentStep, ToStep = request.Step,
                Note = request.Note?.Trim(), ChangedBy = caller.ActorId, Now,
            });
            return new AuditEntry(AuditAction.Update, "couple", id, couple.Partners,
                Detail: $"step {couple.CurrentStep} -> {request.Step}");
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
            return OpenCouple.DuplicateCouple(null);
        }

        if (!entry.Succeeded) return entry.Failure!;
        await audit.WriteAsync(c, caller, entry.Value!);
        var row = await CoupleReads.FindAsync(c, caller, id, ct);
        await c.CommitAsync();
        // A resumed case or a new step may start program items (nothing is made for a case that is not active).
        await changes.RaiseAsync(new CoupleChanged(caller.PracticeId, id), ct);
        return row!.ToResponse(Today);
    }
}
