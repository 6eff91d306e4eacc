using PracticeApi.Features.Exercises;
using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Assignments;

internal sealed partial class AssignmentStore(Db db, AuditLog audit, PracticeCalendar calendar, Outbox outbox)
{
    public const string Columns = """
        a.Id, a.TemplateId, a.TemplateVersion, a.ClientId, a.CoupleId, a.Respondents, a.Cadence, a.StartsOn, a.EndsOn, a.Occurrences,
        a.DueTime, a.LastDueAt, a.Note, a.Visibility, a.Status, a.SafetyOverrideReason, a.CreatedBy, a.CancelledAt, a.Version,
        a.CreatedAt, a.UpdatedAt
        """;

    // Staff see an assignment when its client, or both partners of its couple, are on their caseload.
    internal static readonly string StaffVisible = $"""
        ((a.ClientId IS NOT NULL AND {Caseload.Client("a.ClientId")})
         OR (a.CoupleId IS NOT NULL AND EXISTS (SELECT 1 FROM Couples cv WHERE cv.Id = a.CoupleId AND cv.PracticeId = @PracticeId AND {Caseload.Couple("cv")})))
        """;

    // A client sees their own assignments and those of the couples they are in.
    private const string PortalVisible = """
        (a.ClientId = @PortalClient OR EXISTS (SELECT 1 FROM Couples cp WHERE cp.Id = a.CoupleId AND cp.PracticeId = @PracticeId
                                              AND (cp.PartnerAId = @PortalClient OR cp.PartnerBId = @PortalClient)))
        """;

    private static readonly string StaffGetSql = $"SELECT {Columns} FROM Assignments a WHERE a.Id = @Id AND a.PracticeId = @PracticeId AND {StaffVisible}";
    private const string PortalGetSql = $"SELECT {Columns} FROM Assignments a WHERE a.Id = @Id AND a.PracticeId = @PracticeId AND {PortalVisible}";

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

    private const string PortalCouplesSql = """
        SELECT Id FROM Couples WHERE PracticeId = @PracticeId AND (PartnerAId = @PortalClient OR PartnerBId = @PortalClient)
        """;

    private const string PortalListSql = $"""
        SELECT {Columns} FROM Assignments a
        WHERE a.PracticeId = @PracticeId AND (a.ClientId = @PortalClient OR a.CoupleId IN @CoupleIds) AND a.Id > @After
        ORDER BY a.Id {SqlDialect.Limit}
        """;

    private const string RespondentsSql = "SELECT AssignmentId, ClientId FROM AssignmentRespondents WHERE PracticeId = @PracticeId AND AssignmentId IN @Ids";

    private const string InsertSql = """
        INSERT INTO Assignments (Id, PracticeId, TemplateId, TemplateVersion, ClientId, CoupleId, Respondents, Cadence, StartsOn, EndsOn, Occurrences,
                                 DueTime, LastDueAt, Note, Visibility, Status, SafetyOverrideReason, CreatedBy, Version, CreatedAt, UpdatedAt)
        VALUES (@Id, @PracticeId, @TemplateId, @TemplateVersion, @ClientId, @CoupleId, @Respondents, @Cadence, @StartsOn, @EndsOn, @Occurrences,
                @DueTime, @LastDueAt, @Note, @Visibility, 'active', @SafetyOverrideReason, @CreatedBy, 1, @Now, @Now)
        """;

    private const string InsertRespondentSql = "INSERT INTO AssignmentRespondents (PracticeId, AssignmentId, ClientId) VALUES (@PracticeId, @AssignmentId, @ClientId)";

    private const string CancelSql = """
        UPDATE Assignments SET Status = 'cancelled', CancelledAt = @Now, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Status = 'active'
        """;

    private sealed record RespondentRow
    {
        public Guid AssignmentId { get; init; }
        public Guid ClientId { get; init; }
    }

    public async Task<Outcome<AssignmentResponse>> CreateAsync(Caller caller, CreateAssignmentRequest request, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var created = await CreateAsync(c, caller, request, ct);
        if (created.Succeeded) await c.CommitAsync();
        return created;
    }

    /// <summary>Creates an assignment inside the caller's transaction (a program records the item with it); does not commit.</summary>
    internal async Task<Outcome<AssignmentResponse>> CreateAsync(DbWrite c, Caller caller, CreateAssignmentRequest request,
        CancellationToken ct)
    {
        var id = EntityIds.New();
        var template = await TemplateReads.FindAsync(c, caller.PracticeId, request.TemplateId, null, ct);
        if (template is null) return Failure.NotFound("exercise template");

        IReadOnlyList<Guid> respondents;
        string? coupleRespondents = null;
        var visibility = Visibilities.Private;
        var overridden = false;
        if (request.ClientId is { } clientId)
        {
            if (await CareRules.CheckInCareAsync(c, caller, [clientId]) is { } notInCare) return notInCare;
            if (request.Respondents is not null && request.Respondents != clientId.ToString())
            {
                return Failure.Invalid("respondents", "an assignment to one client is answered by that client.");
            }

            respondents = [clientId];
        }
        else
        {
            var open = await CareRules.OpenCoupleAsync(c, caller, request.CoupleId!.Value);
            if (!open.Succeeded) return open.Failure!;
            var couple = open.Value!;
            coupleRespondents = request.Respondents ?? DefaultRespondents(template.Audience, couple);
            // A record held together is both partners': always shared between them.
            visibility = coupleRespondents == CreateAssignmentValidator.Together ? Visibilities.Shared : request.Visibility ?? DefaultVisibility(template.Key);
            // Conjoint work waits during a hold; so does showing one partner's answers to the other while there is danger
            // (judged on the visibility the assignment will have, whether asked for or implied).
            var sharing = visibility is Visibilities.Shared or Visibilities.MutualReveal;
            if (couple.SafetyHold && string.IsNullOrWhiteSpace(request.SafetyOverrideReason) &&
                (template.Conjoint || (sharing && await SafetyHold.AbuseOrDangerAsync(c, caller.PracticeId, couple.Id, ct))))
            {
                return SafetyHold.Refused(template.Conjoint
                    ? "conjoint exercises (individual ones stay allowed)"
                    : "sharing one partner's answers with the other (private or therapist_release visibility stays allowed)");
            }

            overridden = couple.SafetyHold && !string.IsNullOrWhiteSpace(request.SafetyOverrideReason);
            var resolved = ResolveRespondents(couple, coupleRespondents);
            if (!resolved.Succeeded) return resolved.Failure!;
            respondents = resolved.Value!;
        }

        var cadence = request.Cadence ?? template.Cadence;
        var startsOn = request.StartsOn ?? calendar.Today;
        var count = request.EndsOn is null && request.Occurrences is null ? DefaultCount(cadence) : request.Occurrences;
        var dates = Schedule.Dates(cadence, startsOn, request.EndsOn, count);
        var dueTime = request.DueTime ?? "21:00";
        var row = new
        {
            Id = id, caller.PracticeId, request.TemplateId, TemplateVersion = template.CurrentVersion, request.ClientId, request.CoupleId,
            Respondents = request.Respondents ?? coupleRespondents ?? request.ClientId.ToString()!,
            Cadence = cadence, StartsOn = startsOn, EndsOn = cadence == "once" ? null : request.EndsOn, Occurrences = cadence == "once" ? null : count,
            DueTime = dueTime, LastDueAt = calendar.ToUtc(dates[^1], TimeOnly.ParseExact(dueTime, "HH:mm")),
            Note = request.Note?.Trim(), Visibility = visibility,
            SafetyOverrideReason = request.SafetyOverrideReason?.Trim(), CreatedBy = caller.ActorId, Now = calendar.Now,
        };
        await c.ExecuteAsync(InsertSql, row);
        await c.ExecuteAsync(InsertRespondentSql, respondents.Select(r => new { caller.PracticeId, AssignmentId = id, ClientId = r }).ToList());
        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Create, "assignment", id, respondents));
        await outbox.PublishAsync(c, caller.PracticeId, EventTypes.AssignmentCreated, "assignmentId", id, respondents, ct,
            ("coupleId", request.CoupleId), ("templateId", request.TemplateId));
        if (overridden)
        {
            await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Override, "assignment", id, respondents, Detail: "safety hold"));
        }

        var created = await FindAsync(c, caller, id, ct);
        return created!.ToResponse(respondents, calendar.Now, caller);
    }

    public async Task<(AssignmentRow Row, IReadOnlyList<Guid> Respondents)?> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var row = await FindAsync(c, caller, id, ct);
        if (row is null) return null;
        var respondents = (await RespondentsAsync(c, caller.PracticeId, [id], ct))[id].ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "assignment", id, respondents), ct);
        return (row, respondents);
    }

    /// <summary>The exercise an assignment the caller sees asks for: the template version it was made with.</summary>
    public async Task<TemplateRow?> ExerciseAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return await FindAsync(c, caller, id, ct) is { } row ? await TemplateReads.FindAsync(c, caller.PracticeId, row.TemplateId, row.TemplateVersion, ct) : null;
    }

    public async Task<Page<AssignmentResponse>> ListAsync(Caller caller, AssignmentListQuery query, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        List<AssignmentRow> rows;
        ILookup<Guid, Guid> respondents;
        await using (var c = await db.BeginReadAsync(ct))
        {
            if (caller.IsPortal)
            {
                var couples = (await c.QueryAsync<Guid>(PortalCouplesSql, new { caller.PracticeId, PortalClient = caller.ClientId })).ToList();
                rows = await c.QueryAsync<AssignmentRow>(PortalListSql, new
                {
                    caller.PracticeId, PortalClient = caller.ClientId, CoupleIds = couples.Count == 0 ? [Guid.Empty] : couples,
                    After = Cursor.After(query.Cursor), Limit = limit + 1,
                });
            }
            else
            {
                rows = await c.QueryAsync<AssignmentRow>(query.ClientId is null ? ListSql : ListByClientSql, new
                {
                    caller.PracticeId, Caseload = caller.Caseload, After = Cursor.After(query.Cursor), query.ClientId, query.CoupleId,
                    query.Status, query.TemplateId, calendar.Now, Limit = limit + 1,
                });
            }

            respondents = await RespondentsAsync(c, caller.PracticeId, rows.Take(limit).Select(r => r.Id).ToList(), ct);
        }

        var page = Cursor.ToPage(rows, limit, r => [r.Id.ToString()], r => r.ToResponse(respondents[r.Id], calendar.Now, caller));
        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "assignment", null,
            page.Items.SelectMany(a => a.RespondentIds).Distinct().ToList(), Detail: "list"), ct);
        return page;
    }

    public async Task<Failure?> CancelAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var row = await FindAsync(c, caller, id, ct);
        if (row is null) return Failure.NotFound("assignment");
        if (row.Status == AssignmentStatuses.Cancelled)
        {
            return Failure.Conflict("invalid-transition", "Assignment is cancelled", "The assignment was cancelled already.");
        }

        await c.ExecuteAsync(CancelSql, new { Id = id, caller.PracticeId, calendar.Now });
        var respondents = (await RespondentsAsync(c, caller.PracticeId, [id], ct))[id].ToList();
        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Update, "assignment", id, respondents, Detail: "cancelled"));
        await outbox.PublishAsync(c, caller.PracticeId, EventTypes.AssignmentCancelled, "assignmentId", id, respondents, ct);
        await c.CommitAsync();
        return null;
    }

    /// <summary>An assignment visible to the caller: through the caseload for staff, as own or own couple's for a client.</summary>
    public static Task<AssignmentRow?> FindAsync(DbSession c, Caller caller, Guid id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<AssignmentRow>(caller.IsPortal ? PortalGetSql : StaffGetSql, new { Id = id, caller.PracticeId, Caseload = caller.Caseload, PortalClient = caller.ClientId });

    public static async Task<ILookup<Guid, Guid>> RespondentsAsync(DbSession c, Guid practiceId, IReadOnlyCollection<Guid> ids,
        CancellationToken ct)
    {
        if (ids.Count == 0) return Array.Empty<RespondentRow>().ToLookup(r => r.AssignmentId, r => r.ClientId);
        var rows = await c.QueryAsync<RespondentRow>(RespondentsSql, new { PracticeId = practiceId, Ids = ids });
        return rows.OrderBy(r => r.ClientId).ToLookup(r => r.AssignmentId, r => r.ClientId);
    }
}
