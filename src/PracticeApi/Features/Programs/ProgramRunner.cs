using System.Data.Common;
using PracticeApi.Features.Assignments;
using PracticeApi.Features.Couples;

namespace PracticeApi.Features.Programs;

/// <summary>
/// Moves couples through their programs: each item becomes an assignment once its moment has come (the enrolment's
/// start, the couple reaching a repair step, the therapist releasing an earlier item's answer, plus the item's days).
/// Runs right after an enrolment, a step change, a release, a safety screening and a change of the repair case (such as
/// resuming it), and every <c>Programs:PollSeconds</c> for dates. Each item becomes one assignment only: its row in
/// ProgramAssignments commits with the assignment, and the key refuses a second from any instance. An item the
/// assignment rules refuse (the safety hold) stays due and is tried again on the next run; while the couple's repair
/// case is paused nothing is made, and what came due is made on resuming.
/// </summary>
internal sealed class ProgramRunner(Db db, AssignExercise assignments, ProgramPlans plans, PracticeCalendar calendar,
    IConfiguration configuration, ILogger<ProgramRunner> logger) : PeriodicWork(
        configuration, logger, "Programs", 60), ICareChangeHandler
{
    private const string ActiveCouplesSql = "SELECT DISTINCT PracticeId, CoupleId FROM ProgramEnrolments WHERE Status = 'active'";

    private const string ActiveOfCoupleSql = $"""
        SELECT {ProgramPlans.EnrolmentColumns} FROM ProgramEnrolments WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId AND Status = 'active'
        """;

    private const string InsertMadeSql = """
        INSERT INTO ProgramAssignments (EnrolmentId, ItemKey, PracticeId, AssignmentId, CreatedAt)
        VALUES (@EnrolmentId, @ItemKey, @PracticeId, @AssignmentId, @Now)
        """;

    private const string CoupleOfAssignmentSql = "SELECT CoupleId FROM Assignments WHERE PracticeId = @PracticeId AND Id = @Id";

    private const string CompleteSql = """
        UPDATE ProgramEnrolments SET Status = 'completed', EndedAt = @Now WHERE Id = @Id AND PracticeId = @PracticeId
            AND Status = 'active'
        """;

    private sealed record PracticeCouple
    {
        public Guid PracticeId { get; init; }
        public Guid CoupleId { get; init; }
    }

    protected override Task RoundAsync(CancellationToken ct) => AdvanceAllAsync(ct);

    /// <summary>One round over every couple with a running program; returns how many assignments were made.</summary>
    public async Task<int> AdvanceAllAsync(CancellationToken ct)
    {
        List<PracticeCouple> couples;
        await using (var c = await db.BeginReadAsync(ct))
        {
            couples = await c.QueryAsync<PracticeCouple>(ActiveCouplesSql);
        }

        var made = 0;
        foreach (var c in couples) made += await TryAdvanceAsync(c.PracticeId, c.CoupleId, ct);
        return made;
    }

    /// <summary>Makes the assignments of every item of the couple's running programs whose moment has come.</summary>
    public async Task<int> AdvanceCoupleAsync(Guid practiceId, Guid coupleId, CancellationToken ct)
    {
        var system = Caller.System(practiceId) with { RequestId = "program" };
        List<(EnrolmentRow Enrolment, ProgramRow? Program, List<ProgramPlans.ItemPlan> Plan)> due;
        await using (var c = await db.BeginReadAsync(ct))
        {
            var enrolments = await c.QueryAsync<EnrolmentRow>(ActiveOfCoupleSql, new { PracticeId = practiceId,
                CoupleId = coupleId });
            if (enrolments.Count == 0) return 0;
            // A paused repair case stops its programs' clock: what comes due meanwhile is made when the case resumes.
            if ((await CoupleReads.FindAsync(c, system, coupleId, ct))?.Status != CoupleStatus.Active.Wire()) return 0;
            due = await plans.PlanAsync(c, practiceId, enrolments, ct);
        }

        var made = 0;
        var today = calendar.Today;
        foreach (var (enrolment, _, plan) in due)
        {
            foreach (var step in plan.Where(p => p.AssignmentId is null && p.DueOn <= today))
            {
                if (await MakeAsync(system, enrolment, step.Item, ct)) made++;
            }
        }

        // A program whose every item became an assignment is complete (read again: another instance may have made
        // some).
        await using (var c = await db.BeginWriteAsync(ct))
        {
            var ids = due.Select(p => p.Enrolment.Id).ToList();
            var madeNow = (await c.QueryAsync<ProgramPlans.Made>(ProgramPlans.MadeSql, new { PracticeId = practiceId,
                Ids = ids }))
                .ToLookup(m => m.EnrolmentId, m => m.ItemKey);
            foreach (var (enrolment, program, _) in due)
            {
                if (program is not null && program.ItemList.All(i => madeNow[enrolment.Id].Contains(i.Key)))
                {
                    await c.ExecuteAsync(CompleteSql, new { enrolment.Id, PracticeId = practiceId, calendar.Now });
                }
            }

            await c.CommitAsync();
        }

        return made;
    }

    /// <summary>A couple's care changed: its programs may have items due now (never failing the change, see <see
    /// cref="TryAdvanceAsync"/>).</summary>
    public Task HandleAsync(CareChange change, CancellationToken ct) => change switch
    {
        CoupleChanged couple => TryAdvanceAsync(couple.PracticeId, couple.CoupleId, ct),
        AnswerReleased released => AdvanceAfterReleaseAsync(released.PracticeId, released.AssignmentId, ct),
        _ => Task.CompletedTask,
    };

    /// <summary>After a release: the couple of the released answer's assignment may have an item waiting for
    /// it.</summary>
    public async Task AdvanceAfterReleaseAsync(Guid practiceId, Guid assignmentId, CancellationToken ct)
    {
        Guid? coupleId;
        try
        {
            await using var c = await db.BeginReadAsync(ct);
            coupleId = await c.QuerySingleOrDefaultAsync<Guid?>(CoupleOfAssignmentSql, new { PracticeId = practiceId,
                Id = assignmentId });
        }
        catch (Exception e) when (e is DbException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Programs not advanced after a release ({ExceptionType}); the next round will",
                e.GetType().Name);
            return;
        }

        if (coupleId is { } couple) await TryAdvanceAsync(practiceId, couple, ct);
    }

    /// <summary>
    /// Advances a couple's programs after a change that has already committed (an enrolment, a step, a release, a
    /// screening): a database problem here must not fail that request, and the next round makes what is due.
    /// </summary>
    public async Task<int> TryAdvanceAsync(Guid practiceId, Guid coupleId, CancellationToken ct)
    {
        try
        {
            return await AdvanceCoupleAsync(practiceId, coupleId, ct);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Programs of a couple not advanced now ({ExceptionType}); the next round will",
                e.GetType().Name);
            return 0;
        }
    }

    private async Task<bool> MakeAsync(Caller system, EnrolmentRow enrolment, ProgramItem item, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var created = await assignments.CreateAsync(c, system, new CreateAssignmentRequest(item.TemplateId, null,
            enrolment.CoupleId,
            item.Respondents, item.Cadence, calendar.Today, null, item.Occurrences, null, item.Note, item.Visibility, null), ct);
        if (!created.Succeeded)
        {
            logger.LogDebug("Program item {ItemKey} of enrolment {EnrolmentId} waits: {Problem}", item.Key,
                enrolment.Id, created.Failure!.Name);
            return false;
        }

        if (!await c.ExecuteOnceAsync(InsertMadeSql, new
            {
                EnrolmentId = enrolment.Id, ItemKey = item.Key, enrolment.PracticeId, AssignmentId = created.Value!.Id, calendar.Now,
            }))
        {
            return false; // another instance made this item's assignment first; ours is rolled back with the transaction
        }

        await c.CommitAsync();
        return true;
    }
}
