using PracticeApi.Features.Couples;

namespace PracticeApi.Features.Programs;

/// <summary>
/// Where each item of a couple's programs stands: its due day (from the enrolment's start, the couple's step history
/// and the releases of earlier items' answers) and its assignment once made. The runner makes what is due from it; the
/// API shows it. Holds no database: it reads in the caller's unit of work.
/// </summary>
internal sealed class ProgramPlans(PracticeCalendar calendar)
{
    internal const string EnrolmentColumns = "Id, PracticeId, CoupleId, ProgramId, ProgramVersion, Status, StartedOn, CreatedAt, EndedAt";

    private const string ByIdsSql = $"SELECT {EnrolmentColumns} FROM ProgramEnrolments WHERE PracticeId = @PracticeId AND Id IN @Ids";

    private const string ByIdSql = $"SELECT {EnrolmentColumns} FROM ProgramEnrolments WHERE PracticeId = @PracticeId AND Id = @Id";

    internal const string MadeSql = """
        SELECT EnrolmentId, ItemKey, AssignmentId FROM ProgramAssignments WHERE PracticeId = @PracticeId
            AND EnrolmentId IN @Ids
        """;

    private const string StepChangesSql = """
        SELECT CoupleId, ToStep, ChangedAt FROM CoupleStepChanges WHERE PracticeId = @PracticeId
            AND CoupleId IN @CoupleIds
        """;

    private const string ReleasesSql = """
        SELECT AssignmentId, MIN(ReleasedAt) AS ReleasedAt FROM Responses
        WHERE PracticeId = @PracticeId AND AssignmentId IN @Ids AND ReleasedAt IS NOT NULL
        GROUP BY AssignmentId
        """;

    // Rows as Dapper maps them (init properties: SQLite hands ids over as blobs, which constructors would not accept).
    internal sealed record Made
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

    /// <summary>Where one item stands: its due day when its moment has come or is known, and its assignment once
    /// made.</summary>
    internal sealed record ItemPlan(ProgramItem Item, DateOnly? DueOn, Guid? AssignmentId);

    /// <summary>Each item's due day and assignment, from the couple's step history and the releases of earlier
    /// items.</summary>
    public async Task<List<(EnrolmentRow Enrolment, ProgramRow? Program, List<ItemPlan> Plan)>> PlanAsync(DbSession c,
        Guid practiceId, IReadOnlyList<EnrolmentRow> enrolments, CancellationToken ct)
    {
        var ids = enrolments.Select(e => e.Id).ToList();
        var made = (await c.QueryAsync<Made>(MadeSql, new { PracticeId = practiceId, Ids = ids }))
            .ToDictionary(m => (m.EnrolmentId, m.ItemKey), m => m.AssignmentId);
        var steps = await c.QueryAsync<StepChange>(StepChangesSql, new { PracticeId = practiceId,
            CoupleIds = enrolments.Select(e => e.CoupleId).Distinct().ToList() });
        var releases = made.Count == 0
            ? new Dictionary<Guid, DateTime>()
            : (await c.QueryAsync<Release>(ReleasesSql, new { PracticeId = practiceId, Ids = made.Values.ToList() }))
                .ToDictionary(r => r.AssignmentId, r => r.ReleasedAt);

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
                    StartOn.Released => made.TryGetValue((enrolment.Id, item.Start.Item!),
                        out var earlier) && releases.TryGetValue(earlier, out var at)
                        ? Later(calendar.LocalDate(at), enrolment.StartedOn)
                        : null,
                    _ => null,
                };
                plan.Add(new ItemPlan(item, from?.AddDays(item.Start.OffsetDays),
                    assignmentId == Guid.Empty ? null : assignmentId));
            }

            result.Add((enrolment, program, plan));
        }

        return result;
    }

    public static Task<EnrolmentRow?> FindEnrolmentAsync(DbSession c, Guid practiceId, Guid id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<EnrolmentRow>(ByIdSql, new { PracticeId = practiceId, Id = id });

    /// <summary>The enrolments as the API shows them, in the order of <paramref name="ids"/>.</summary>
    public async Task<IReadOnlyList<EnrolmentResponse>> DescribeAsync(DbSession c, Guid practiceId,
        IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var rows = (await c.QueryAsync<EnrolmentRow>(ByIdsSql, new { PracticeId = practiceId, Ids = ids }))
            .ToDictionary(r => r.Id);
        return await DescribeAsync(c, practiceId, ids.Select(id => rows[id]).ToList(), ct);
    }

    /// <summary>Enrolment rows already read (a page of a couple's list), as the API shows them.</summary>
    public async Task<IReadOnlyList<EnrolmentResponse>> DescribeAsync(DbSession c, Guid practiceId,
        IReadOnlyList<EnrolmentRow> enrolments, CancellationToken ct)
    {
        if (enrolments.Count == 0) return [];
        var plans = await PlanAsync(c, practiceId, enrolments, ct);
        var system = Caller.System(practiceId);
        var couples = new Dictionary<Guid, CoupleRow?>();
        foreach (var coupleId in enrolments.Select(e => e.CoupleId).Distinct())
        {
            couples[coupleId] = await CoupleReads.FindAsync(c, system, coupleId, ct);
        }

        var today = calendar.Today;
        return plans.Select(p => new EnrolmentResponse(p.Enrolment.Id, p.Enrolment.CoupleId, p.Enrolment.ProgramId,
            p.Enrolment.ProgramVersion,
            p.Program!.Title, ClosedSets.Parse<EnrolmentStatus>(
                p.Enrolment.Status), p.Enrolment.StartedOn, p.Enrolment.CreatedAt, p.Enrolment.EndedAt,
            p.Plan.Select(i => Describe(i, p.Enrolment, couples[p.Enrolment.CoupleId], today)).ToList())).ToList();
    }

    private static EnrolmentItem Describe(ItemPlan p, EnrolmentRow enrolment, CoupleRow? couple, DateOnly today)
    {
        if (p.AssignmentId is { } made) return new EnrolmentItem(p.Item.Key, p.Item.TemplateId,
            ProgramItemState.Assigned, p.DueOn, made, null);
        if (p.DueOn is not { } due || due > today || enrolment.Status != EnrolmentStatus.Active.Wire())
        {
            return new EnrolmentItem(p.Item.Key, p.Item.TemplateId, ProgramItemState.Waiting, p.DueOn, null, null);
        }

        var reason = couple?.Status == CoupleStatus.Closed.Wire() ? "The couple is closed."
            : couple?.Status == CoupleStatus.Paused.Wire() ? "The repair case is paused: made when it resumes."
            : couple?.SafetyHold == true
                ? "The couple's safety hold: conjoint and shared work waits until the hold is lifted."
            : "Made on the next run.";
        return new EnrolmentItem(p.Item.Key, p.Item.TemplateId, ProgramItemState.Due, due, null, reason);
    }

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;
}
