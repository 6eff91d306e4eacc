
namespace PracticeApi.Features.Measures;

/// <summary>
/// Measures assigned like exercises: once or on a cadence, each occurrence due at a local time. A score that names the
/// assignment answers one occurrence (the first answer fills it); how occurrences stand is computed, never stored.
/// </summary>
internal sealed class MeasureAssignments(Db db, AuditLog audit, PracticeCalendar calendar)
{
    private const string Columns = MeasureSchedule.Columns;

    private const string From = MeasureSchedule.From;

    private const string GetSql = $"SELECT {Columns} {From} WHERE a.PracticeId = @PracticeId AND a.ClientId = @ClientId AND a.Id = @Id";

    private const string InsertSql = """
        INSERT INTO MeasureAssignments (Id, PracticeId, ClientId, MeasureId, Cadence, StartsOn, EndsOn, Occurrences,
            DueTime, Note, Status, CreatedBy, CreatedAt)
        VALUES (@Id, @PracticeId, @ClientId, @MeasureId, @Cadence, @StartsOn, @EndsOn, @Occurrences, @DueTime, @Note,
            'active', @CreatedBy, @Now)
        """;

    private const string CancelSql = """
        UPDATE MeasureAssignments SET Status = 'cancelled', CancelledAt = @Now WHERE PracticeId = @PracticeId
            AND Id = @Id AND Status = 'active'
        """;

    private const string MeasureExistsSql = "SELECT COUNT(*) FROM MeasureDefinitions WHERE PracticeId = @PracticeId AND Id = @Id";

    public async Task<Outcome<MeasureAssignmentResponse>> AssignAsync(Caller caller, Guid clientId,
        AssignMeasureRequest request, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (await CareRules.CheckWritableAsync(c, caller, clientId) is { } refused) return refused;
        if (await c.ExecuteScalarAsync<int>(MeasureExistsSql, new { caller.PracticeId, Id = request.MeasureId }) == 0)
        {
            return Failure.Invalid("measureId", "measureId is not a measure of this practice.");
        }

        var startsOn = request.StartsOn ?? calendar.Today;
        if (request.EndsOn is { } end && end < startsOn) return Failure.Invalid("endsOn",
            "endsOn must not be before startsOn.");
        var id = EntityIds.New();
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, ClientId = clientId, request.MeasureId, Cadence = request.Cadence.Wire(), StartsOn = startsOn, request.EndsOn, request.Occurrences,
            DueTime = request.DueTime ?? "21:00", Note = request.Note?.Trim(), CreatedBy = caller.ActorId, calendar.Now,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "measure_assignment", id, [clientId],
            Detail: request.Cadence.Wire()));
        var row = await c.QuerySingleAsync<MeasureSchedule.Row>(GetSql, new { caller.PracticeId,
            ClientId = clientId, Id = id });
        var response = await ResponsesAsync(c, caller.PracticeId, [row]);
        await c.CommitAsync();
        return response[0];
    }

    public async Task<Outcome<Page<MeasureAssignmentResponse>>> ListAsync(Caller caller, Guid clientId,
        IdPageQuery query, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        var rows = await c.QueryAsync<MeasureSchedule.Row>(MeasureSchedule.ListSql, new
        {
            caller.PracticeId, ClientId = clientId, After = Cursor.After(
                query.Cursor), ActiveOnly = 0, Limit = query.EffectiveLimit() + 1,
        });
        var kept = rows.Take(query.EffectiveLimit()).ToList();
        var responses = (await ResponsesAsync(c, caller.PracticeId, kept)).ToDictionary(r => r.Id);
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "measure_assignment", null, [clientId]), ct);
        return Cursor.ToPage(rows, query.EffectiveLimit(), r => [r.Id.ToString()], r => responses[r.Id]);
    }

    public async Task<Outcome<MeasureAssignmentResponse>> GetAsync(Caller caller, Guid clientId, Guid id,
        CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        if (await c.QuerySingleOrDefaultAsync<MeasureSchedule.Row>(GetSql, new { caller.PracticeId,
            ClientId = clientId, Id = id }) is not { } row)
        {
            return Failure.NotFound("measure assignment");
        }

        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "measure_assignment", id, [clientId]), ct);
        return (await ResponsesAsync(c, caller.PracticeId, [row]))[0];
    }

    /// <summary>Stops the assignment: no more occurrences are offered; scores already taken stay.</summary>
    public async Task<Outcome<MeasureAssignmentResponse>> CancelAsync(Caller caller, Guid clientId, Guid id,
        CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        if (await c.QuerySingleOrDefaultAsync<MeasureSchedule.Row>(GetSql, new { caller.PracticeId,
            ClientId = clientId, Id = id }) is null)
        {
            return Failure.NotFound("measure assignment");
        }

        if (await c.ExecuteAsync(CancelSql, new { caller.PracticeId, Id = id, calendar.Now }) == 0)
        {
            return Failure.Conflict("invalid-transition", "Assignment is cancelled",
                "This measure assignment is cancelled already.");
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "measure_assignment", id, [clientId],
            Detail: "cancelled"));
        var row = await c.QuerySingleAsync<MeasureSchedule.Row>(GetSql, new { caller.PracticeId,
            ClientId = clientId, Id = id });
        var response = await ResponsesAsync(c, caller.PracticeId, [row]);
        await c.CommitAsync();
        return response[0];
    }

    /// <summary>
    /// The occurrence a score answers, inside the score's transaction: an active assignment of this client for this
    /// version of the measure, the occurrence given or the latest that has begun, not in the future.
    /// </summary>
    public async Task<Outcome<DateOnly>> OccurrenceAsync(DbWrite c, Caller caller, Guid clientId, Guid assignmentId,
        Guid measureId, DateOnly? date)
    {
        if (await c.QuerySingleOrDefaultAsync<MeasureSchedule.Row>(GetSql, new { caller.PracticeId,
            ClientId = clientId, Id = assignmentId }) is not { } row)
        {
            return Failure.Invalid("assignmentId", "assignmentId is not a measure assignment of this client.");
        }

        if (row.Status == Assignments.AssignmentStatus.Cancelled.Wire())
        {
            return Failure.Conflict("invalid-transition", "Assignment is cancelled",
                "A cancelled measure assignment takes no answers.");
        }

        if (row.MeasureId != measureId) return Failure.Invalid("measureId",
            "measureId is not the version of the measure this assignment asks for.");
        return Schedule.Occurrence(row.Dates, date, calendar.Today);
    }

    private async Task<List<MeasureAssignmentResponse>> ResponsesAsync(DbSession c, Guid practiceId,
        IReadOnlyList<MeasureSchedule.Row> rows)
    {
        var byAssignment = (await MeasureSchedule.OccurrencesAsync(c, practiceId, rows,
            calendar)).ToLookup(o => o.Assignment.Id);
        var now = calendar.Now;
        return rows.Select(r =>
        {
            var occurrences = byAssignment[r.Id].ToList();
            int Count(OccurrenceStatus status) => occurrences.Count(o => o.Status == status);
            var status = r.Status == Assignments.AssignmentStatus.Cancelled.Wire() ? Assignments.AssignmentStatus.Cancelled
                : occurrences.Count > 0 && occurrences[^1].DueAt < now ? Assignments.AssignmentStatus.Completed
                : Assignments.AssignmentStatus.Active;
            var next = r.Status == Assignments.AssignmentStatus.Cancelled.Wire()
                ? null : occurrences.FirstOrDefault(o => o.Status == OccurrenceStatus.Upcoming)?.DueAt;
            return new MeasureAssignmentResponse(r.Id, r.ClientId, r.MeasureId, r.MeasureKey, r.Name,
                ClosedSets.Parse<Cadence>(r.Cadence), r.StartsOn, r.EndsOn, r.Occurrences, r.DueTime,
                r.Note, status, new OccurrenceCounts(Count(OccurrenceStatus.Done), Count(OccurrenceStatus.Late),
                    Count(OccurrenceStatus.Missed), Count(OccurrenceStatus.Upcoming)), next, r.CreatedBy, r.CreatedAt, r.CancelledAt);
        }).ToList();
    }
}
