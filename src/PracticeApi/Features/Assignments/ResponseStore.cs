using System.Globalization;
using PracticeApi.Features.Exercises;
using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Assignments;

internal sealed class ResponseStore(Db db, AuditLog audit, PracticeCalendar calendar, Outbox outbox,
    CareChanges changes)
{
    private const string Columns = """
        r.Id, r.AssignmentId, r.RespondentId, r.OccurrenceDate, r.Revision, r.Answers, r.SubmittedAt, r.Feedback,
            r.ReviewedBy, r.ReviewedAt, r.ReleasedAt
        """;

    private const string OfAssignmentSql = $"""
        SELECT {Columns} FROM Responses r WHERE r.PracticeId = @PracticeId AND r.AssignmentId = @AssignmentId
        ORDER BY r.OccurrenceDate, r.RespondentId, r.Revision
        """;

    private const string NextRevisionSql = """
        SELECT COALESCE(MAX(Revision), 0) + 1 FROM Responses
        WHERE AssignmentId = @AssignmentId AND RespondentId = @RespondentId AND OccurrenceDate = @OccurrenceDate
        """;

    private const string InsertSql = """
        INSERT INTO Responses (Id, PracticeId, AssignmentId, RespondentId, OccurrenceDate, Revision, Answers,
            SubmittedAt, SubmittedBy)
        VALUES (@Id, @PracticeId, @AssignmentId, @RespondentId, @OccurrenceDate, @Revision, @Answers, @Now,
            @SubmittedBy)
        """;

    private const string GetSql = $"SELECT {Columns} FROM Responses r WHERE r.Id = @Id AND r.PracticeId = @PracticeId";

    private const string ReviewSql = """
        UPDATE Responses SET Feedback = COALESCE(@Feedback, Feedback), ReviewedBy = @ReviewedBy, ReviewedAt = @Now,
               ReleasedAt = CASE WHEN @Release = 1 THEN COALESCE(ReleasedAt, @Now) ELSE ReleasedAt END
        WHERE Id = @Id AND PracticeId = @PracticeId
        """;

    /// <summary>Every due occurrence per respondent (a client sees only their own), with its status now.</summary>
    public async Task<Page<OccurrenceResponse>?> OccurrencesAsync(Caller caller, Guid assignmentId, PageQuery query,
        CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var assignment = await AssignmentReads.FindAsync(c, caller, assignmentId, ct);
        if (assignment is null) return null;
        var respondents = await AssignmentReads.RespondentsAsync(c, caller.PracticeId, [assignmentId], ct);
        var all = (await Occurrences.OfAsync(c, caller.PracticeId, [assignment], respondents,
            caller.IsPortal ? caller.ClientId : null, calendar, ct))
            .Select(d => d.Occurrence).ToList();

        var after = Cursor.Decode(query.Cursor, 2);
        var start = after is null ? 0 : all.FindIndex(o => Key(o).SequenceEqual(after)) + 1;
        var limit = query.EffectiveLimit();
        var items = all.Skip(start).Take(limit + 1).ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "occurrences", assignmentId,
            all.Select(o => o.RespondentId).Distinct().ToList()), ct);
        return Cursor.ToPage(items, limit, Key, o => o);

        static string[] Key(OccurrenceResponse o) => [o.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            o.RespondentId.ToString()];
    }

    /// <summary>Adds an answer, validated against the template version of the assignment; a repeat is a new
    /// revision.</summary>
    public async Task<Outcome<ResponseResponse>> SubmitAsync(Caller caller, Guid assignmentId,
        CreateResponseRequest request, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var assignment = await AssignmentReads.FindAsync(c, caller, assignmentId, ct);
        if (assignment is null) return Failure.NotFound("assignment");
        if (assignment.Status == AssignmentStatus.Cancelled.Wire())
        {
            return Failure.Conflict("invalid-transition", "Assignment is cancelled",
                "A cancelled assignment takes no answers.");
        }

        var respondents = (await AssignmentReads.RespondentsAsync(c, caller.PracticeId, [assignmentId],
            ct))[assignmentId].ToList();
        Guid respondent;
        if (caller.IsPortal)
        {
            if (request.RespondentId is { } other
                && other != caller.ClientId) return Failure.Forbidden("You can answer only as yourself.");
            if (!respondents.Contains(caller.ClientId!.Value)) return Failure.Forbidden(
                "This exercise is for your partner to answer.");
            respondent = caller.ClientId.Value;
        }
        else
        {
            if (request.RespondentId is not { } given) return Failure.Invalid("respondentId",
                "respondentId is required.");
            if (!respondents.Contains(given)) return Failure.Invalid("respondentId",
                "respondentId is not a respondent of this assignment.");
            respondent = given;
        }

        var date = Schedule.Occurrence(assignment.Dates, request.OccurrenceDate, calendar.Today);
        if (!date.Succeeded) return date.Failure!;

        var template = await TemplateReads.FindAsync(c, caller.PracticeId, assignment.TemplateId,
            assignment.TemplateVersion, ct);
        var errors = FieldRules.Check(template!.FieldList, request.Answers);
        if (errors.Count > 0)
        {
            return new Failure(StatusCodes.Status400BadRequest, "validation", "One or more fields are invalid.",
                $"The answers do not fit the exercise: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}"))}",
                new Dictionary<string, object?> { ["errors"] = errors });
        }

        var args = new
        {
            Id = EntityIds.New(), caller.PracticeId, AssignmentId = assignmentId, RespondentId = respondent, OccurrenceDate = date.Value,
            Answers = request.Answers.GetRawText(), calendar.Now, SubmittedBy = caller.ActorId,
            Revision = await c.ExecuteScalarAsync<int>(NextRevisionSql, new { AssignmentId = assignmentId,
                RespondentId = respondent, OccurrenceDate = date.Value }),
        };
        await c.ExecuteAsync(InsertSql, args);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "response", args.Id, [respondent],
            Detail: args.Revision > 1 ? $"revision {args.Revision}" : null));
        await outbox.PublishAsync(c, caller.PracticeId, EventType.ResponseSubmitted, "responseId", args.Id,
            [respondent], ct,
            ("assignmentId", assignmentId), ("respondentId", respondent), ("occurrenceDate", date.Value), ("revision",
                args.Revision));
        var row = await c.QuerySingleAsync<ResponseRow>(GetSql, new { args.Id, caller.PracticeId });
        await c.CommitAsync();
        await changes.RaiseAsync(new ExerciseAnswered(caller.PracticeId, assignmentId, assignment.CoupleId,
            template.Key, template.IsBuiltIn, respondent, request.Answers, caller), ct);
        return row.ToResponse();
    }

    /// <summary>
    /// Staff see every revision. A client sees their own, and the partner's only as the assignment's visibility allows
    /// (mutual_reveal: an occurrence once both have answered it; therapist_release: once released), without the review.
    /// </summary>
    public async Task<Page<ResponseResponse>?> ListAsync(Caller caller, Guid assignmentId, PageQuery query,
        CancellationToken ct)
    {
        List<ResponseRow> rows;
        await using (var c = await db.BeginReadAsync(ct))
        {
            var assignment = await AssignmentReads.FindAsync(c, caller, assignmentId, ct);
            if (assignment is null) return null;
            rows = await c.QueryAsync<ResponseRow>(OfAssignmentSql, new { caller.PracticeId,
                AssignmentId = assignmentId });
            if (caller.IsPortal)
            {
                var own = rows.Where(r => r.RespondentId == caller.ClientId).Select(r => r.OccurrenceDate).ToHashSet();
                var held = assignment.CoupleId is { } coupleId && await SafetyHold.AbuseOrDangerAsync(c,
                    caller.PracticeId, coupleId, ct);
                rows = rows.Where(r => r.RespondentId == caller.ClientId
                    || Visibilities.PartnerMaySee(assignment.Visibility, r, own, held)).ToList();
            }
        }

        var after = Cursor.Decode(query.Cursor, 2);
        var start = after is null ? 0 : rows.FindIndex(r => Key(r).SequenceEqual(after)) + 1;
        var limit = query.EffectiveLimit();
        var page = Cursor.ToPage(rows.Skip(start).Take(limit + 1).ToList(), limit, Key,
            r => r.ToResponse(withReview: !caller.IsPortal || r.RespondentId == caller.ClientId));
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "response", assignmentId,
            page.Items.Select(r => r.RespondentId).Distinct().ToList(), Detail: "list"), ct);
        return page;

        static string[] Key(ResponseRow r) => [r.OccurrenceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            r.Id.ToString()];
    }

    public async Task<Outcome<ResponseResponse>> ReviewAsync(Caller caller, Guid responseId, ReviewRequest request,
        CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var response = await c.QuerySingleOrDefaultAsync<ResponseRow>(GetSql, new { Id = responseId,
            caller.PracticeId });
        var assignment = response is null ? null : await AssignmentReads.FindAsync(c, caller,
            response.AssignmentId, ct);
        if (response is null || assignment is null) return Failure.NotFound("response");
        if (request.Release && assignment.Visibility != Visibility.TherapistRelease.Wire())
        {
            return Failure.Conflict("invalid-transition", "Nothing to release",
                $"Only responses of therapist_release assignments are released; this one is {assignment.Visibility}.");
        }

        await c.ExecuteAsync(ReviewSql, new
        {
            Id = responseId, caller.PracticeId, Feedback = request.Feedback?.Trim(), ReviewedBy = caller.ActorId, Release = request.Release ? 1 : 0,
            calendar.Now,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "response", responseId,
            [response.RespondentId], Detail: request.Release ? "reviewed and released" : "reviewed"));
        var row = await c.QuerySingleAsync<ResponseRow>(GetSql, new { Id = responseId, caller.PracticeId });
        await c.CommitAsync();
        // A released answer may start the next item of the couple's program (the hurt partner's reply after the
        // letter).
        if (request.Release) await changes.RaiseAsync(new AnswerReleased(caller.PracticeId, response.AssignmentId), ct);
        return row.ToResponse();
    }
}
