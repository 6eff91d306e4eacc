using System.Data.Common;
using PracticeApi.Features.Assignments;
using PracticeApi.Features.Couples;

namespace PracticeApi.Features.Programs;

/// <summary>
/// Moves couples through their programs: each item becomes an assignment once its moment has come (the enrolment's
/// start, the couple reaching a repair step, the therapist releasing an earlier item's answer, plus the item's days).
/// Runs right after an enrolment, a step change, a release, a safety screening and a change of the repair case (such as
/// resuming it), and every <c>Programs:PollSeconds</c>
/// for dates. Each item becomes one assignment only: its row in ProgramAssignments commits with the assignment, and the
/// key refuses a second from any instance. An item the assignment rules refuse (the safety hold) stays due and is tried
/// again on the next run; while the couple's repair case is paused nothing is made, and what came due is made on resuming.
/// </summary>
internal sealed partial class ProgramRunner(Db db, AssignExercise assignments, PracticeCalendar calendar, IConfiguration configuration,
    ILogger<ProgramRunner> logger) : PeriodicWork(configuration, logger, "Programs", 60), ICareChangeHandler
{
    internal const string EnrolmentColumns = "Id, PracticeId, CoupleId, ProgramId, ProgramVersion, Status, StartedOn, CreatedAt, EndedAt";

    private const string ActiveCouplesSql = "SELECT DISTINCT PracticeId, CoupleId FROM ProgramEnrolments WHERE Status = 'active'";

    private const string ActiveOfCoupleSql = $"""
        SELECT {EnrolmentColumns} FROM ProgramEnrolments WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId AND Status = 'active'
        """;

    private const string ByIdsSql = $"SELECT {EnrolmentColumns} FROM ProgramEnrolments WHERE PracticeId = @PracticeId AND Id IN @Ids";

    private const string ByIdSql = $"SELECT {EnrolmentColumns} FROM ProgramEnrolments WHERE PracticeId = @PracticeId AND Id = @Id";

    private const string MadeSql = """
        SELECT EnrolmentId, ItemKey, AssignmentId FROM ProgramAssignments WHERE PracticeId = @PracticeId AND EnrolmentId IN @Ids
        """;

    private const string StepChangesSql = """
        SELECT CoupleId, ToStep, ChangedAt FROM CoupleStepChanges WHERE PracticeId = @PracticeId AND CoupleId IN @CoupleIds
        """;

    private const string ReleasesSql = """
        SELECT AssignmentId, MIN(ReleasedAt) AS ReleasedAt FROM Responses
        WHERE PracticeId = @PracticeId AND AssignmentId IN @Ids AND ReleasedAt IS NOT NULL
        GROUP BY AssignmentId
        """;

    private const string InsertMadeSql = """
        INSERT INTO ProgramAssignments (EnrolmentId, ItemKey, PracticeId, AssignmentId, CreatedAt)
        VALUES (@EnrolmentId, @ItemKey, @PracticeId, @AssignmentId, @Now)
        """;

    private const string CoupleOfAssignmentSql = "SELECT CoupleId FROM Assignments WHERE PracticeId = @PracticeId AND Id = @Id";

    private const string CompleteSql = """
        UPDATE ProgramEnrolments SET Status = 'completed', EndedAt = @Now WHERE Id = @Id AND PracticeId = @PracticeId AND Status = 'active'
        """;

    // Rows as Dapper maps them (init properties: SQLite hands ids over as text, which constructors would not accept).
    private sealed record Made
    {
        public Guid EnrolmentId { get; init; }
        public string ItemKey { get; init; } = "";
        public Guid AssignmentId { get; init; }
    }

    private sealed record StepChange
    {
        public Guid CoupleId { get; init; }
        public int ToStep { get; init; }
        public DateTime ChangedAt { get; init; }
    }

    private sealed record Release
    {
        public Guid AssignmentId { get; init; }
        public DateTime ReleasedAt { get; init; }
    }

    private sealed record PracticeCouple
    {
        public Guid PracticeId { get; init; }
        public Guid CoupleId { get; init; }
    }

    /// <summary>Where one item stands: its due day when its moment has come or is known, and its assignment once made.</summary>
    private sealed record ItemPlan(ProgramItem Item, DateOnly? DueOn, Guid? AssignmentId);

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
        List<(EnrolmentRow Enrolment, ProgramRow? Program, List<ItemPlan> Plan)> plans;
        await using (var c = await db.BeginReadAsync(ct))
        {
            var enrolments = await c.QueryAsync<EnrolmentRow>(ActiveOfCoupleSql, new { PracticeId = practiceId, CoupleId = coupleId });
            if (enrolments.Count == 0) return 0;
            // A paused repair case stops its programs' clock: what comes due meanwhile is made when the case resumes.
            if ((await CoupleReads.FindAsync(c, system, coupleId, ct))?.Status != CoupleStatuses.Active) return 0;
            plans = await PlanAsync(c, practiceId, enrolments, ct);
        }

        var made = 0;
        var today = calendar.Today;
        foreach (var (enrolment, _, plan) in plans)
        {
            foreach (var step in plan.Where(p => p.AssignmentId is null && p.DueOn <= today))
            {
                if (await MakeAsync(system, enrolment, step.Item, ct)) made++;
            }
        }

        // A program whose every item became an assignment is complete (read again: another instance may have made some).
        await using (var c = await db.BeginWriteAsync(ct))
        {
            var madeNow = (await c.QueryAsync<Made>(MadeSql, new { PracticeId = practiceId, Ids = plans.Select(p => p.Enrolment.Id).ToList() })).ToLookup(m => m.EnrolmentId, m => m.ItemKey);
            foreach (var (enrolment, program, _) in plans)
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

    /// <summary>A couple's care changed: its programs may have items due now (never failing the change, see <see cref="TryAdvanceAsync"/>).</summary>
    public Task HandleAsync(CareChange change, CancellationToken ct) => change switch
    {
        CoupleChanged couple => TryAdvanceAsync(couple.PracticeId, couple.CoupleId, ct),
        AnswerReleased released => AdvanceAfterReleaseAsync(released.PracticeId, released.AssignmentId, ct),
        _ => Task.CompletedTask,
    };

    /// <summary>After a release: the couple of the released answer's assignment may have an item waiting for it.</summary>
    public async Task AdvanceAfterReleaseAsync(Guid practiceId, Guid assignmentId, CancellationToken ct)
    {
        Guid? coupleId;
        try
        {
            await using var c = await db.BeginReadAsync(ct);
            coupleId = await c.QuerySingleOrDefaultAsync<Guid?>(CoupleOfAssignmentSql, new { PracticeId = practiceId, Id = assignmentId });
        }
        catch (Exception e) when (e is DbException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Programs not advanced after a release ({ExceptionType}); the next round will", e.GetType().Name);
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
            logger.LogWarning("Programs of a couple not advanced now ({ExceptionType}); the next round will", e.GetType().Name);
            return 0;
        }
    }

    private async Task<bool> MakeAsync(Caller system, EnrolmentRow enrolment, ProgramItem item, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var created = await assignments.CreateAsync(c, system, new CreateAssignmentRequest(item.TemplateId, null, enrolment.CoupleId,
            item.Respondents, item.Cadence, calendar.Today, null, item.Occurrences, null, item.Note, item.Visibility, null), ct);
        if (!created.Succeeded)
        {
            logger.LogDebug("Program item {ItemKey} of enrolment {EnrolmentId} waits: {Problem}", item.Key, enrolment.Id, created.Failure!.Name);
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

    /// <summary>Each item's due day and assignment, from the couple's step history and the releases of earlier items.</summary>
    private async Task<List<(EnrolmentRow Enrolment, ProgramRow? Program, List<ItemPlan> Plan)>> PlanAsync(DbSession c, Guid practiceId,
        IReadOnlyList<EnrolmentRow> enrolments, CancellationToken ct)
    {
        var ids = enrolments.Select(e => e.Id).ToList();
        var made = (await c.QueryAsync<Made>(MadeSql, new { PracticeId = practiceId, Ids = ids }))
            .ToDictionary(m => (m.EnrolmentId, m.ItemKey), m => m.AssignmentId);
        var steps = await c.QueryAsync<StepChange>(StepChangesSql, new { PracticeId = practiceId, CoupleIds = enrolments.Select(e => e.CoupleId).Distinct().ToList() });
        var releases = made.Count == 0
            ? new Dictionary<Guid, DateTime>()
            : (await c.QueryAsync<Release>(ReleasesSql, new { PracticeId = practiceId, Ids = made.Values.ToList() })).ToDictionary(r => r.AssignmentId, r => r.ReleasedAt);

        // The versions in play, each read once (a couple follows one or two programs).
        var programs = new Dictionary<(Guid, int), ProgramRow?>();
        foreach (var key in enrolments.Select(e => (e.ProgramId, e.ProgramVersion)).Distinct())
        {
            programs[key] = await ProgramStore.FindAsync(c, practiceId, key.ProgramId, key.ProgramVersion, ct);
        }

        var result = new List<(EnrolmentRow, ProgramRow?, List<ItemPlan>)>();
        foreach (var enrolment in enrolments)
        {
            var program = programs[(enrolment.ProgramId, enrolment.ProgramVersion)];
            var plan = new List<ItemPlan>();
            foreach (var item in program?.ItemList ?? [])
            {
                made.TryGetValue((enrolment.Id, item.Key), out var assignmentId);
                DateOnly? from = item.Start.On switch
                {
                    StartOn.Start => enrolment.StartedOn,
                    StartOn.Step => steps.Where(s => s.CoupleId == enrolment.CoupleId && s.ToStep >= item.Start.Step)
                        .Select(s => (DateOnly?)calendar.LocalDate(s.ChangedAt)).Min() is { } reached
                        ? Later(reached, enrolment.StartedOn)
                        : null,
                    StartOn.Released => made.TryGetValue((enrolment.Id, item.Start.Item!), out var earlier) && releases.TryGetValue(earlier, out var at)
                        ? Later(calendar.LocalDate(at), enrolment.StartedOn)
                        : null,
                    _ => null,
                };
                plan.Add(new ItemPlan(item, from?.AddDays(item.Start.OffsetDays), assignmentId == Guid.Empty ? null : assignmentId));
            }

            result.Add((enrolment, program, plan));
        }

        return result;
    }

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;
}
