namespace PracticeApi.Features.Assignments;

/// <summary>An assignment as the caller may see it, and who answers it: the reads other features build on.</summary>
internal static class AssignmentReads
{
    public const string Columns = """
        a.Id, a.TemplateId, a.TemplateVersion, a.ClientId, a.CoupleId, a.Respondents, a.Cadence, a.StartsOn, a.EndsOn,
            a.Occurrences,
        a.DueTime, a.LastDueAt, a.Note, a.Visibility, a.Status, a.SafetyOverrideReason, a.CreatedBy,
            a.CancelledAt, a.Version,
        a.CreatedAt, a.UpdatedAt
        """;

    // Staff see an assignment when its client, or both partners of its couple, are on their caseload.
    public static readonly string StaffVisible = $"""
        ((a.ClientId IS NOT NULL AND {Caseload.Client("a.ClientId")})
         OR (a.CoupleId IS NOT NULL AND EXISTS (SELECT 1 FROM Couples cv WHERE cv.Id = a.CoupleId AND cv.PracticeId = @PracticeId AND {Caseload.Couple("cv")})))
        """;

    // A client sees their own assignments and those of the couples they are in.
    public const string PortalVisible = """
        (a.ClientId = @PortalClient OR EXISTS (SELECT 1 FROM Couples cp WHERE cp.Id = a.CoupleId
            AND cp.PracticeId = @PracticeId
                                              AND (cp.PartnerAId = @PortalClient OR cp.PartnerBId = @PortalClient)))
        """;

    private static readonly string StaffGetSql = $"SELECT {Columns} FROM Assignments a WHERE a.Id = @Id AND a.PracticeId = @PracticeId AND {StaffVisible}";
    private const string PortalGetSql = $"SELECT {Columns} FROM Assignments a WHERE a.Id = @Id AND a.PracticeId = @PracticeId AND {PortalVisible}";

    private const string RespondentsSql = "SELECT AssignmentId, ClientId FROM AssignmentRespondents WHERE PracticeId = @PracticeId AND AssignmentId IN @Ids";

    private sealed record RespondentRow
    {
        public Guid AssignmentId { get; init; }
        public Guid ClientId { get; init; }
    }

    /// <summary>An assignment visible to the caller: through the caseload for staff, as own or own couple's for a
    /// client.</summary>
    public static Task<AssignmentRow?> FindAsync(DbSession c, Caller caller, Guid id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<AssignmentRow>(caller.IsPortal ? PortalGetSql : StaffGetSql, new { Id = id,
            caller.PracticeId, Caseload = caller.Caseload, PortalClient = caller.ClientId });

    public static async Task<ILookup<Guid, Guid>> RespondentsAsync(DbSession c, Guid practiceId,
        IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return Array.Empty<RespondentRow>().ToLookup(r => r.AssignmentId, r => r.ClientId);
        var rows = await c.QueryAsync<RespondentRow>(RespondentsSql, new { PracticeId = practiceId, Ids = ids });
        return rows.OrderBy(r => r.ClientId).ToLookup(r => r.AssignmentId, r => r.ClientId);
    }

    public const string PortalCouplesSql = """
        SELECT Id FROM Couples WHERE PracticeId = @PracticeId AND (PartnerAId = @PortalClient
            OR PartnerBId = @PortalClient)
        """;

    public const string PortalListSql = $"""
        SELECT {Columns} FROM Assignments a
        WHERE a.PracticeId = @PracticeId AND (a.ClientId = @PortalClient OR a.CoupleId IN @CoupleIds) AND a.Id > @After
        ORDER BY a.Id {SqlDialect.Limit}
        """;

    /// <summary>
    /// A portal client's due work: per active assignment of theirs or their couple's, today's unanswered occurrence and
    /// the unanswered ones of the last two weeks. Pages walk the assignments; assignments with nothing to do are left
    /// out.
    /// </summary>
    public static async Task<Page<DueWork>> DueAsync(DbSession c, Caller caller, PageQuery query,
        PracticeCalendar calendar, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        var me = caller.ClientId!.Value;
        var couples = (await c.QueryAsync<Guid>(PortalCouplesSql, new { caller.PracticeId,
            PortalClient = me })).ToList();
        var rows = await c.QueryAsync<AssignmentRow>(PortalListSql, new
        {
            caller.PracticeId, PortalClient = me, CoupleIds = couples.Count == 0
                ? [Guid.Empty] : couples, After = Cursor.After(query.Cursor),
            Limit = limit + 1,
        });
        var active = rows.Take(limit).Where(r => r.EffectiveStatus(calendar.Now) == AssignmentStatus.Active.Wire())
            .ToList();
        var respondents = await RespondentsAsync(c, caller.PracticeId, active.Select(r => r.Id).ToList(), ct);
        var due = await Occurrences.OfAsync(c, caller.PracticeId, active, respondents, me, calendar, ct);

        var today = calendar.Today;
        var open = due.Where(d => d.Occurrence.ResponseId is null && d.Occurrence.Date <= today
            && d.Occurrence.Date > today.AddDays(-Schedule.OverdueDays));
        var work = open.GroupBy(d => d.Assignment.Id)
            .Select(g => new DueWork(g.Key, g.First().Assignment.TemplateId,
                g.Where(d => d.Occurrence.Date == today).Select(d => d.Occurrence).ToList(),
                g.Where(d => d.Occurrence.Date < today).Select(d => d.Occurrence).OrderBy(o => o.Date).ToList()))
            .ToList();
        return new Page<DueWork>(work, rows.Count > limit ? Cursor.Encode(rows[limit - 1].Id.ToString()) : null);
    }
}
