using System.Globalization;

namespace PracticeApi.Features.Measures;

/// <summary>
/// Measures assigned like exercises: once or on a cadence, each occurrence due at a local time. A score that names the
/// assignment answers one occurrence (the first answer fills it); how occurrences stand is computed, never stored.
/// </summary>
internal sealed class MeasureAssignments(Db db, AuditLog audit, PracticeCalendar calendar)
{
    private const string Columns = """
        a.Id, a.ClientId, a.MeasureId, d.MeasureKey, d.Name, a.Cadence, a.StartsOn, a.EndsOn, a.Occurrences, a.DueTime, a.Note, a.Status,
        a.CreatedBy, a.CreatedAt, a.CancelledAt
        """;

    private const string From = "FROM MeasureAssignments a JOIN MeasureDefinitions d ON d.Id = a.MeasureId AND d.PracticeId = a.PracticeId";

    private const string GetSql = $"SELECT {Columns} {From} WHERE a.PracticeId = @PracticeId AND a.ClientId = @ClientId AND a.Id = @Id";

    private const string ListSql = $"""
        SELECT {Columns} {From}
        WHERE a.PracticeId = @PracticeId AND a.ClientId = @ClientId AND a.Id > @After AND (@ActiveOnly = 0 OR a.Status = 'active')
        ORDER BY a.Id {SqlDialect.Limit}
        """;

    private const string InsertSql = """
        INSERT INTO MeasureAssignments (Id, PracticeId, ClientId, MeasureId, Cadence, StartsOn, EndsOn, Occurrences, DueTime, Note, Status, CreatedBy, CreatedAt)
        VALUES (@Id, @PracticeId, @ClientId, @MeasureId, @Cadence, @StartsOn, @EndsOn, @Occurrences, @DueTime, @Note, 'active', @CreatedBy, @Now)
        """;

    private const string CancelSql = """
        UPDATE MeasureAssignments SET Status = 'cancelled', CancelledAt = @Now WHERE PracticeId = @PracticeId AND Id = @Id AND Status = 'active'
        """;

    private const string MeasureExistsSql = "SELECT COUNT(*) FROM MeasureDefinitions WHERE PracticeId = @PracticeId AND Id = @Id";

    private const string TakenSql = """
        SELECT AssignmentId, OccurrenceDate, RecordedAt FROM MeasureScores WHERE PracticeId = @PracticeId AND AssignmentId IN @Ids
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public Guid ClientId { get; init; }
        public Guid MeasureId { get; init; }
        public string MeasureKey { get; init; } = "";
        public string Name { get; init; } = "";
        public string Cadence { get; init; } = "";
        public DateOnly StartsOn { get; init; }
        public DateOnly? EndsOn { get; init; }
        public int? Occurrences { get; init; }
        public string DueTime { get; init; } = "";
        public string? Note { get; init; }
        public string Status { get; init; } = "";
        public Guid? CreatedBy { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime? CancelledAt { get; init; }

        public IReadOnlyList<DateOnly> Dates => Schedule.Dates(Cadence, StartsOn, EndsOn, Occurrences);

        public TimeOnly Due => TimeOnly.ParseExact(DueTime, "HH:mm", CultureInfo.InvariantCulture);
    }

    private sealed record Taken
    {
        public Guid AssignmentId { get; init; }
        public DateOnly OccurrenceDate { get; init; }
        public DateTime RecordedAt { get; init; }
    }

    private sealed record Occurrence(Row Assignment, DateOnly Date, DateTime DueAt, string Status);

    public async Task<Outcome<MeasureAssignmentResponse>> AssignAsync(Caller caller, Guid clientId, AssignMeasureRequest request, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (await CareRules.CheckWritableAsync(c, caller, clientId) is { } refused) return refused;
        if (await c.ExecuteScalarAsync<int>(MeasureExistsSql, new { caller.PracticeId, Id = request.MeasureId }) == 0)
        {
            return Failure.Invalid("measureId", "measureId is not a measure of this practice.");
        }

        var startsOn = request.StartsOn ?? calendar.Today;
        if (request.EndsOn is { } end && end < startsOn) return Failure.Invalid("endsOn", "endsOn must not be before startsOn.");
        var id = EntityIds.New();
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, ClientId = clientId, request.MeasureId, request.Cadence, StartsOn = startsOn, request.EndsOn, request.Occurrences,
            DueTime = request.DueTime ?? "21:00", Note = request.Note?.Trim(), CreatedBy = caller.ActorId, calendar.Now,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Create, "measure_assignment", id, [clientId], Detail: request.Cadence));
        var row = await c.QuerySingleAsync<Row>(GetSql, new { caller.PracticeId, ClientId = clientId, Id = id });
        var response = await ResponsesAsync(c, caller.PracticeId, [row]);
        await c.CommitAsync();
        return response[0];
    }

    public async Task<Outcome<Page<MeasureAssignmentResponse>>> ListAsync(Caller caller, Guid clientId, IdPageQuery query, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        var rows = await c.QueryAsync<Row>(ListSql, new
        {
            caller.PracticeId, ClientId = clientId, After = Cursor.After(query.Cursor), ActiveOnly = 0, Limit = query.EffectiveLimit() + 1,
        });
        var kept = rows.Take(query.EffectiveLimit()).ToList();
        var responses = (await ResponsesAsync(c, caller.PracticeId, kept)).ToDictionary(r => r.Id);
        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "measure_assignment", null, [clientId]), ct);
        return Cursor.ToPage(rows, query.EffectiveLimit(), r => [r.Id.ToString()], r => responses[r.Id]);
    }

    public async Task<Outcome<MeasureAssignmentResponse>> GetAsync(Caller caller, Guid clientId, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        if (await c.QuerySingleOrDefaultAsync<Row>(GetSql, new { caller.PracticeId, ClientId = clientId, Id = id }) is not { } row)
        {
            return Failure.NotFound("measure assignment");
        }

        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "measure_assignment", id, [clientId]), ct);
        return (await ResponsesAsync(c, caller.PracticeId, [row]))[0];
    }

    /// <summary>Stops the assignment: no more occurrences are offered; scores already taken stay.</summary>
    public async Task<Outcome<MeasureAssignmentResponse>> CancelAsync(Caller caller, Guid clientId, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        if (await c.QuerySingleOrDefaultAsync<Row>(GetSql, new { caller.PracticeId, ClientId = clientId, Id = id }) is null)
        {
            return Failure.NotFound("measure assignment");
        }

        if (await c.ExecuteAsync(CancelSql, new { caller.PracticeId, Id = id, calendar.Now }) == 0)
        {
            return Failure.Conflict("invalid-transition", "Assignment is cancelled", "This measure assignment is cancelled already.");
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Update, "measure_assignment", id, [clientId], Detail: "cancelled"));
        var row = await c.QuerySingleAsync<Row>(GetSql, new { caller.PracticeId, ClientId = clientId, Id = id });
        var response = await ResponsesAsync(c, caller.PracticeId, [row]);
        await c.CommitAsync();
        return response[0];
    }

    /// <summary>A portal client's measures to take: occurrences not taken yet, today's and those of the last two weeks, oldest first.</summary>
    public async Task<List<DueMeasure>> DueAsync(Guid practiceId, Guid clientId, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var active = await c.QueryAsync<Row>(ListSql, new
        {
            PracticeId = practiceId, ClientId = clientId, After = Guid.Empty, ActiveOnly = 1, Limit = Schedule.MaxOccurrences,
        });
        var today = calendar.Today;
        return (await OccurrencesAsync(c, practiceId, active))
            .Where(o => o.Status is OccurrenceStatuses.Upcoming or OccurrenceStatuses.Missed && o.Date <= today && o.Date > today.AddDays(-Schedule.OverdueDays))
            .OrderBy(o => o.DueAt).ThenBy(o => o.Assignment.Id)
            .Select(o => new DueMeasure(o.Assignment.Id, o.Assignment.MeasureId, o.Assignment.Name, o.Date, o.DueAt, o.Status)).ToList();
    }

    /// <summary>
    /// The occurrence a score answers, inside the score's transaction: an active assignment of this client for this version of
    /// the measure, the occurrence given or the latest that has begun, not in the future.
    /// </summary>
    public async Task<Outcome<DateOnly>> OccurrenceAsync(DbWrite c, Caller caller, Guid clientId, Guid assignmentId, Guid measureId, DateOnly? date)
    {
        if (await c.QuerySingleOrDefaultAsync<Row>(GetSql, new { caller.PracticeId, ClientId = clientId, Id = assignmentId }) is not { } row)
        {
            return Failure.Invalid("assignmentId", "assignmentId is not a measure assignment of this client.");
        }

        if (row.Status == "cancelled") return Failure.Conflict("invalid-transition", "Assignment is cancelled", "A cancelled measure assignment takes no answers.");
        if (row.MeasureId != measureId) return Failure.Invalid("measureId", "measureId is not the version of the measure this assignment asks for.");
        return Schedule.Occurrence(row.Dates, date, calendar.Today);
    }

    private async Task<List<Occurrence>> OccurrencesAsync(DbSession c, Guid practiceId, IReadOnlyList<Row> rows)
    {
        if (rows.Count == 0) return [];
        var taken = (await c.QueryAsync<Taken>(TakenSql, new { PracticeId = practiceId, Ids = rows.Select(r => r.Id).ToList() }))
            .ToDictionary(t => (t.AssignmentId, t.OccurrenceDate), t => t.RecordedAt);
        var now = calendar.Now;
        return rows.SelectMany(r => r.Dates.Select(d =>
        {
            var dueAt = calendar.ToUtc(d, r.Due);
            var answered = taken.TryGetValue((r.Id, d), out var at) ? at : (DateTime?)null;
            // A cancelled assignment's occurrences not taken are no longer asked for.
            var status = r.Status == "cancelled" && answered is null && d >= calendar.LocalDate(r.CancelledAt!.Value) ? "cancelled" : Schedule.Status(dueAt, answered, now);
            return new Occurrence(r, d, dueAt, status);
        })).ToList();
    }

    private async Task<List<MeasureAssignmentResponse>> ResponsesAsync(DbSession c, Guid practiceId, IReadOnlyList<Row> rows)
    {
        var byAssignment = (await OccurrencesAsync(c, practiceId, rows)).ToLookup(o => o.Assignment.Id);
        var now = calendar.Now;
        return rows.Select(r =>
        {
            var occurrences = byAssignment[r.Id].ToList();
            int Count(string status) => occurrences.Count(o => o.Status == status);
            var status = r.Status == "cancelled" ? "cancelled" : occurrences.Count > 0 && occurrences[^1].DueAt < now ? "completed" : "active";
            var next = r.Status == "cancelled" ? null : occurrences.FirstOrDefault(o => o.Status == OccurrenceStatuses.Upcoming)?.DueAt;
            return new MeasureAssignmentResponse(r.Id, r.ClientId, r.MeasureId, r.MeasureKey, r.Name, r.Cadence, r.StartsOn, r.EndsOn, r.Occurrences, r.DueTime,
                r.Note, status, new OccurrenceCounts(Count(OccurrenceStatuses.Done), Count(OccurrenceStatuses.Late), Count(OccurrenceStatuses.Missed),
                    Count(OccurrenceStatuses.Upcoming)), next, r.CreatedBy, r.CreatedAt, r.CancelledAt);
        }).ToList();
    }
}
