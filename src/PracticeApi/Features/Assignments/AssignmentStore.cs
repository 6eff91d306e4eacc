using PracticeApi.Features.Exercises;
using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Assignments;

internal sealed partial class AssignmentStore(Db db, AuditLog audit, PracticeCalendar calendar, Outbox outbox,
    AssignExercise assign)
{
    private const string Columns = AssignmentReads.Columns;
    private static readonly string StaffVisible = AssignmentReads.StaffVisible;

    private const string StatusFilter = """
        AND (@Status IS NULL
             OR (@Status = 'cancelled' AND a.Status = 'cancelled')
             OR (@Status = 'active' AND a.Status = 'active' AND a.LastDueAt >= @Now)
             OR (@Status = 'completed' AND a.Status = 'active' AND a.LastDueAt < @Now))
        AND (@TemplateId IS NULL OR a.TemplateId = @TemplateId)
        """;

    private static readonly string ListSql = $"""
        SELECT {Columns} FROM Assignments a
        WHERE a.PracticeId = @PracticeId AND a.Id > @After AND (@CoupleId IS NULL OR a.CoupleId = @CoupleId)
          {StatusFilter} AND {StaffVisible}
        ORDER BY a.Id {SqlDialect.Limit}
        """;

    // A client's assignments, alone or as a respondent in a couple, driven by (PracticeId, ClientId, AssignmentId).
    private static readonly string ListByClientSql = $"""
        SELECT {Columns} FROM AssignmentRespondents d
        JOIN Assignments a ON a.Id = d.AssignmentId
        WHERE d.PracticeId = @PracticeId AND d.ClientId = @ClientId AND d.AssignmentId > @After
          AND (@CoupleId IS NULL OR a.CoupleId = @CoupleId) {StatusFilter} AND {StaffVisible}
        ORDER BY d.AssignmentId {SqlDialect.Limit}
        """;

    private const string CancelSql = """
        UPDATE Assignments SET Status = 'cancelled', CancelledAt = @Now, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Status = 'active'
        """;

    public Task<Outcome<AssignmentResponse>> CreateAsync(Caller caller, CreateAssignmentRequest request,
        CancellationToken ct) =>
        db.WriteAsync(c => assign.CreateAsync(c, caller, request, ct), ct);

    public async Task<(AssignmentRow Row, IReadOnlyList<Guid> Respondents)?> GetAsync(Caller caller, Guid id,
        CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var row = await AssignmentReads.FindAsync(c, caller, id, ct);
        if (row is null) return null;
        var respondents = (await AssignmentReads.RespondentsAsync(c, caller.PracticeId, [id], ct))[id].ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "assignment", id, respondents), ct);
        return (row, respondents);
    }

    /// <summary>The exercise an assignment the caller sees asks for: the template version it was made with.</summary>
    public async Task<TemplateRow?> ExerciseAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return await AssignmentReads.FindAsync(c, caller, id, ct) is { } row ? await TemplateReads.FindAsync(c,
            caller.PracticeId, row.TemplateId, row.TemplateVersion, ct) : null;
    }

    public async Task<Page<AssignmentResponse>> ListAsync(Caller caller, AssignmentListQuery query,
        CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        List<AssignmentRow> rows;
        ILookup<Guid, Guid> respondents;
        await using (var c = await db.BeginReadAsync(ct))
        {
            if (caller.IsPortal)
            {
                var couples = (await c.QueryAsync<Guid>(AssignmentReads.PortalCouplesSql, new { caller.PracticeId,
                    PortalClient = caller.ClientId })).ToList();
                rows = await c.QueryAsync<AssignmentRow>(AssignmentReads.PortalListSql, new
                {
                    caller.PracticeId, PortalClient = caller.ClientId, CoupleIds = couples.Count == 0
                        ? [Guid.Empty] : couples,
                    After = Cursor.After(query.Cursor), Limit = limit + 1,
                });
            }
            else
            {
                rows = await c.QueryAsync<AssignmentRow>(query.ClientId is null ? ListSql : ListByClientSql, new
                {
                    caller.PracticeId, Caseload = caller.Caseload, After = Cursor.After(
                        query.Cursor), query.ClientId, query.CoupleId,
                    Status = query.Status?.Wire(), query.TemplateId, calendar.Now, Limit = limit + 1,
                });
            }

            respondents = await AssignmentReads.RespondentsAsync(c, caller.PracticeId,
                rows.Take(limit).Select(r => r.Id).ToList(), ct);
        }

        var page = Cursor.ToPage(rows, limit, r => [r.Id.ToString()], r => r.ToResponse(respondents[r.Id],
            calendar.Now, caller));
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "assignment", null,
            page.Items.SelectMany(a => a.RespondentIds).Distinct().ToList(), Detail: "list"), ct);
        return page;
    }

    public async Task<Failure?> CancelAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var row = await AssignmentReads.FindAsync(c, caller, id, ct);
        if (row is null) return Failure.NotFound("assignment");
        if (row.Status == AssignmentStatus.Cancelled.Wire())
        {
            return Failure.Conflict("invalid-transition", "Assignment is cancelled",
                "The assignment was cancelled already.");
        }

        await c.ExecuteAsync(CancelSql, new { Id = id, caller.PracticeId, calendar.Now });
        var respondents = (await AssignmentReads.RespondentsAsync(c, caller.PracticeId, [id], ct))[id].ToList();
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "assignment", id, respondents,
            Detail: "cancelled"));
        await outbox.PublishAsync(c, caller.PracticeId, EventType.AssignmentCancelled, "assignmentId", id,
            respondents, ct);
        await c.CommitAsync();
        return null;
    }

}
