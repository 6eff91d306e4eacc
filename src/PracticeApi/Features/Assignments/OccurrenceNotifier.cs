using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Assignments;

/// <summary>
/// Publishes occurrence events to the change feed and webhooks, so that a portal app or an EHR can remind each partner:
/// <c>assignment.occurrence_due</c> when an unanswered occurrence's due time is <c>Reminders:LeadMinutes</c> (default
/// 120) away, and <c>assignment.occurrence_missed</c> once its due time has passed unanswered, in the practice's time
/// zone. Each event is published once: its notice row and the event commit together, and the notice's key refuses a
/// second, whichever instance or restart tries. Occurrences whose due time passed more than a day ago are not announced
/// late.
/// </summary>
internal sealed class OccurrenceNotifier(Db db, PracticeCalendar calendar, Outbox outbox, AuditLog audit,
    IConfiguration configuration,
    ILogger<OccurrenceNotifier> logger) : PeriodicWork(configuration, logger, "Reminders", 60)
{
    private static readonly TimeSpan Backfill = TimeSpan.FromDays(1);
    private const int ChunkSize = 500;

    private const string PracticesSql = """
        SELECT DISTINCT PracticeId FROM Assignments WHERE Status = 'active' AND LastDueAt >= @Since
        """;

    private const string ActiveSql = $"""
        SELECT {AssignmentReads.Columns} FROM Assignments a
        WHERE a.Status = 'active' AND a.LastDueAt >= @Since AND a.PracticeId = @PracticeId AND a.StartsOn <= @Until
        """;

    private const string NoticesSql = """
        SELECT AssignmentId, RespondentId, OccurrenceDate, Kind FROM OccurrenceNotices WHERE PracticeId = @PracticeId
            AND AssignmentId IN @Ids
        """;

    private const string InsertNoticeSql = """
        INSERT INTO OccurrenceNotices (PracticeId, AssignmentId, RespondentId, OccurrenceDate, Kind, PublishedAt)
        VALUES (@PracticeId, @AssignmentId, @RespondentId, @OccurrenceDate, @Kind, @Now)
        """;

    private sealed record NoticeRow
    {
        public Guid AssignmentId { get; init; }
        public Guid RespondentId { get; init; }
        public DateOnly OccurrenceDate { get; init; }
        public string Kind { get; init; } = "";
    }

    private TimeSpan Lead => TimeSpan.FromMinutes(Math.Clamp(Configuration.GetValue("Reminders:LeadMinutes", 120),
        0, 24 * 60));

    protected override Task RoundAsync(CancellationToken ct) => NotifyAsync(ct);

    /// <summary>One round over every practice's active assignments; returns how many events were published.</summary>
    public async Task<int> NotifyAsync(CancellationToken ct)
    {
        var now = calendar.Now;
        var published = 0;
        await using var c = await db.BeginReadAsync(ct);
        var practices = await c.QueryAsync<Guid>(PracticesSql, new { Since = now - Backfill });
        foreach (var practiceId in practices)
        {
            var assignments = await c.QueryAsync<AssignmentRow>(ActiveSql, new
            {
                Since = now - Backfill, PracticeId = practiceId, Until = calendar.Today.AddDays(1),
            });
            // In chunks: the IN lists stay within SQL Server's 2,100 parameters however many assignments a practice
            // has.
            foreach (var chunk in assignments.Chunk(ChunkSize))
            {
                var ids = chunk.Select(a => a.Id).ToList();
                var respondents = await AssignmentReads.RespondentsAsync(c, practiceId, ids, ct);
                var done = (await c.QueryAsync<NoticeRow>(NoticesSql, new { PracticeId = practiceId, Ids = ids }))
                    .Select(n => (n.AssignmentId, n.RespondentId, n.OccurrenceDate, n.Kind)).ToHashSet();
                foreach (var due in await Occurrences.OfAsync(c, practiceId, chunk, respondents, null, calendar, ct))
                {
                    var o = due.Occurrence;
                    if (o.ResponseId is not null || o.DueAt < now - Backfill) continue;
                    var kind = now >= o.DueAt ? "missed" : now >= o.DueAt - Lead ? "due" : null;
                    if (kind is null || done.Contains((due.Assignment.Id, o.RespondentId, o.Date, kind))) continue;
                    if (await PublishAsync(practiceId, due.Assignment, o, kind, now, ct)) published++;
                }
            }
        }

        return published;
    }

    private async Task<bool> PublishAsync(Guid practiceId, AssignmentRow assignment, OccurrenceResponse occurrence,
        string kind, DateTime now, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (!await c.ExecuteOnceAsync(InsertNoticeSql, new
            {
                PracticeId = practiceId, AssignmentId = assignment.Id, occurrence.RespondentId, OccurrenceDate = occurrence.Date, Kind = kind, Now = now,
            }))
        {
            return false; // another instance published it first
        }

        await outbox.PublishAsync(c, practiceId,
            kind == "due" ? EventType.OccurrenceDue : EventType.OccurrenceMissed, "assignmentId",
            assignment.Id, [occurrence.RespondentId], ct, ("respondentId", occurrence.RespondentId), ("occurrenceDate",
                occurrence.Date), ("dueAt", occurrence.DueAt));
        await audit.WriteAsync(c, Caller.System(practiceId), new AuditEntry(AuditAction.Create, "occurrence_notice",
            assignment.Id,
            [occurrence.RespondentId], Detail: $"{kind} {occurrence.Date:yyyy-MM-dd}"));
        await c.CommitAsync();
        return true;
    }
}
