using PracticeApi.Features.Couples;

namespace PracticeApi.Features.Programs;

/// <summary>Enrolments as the API shows them: each item with its state and when it is due.</summary>
internal sealed partial class ProgramRunner
{
    public static Task<EnrolmentRow?> FindEnrolmentAsync(DbSession c, Guid practiceId, Guid id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<EnrolmentRow>(ByIdSql, new { PracticeId = practiceId, Id = id });

    /// <summary>The enrolments as the API shows them, in the order of <paramref name="ids"/>.</summary>
    public async Task<IReadOnlyList<EnrolmentResponse>> DescribeAsync(Guid practiceId, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        await using var c = await db.BeginReadAsync(ct);
        var rows = (await c.QueryAsync<EnrolmentRow>(ByIdsSql, new { PracticeId = practiceId, Ids = ids }))
            .ToDictionary(r => r.Id);
        return await DescribeAsync(c, practiceId, ids.Select(id => rows[id]).ToList(), ct);
    }

    /// <summary>Enrolment rows already read (a page of a couple's list), as the API shows them.</summary>
    public async Task<IReadOnlyList<EnrolmentResponse>> DescribeAsync(DbSession c, Guid practiceId, IReadOnlyList<EnrolmentRow> enrolments,
        CancellationToken ct)
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
        return plans.Select(p => new EnrolmentResponse(p.Enrolment.Id, p.Enrolment.CoupleId, p.Enrolment.ProgramId, p.Enrolment.ProgramVersion,
            p.Program!.Title, p.Enrolment.Status, p.Enrolment.StartedOn, p.Enrolment.CreatedAt, p.Enrolment.EndedAt,
            p.Plan.Select(i => Describe(i, p.Enrolment, couples[p.Enrolment.CoupleId], today)).ToList())).ToList();
    }

    private static EnrolmentItem Describe(ItemPlan p, EnrolmentRow enrolment, CoupleRow? couple, DateOnly today)
    {
        if (p.AssignmentId is { } made) return new EnrolmentItem(p.Item.Key, p.Item.TemplateId, "assigned", p.DueOn, made, null);
        if (p.DueOn is not { } due || due > today || enrolment.Status != EnrolmentStatuses.Active)
        {
            return new EnrolmentItem(p.Item.Key, p.Item.TemplateId, "waiting", p.DueOn, null, null);
        }

        var reason = couple?.Status == CoupleStatuses.Closed ? "The couple is closed."
            : couple?.Status == CoupleStatuses.Paused ? "The repair case is paused: made when it resumes."
            : couple?.SafetyHold == true ? "The couple's safety hold: conjoint and shared work waits until the hold is lifted."
            : "Made on the next run.";
        return new EnrolmentItem(p.Item.Key, p.Item.TemplateId, "due", due, null, reason);
    }
}
