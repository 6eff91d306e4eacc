namespace PracticeApi.Features.Assignments;

internal sealed partial class AssignmentStore
{
    /// <summary>
    /// A portal client's due work: per active assignment of theirs or their couple's, today's unanswered occurrence and the
    /// unanswered ones of the last two weeks. Pages walk the assignments; assignments with nothing to do are left out.
    /// </summary>
    public async Task<Page<DueWork>> DueAsync(Caller caller, PageQuery query, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        var me = caller.ClientId!.Value;
        List<AssignmentRow> rows;
        IReadOnlyList<Occurrences.Due> due;
        await using (var c = await db.BeginReadAsync(ct))
        {
            var couples = (await c.QueryAsync<Guid>(PortalCouplesSql, new { caller.PracticeId, PortalClient = me })).ToList();
            rows = await c.QueryAsync<AssignmentRow>(PortalListSql, new
            {
                caller.PracticeId, PortalClient = me, CoupleIds = couples.Count == 0 ? [Guid.Empty] : couples, After = Cursor.After(query.Cursor),
                Limit = limit + 1,
            });
            var active = rows.Take(limit).Where(r => r.EffectiveStatus(calendar.Now) == AssignmentStatuses.Active).ToList();
            var respondents = await RespondentsAsync(c, caller.PracticeId, active.Select(r => r.Id).ToList(), ct);
            due = await Occurrences.OfAsync(c, caller.PracticeId, active, respondents, me, calendar, ct);
        }

        var today = calendar.Today;
        var open = due.Where(d => d.Occurrence.ResponseId is null && d.Occurrence.Date <= today && d.Occurrence.Date > today.AddDays(-Schedule.OverdueDays)).ToList();
        var work = open.GroupBy(d => d.Assignment.Id)
            .Select(g => new DueWork(g.Key, g.First().Assignment.TemplateId,
                g.Where(d => d.Occurrence.Date == today).Select(d => d.Occurrence).ToList(),
                g.Where(d => d.Occurrence.Date < today).Select(d => d.Occurrence).OrderBy(o => o.Date).ToList()))
            .ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "occurrences", null, [me], Detail: "due"), ct);
        return new Page<DueWork>(work, rows.Count > limit ? Cursor.Encode(rows[limit - 1].Id.ToString()) : null);
    }
}
