using System.Globalization;

namespace PracticeApi.Features.Measures;

/// <summary>
/// How a client's measure assignments stand, computed from their schedule and the scores taken (never stored): each
/// occurrence done, late, missed, upcoming or cancelled, and what the portal asks them to take now.
/// </summary>
internal static class MeasureSchedule
{
    public const string Columns = """
        a.Id, a.ClientId, a.MeasureId, d.MeasureKey, d.Name, a.Cadence, a.StartsOn, a.EndsOn, a.Occurrences, a.DueTime,
            a.Note, a.Status,
        a.CreatedBy, a.CreatedAt, a.CancelledAt
        """;

    public const string From = "FROM MeasureAssignments a JOIN MeasureDefinitions d ON d.Id = a.MeasureId AND d.PracticeId = a.PracticeId";

    public const string ListSql = $"""
        SELECT {Columns} {From}
        WHERE a.PracticeId = @PracticeId AND a.ClientId = @ClientId AND a.Id > @After AND (@ActiveOnly = 0
            OR a.Status = 'active')
        ORDER BY a.Id {SqlDialect.Limit}
        """;

    private const string TakenSql = """
        SELECT AssignmentId, OccurrenceDate, RecordedAt FROM MeasureScores WHERE PracticeId = @PracticeId
            AND AssignmentId IN @Ids
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

    /// <summary>One date of a measure's schedule; no status once its assignment was cancelled and it was not
    /// taken (it is no longer asked for).</summary>
    internal sealed record Occurrence(Row Assignment, DateOnly Date, DateTime DueAt, OccurrenceStatus? Status);

    /// <summary>A portal client's measures to take: occurrences not taken yet, today's and those of the last two weeks,
    /// oldest first.</summary>
    public static async Task<List<DueMeasure>> DueAsync(DbSession c, Guid practiceId, Guid clientId,
        PracticeCalendar calendar)
    {
        var active = await c.QueryAsync<Row>(ListSql, new
        {
            PracticeId = practiceId, ClientId = clientId, After = Guid.Empty, ActiveOnly = 1, Limit = Schedule.MaxOccurrences,
        });
        var today = calendar.Today;
        return (await OccurrencesAsync(c, practiceId, active, calendar))
            .Where(o => o.Status is OccurrenceStatus.Upcoming or OccurrenceStatus.Missed && o.Date <= today
            && o.Date > today.AddDays(-Schedule.OverdueDays))
            .OrderBy(o => o.DueAt).ThenBy(o => o.Assignment.Id)
            .Select(o => new DueMeasure(o.Assignment.Id, o.Assignment.MeasureId, o.Assignment.Name, o.Date, o.DueAt,
            o.Status!.Value)).ToList();
    }

    public static async Task<List<Occurrence>> OccurrencesAsync(DbSession c, Guid practiceId, IReadOnlyList<Row> rows,
        PracticeCalendar calendar)
    {
        if (rows.Count == 0) return [];
        var taken = (await c.QueryAsync<Taken>(TakenSql, new { PracticeId = practiceId, Ids = rows.Select(r => r.Id)
            .ToList() }))
            .ToDictionary(t => (t.AssignmentId, t.OccurrenceDate), t => t.RecordedAt);
        var now = calendar.Now;
        return rows.SelectMany(r => r.Dates.Select(d =>
        {
            var dueAt = calendar.ToUtc(d, r.Due);
            var answered = taken.TryGetValue((r.Id, d), out var at) ? at : (DateTime?)null;
            // A cancelled assignment's occurrences not taken are no longer asked for.
            var status = r.Status == Assignments.AssignmentStatus.Cancelled.Wire() && answered is null
                && d >= calendar.LocalDate(r.CancelledAt!.Value) ? (OccurrenceStatus?)null
                : Schedule.Status(dueAt, answered, now);
            return new Occurrence(r, d, dueAt, status);
        })).ToList();
    }
}
