using PracticeApi.Features.Couples;

namespace PracticeApi.Features.RepairWork;

/// <summary>
/// The therapist's view, over time, of whether the couple's trust looks repairable. Therapists' own working notes: for
/// the partners' care team only (as safety screenings), not for partners, integrations or FHIR, and not part of a
/// client's export.
/// </summary>
internal sealed class RepairAssessmentStore(Db db, AuditLog audit, PracticeCalendar calendar)
{
    private const string Columns = "Id, CoupleId, AssessedOn, RepairableSigns, IrreparableSigns, Motivations, Outlook, Note, AssessedBy, CreatedAt";

    // Newest first.
    private static readonly string ListSql = $"""
        SELECT {Columns} FROM RepairAssessments
        WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId
          AND (@BeforeOn IS NULL OR AssessedOn < @BeforeOn OR (AssessedOn = @BeforeOn AND Id < @BeforeId))
        ORDER BY AssessedOn DESC, Id DESC {SqlDialect.Limit}
        """;

    private const string GetSql = $"SELECT {Columns} FROM RepairAssessments WHERE Id = @Id AND PracticeId = @PracticeId";

    private const string InsertSql = """
        INSERT INTO RepairAssessments (Id, PracticeId, CoupleId, AssessedOn, RepairableSigns, IrreparableSigns,
            Motivations, Outlook, Note, AssessedBy, CreatedAt)
        VALUES (@Id, @PracticeId, @CoupleId, @AssessedOn, @RepairableSigns, @IrreparableSigns, @Motivations, @Outlook,
            @Note, @AssessedBy, @Now)
        """;

    private sealed record Row
    {
        public Guid Id { get; init; }
        public Guid CoupleId { get; init; }
        public DateOnly AssessedOn { get; init; }
        public string RepairableSigns { get; init; } = "[]";
        public string IrreparableSigns { get; init; } = "[]";
        public string Motivations { get; init; } = "[]";
        public string Outlook { get; init; } = "";
        public string? Note { get; init; }
        public Guid? AssessedBy { get; init; }
        public DateTime CreatedAt { get; init; }

        public RepairAssessmentResponse ToResponse() => new(Id, CoupleId, AssessedOn,
            StoredJson.Read<List<string>>(RepairableSigns) ?? [], StoredJson.Read<List<string>>(IrreparableSigns)
                ?? [], StoredJson.Read<List<PartnerMotivation>>(Motivations)
                ?? [], ClosedSets.Parse<Outlook>(Outlook), Note, AssessedBy, CreatedAt);
    }

    public async Task<Outcome<RepairAssessmentResponse>> AddAsync(Caller caller, Guid coupleId,
        RepairAssessmentRequest request, CancellationToken ct)
    {
        var on = request.AssessedOn ?? calendar.Today;
        if (on > calendar.Today) return Failure.Invalid("assessedOn", "assessedOn cannot be in the future.");
        await using var c = await db.BeginWriteAsync(ct);
        var couple = await CoupleReads.FindForCareTeamAsync(c, caller, coupleId, ct);
        if (couple is null) return Failure.NotFound("couple");
        var motivations = request.Motivations ?? [];
        if (motivations.Any(m => !couple.Partners.Contains(m.PartnerId)) || motivations.Select(m => m.PartnerId)
            .Distinct().Count() != motivations.Count)
        {
            return Failure.Invalid("motivations", "motivations name each partner of this couple at most once.");
        }

        var args = new
        {
            Id = EntityIds.New(), caller.PracticeId, CoupleId = coupleId, AssessedOn = on, RepairableSigns = StoredJson.Write(request.RepairableSigns),
            IrreparableSigns = StoredJson.Write(request.IrreparableSigns), Motivations = StoredJson.Write(
                motivations), Outlook = request.Outlook.Wire(),
            Note = request.Note?.Trim(), AssessedBy = caller.TherapistId, calendar.Now,
        };
        await c.ExecuteAsync(InsertSql, args);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "repair_assessment", args.Id,
            couple.Partners));
        var row = await c.QuerySingleAsync<Row>(GetSql, args);
        await c.CommitAsync();
        return row.ToResponse();
    }

    public async Task<Page<RepairAssessmentResponse>?> ListAsync(Caller caller, Guid coupleId, PageQuery query,
        CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        List<Row> rows;
        CoupleRow? couple;
        await using (var c = await db.BeginReadAsync(ct))
        {
            couple = await CoupleReads.FindForCareTeamAsync(c, caller, coupleId, ct);
            if (couple is null) return null;
            var (beforeOn, beforeId) = Cursor.DecodeDateAndId(query.Cursor);
            rows = await c.QueryAsync<Row>(ListSql, new
            {
                caller.PracticeId, CoupleId = coupleId, BeforeOn = beforeOn, BeforeId = beforeId, Limit = limit + 1,
            });
        }

        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "repair_assessments", coupleId,
            couple.Partners), ct);
        return Cursor.ToPage(rows, limit, r => [r.AssessedOn.ToString("yyyy-MM-dd",
            System.Globalization.CultureInfo.InvariantCulture), r.Id.ToString()], r => r.ToResponse());
    }
}
