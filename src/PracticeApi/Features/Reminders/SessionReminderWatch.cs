using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Reminders;

/// <summary>
/// Publishes <c>session.reminder_due</c> for each participant of a scheduled session once the session is as many hours
/// away as the client's reminder setting says (the practice's default without one), for a portal app or an EHR to
/// deliver. Each reminder is published once per start time: its row and the event commit together and the row's key
/// refuses a second, whichever instance or restart tries; a rescheduled session is reminded of again for its new time,
/// a cancelled one never. Runs every <c>Reminders:Sessions:PollSeconds</c> (default 60).
/// </summary>
internal sealed class SessionReminderWatch(Db db, TimeProvider clock, Outbox outbox, AuditLog audit,
    ReminderSettings settings,
    IConfiguration configuration, ILogger<SessionReminderWatch> logger) : PeriodicWork(
        configuration, logger, "Reminders:Sessions", 60)
{
    /// <summary>The furthest ahead any reminder can be due (the largest setting).</summary>
    private static readonly TimeSpan Horizon = TimeSpan.FromHours(168);

    private const string PracticesSql = "SELECT Id FROM Practices";

    // The participants of the practice's scheduled sessions within the horizon that have no reminder for this start
    // time yet.
    private const string WaitingSql = """
        SELECT s.Id AS SessionId, sc.ClientId, s.StartsAt, r.HoursBefore,
            CASE WHEN r.ClientId IS NULL THEN 0 ELSE 1 END AS HasSetting
        FROM Sessions s
        JOIN SessionClients sc ON sc.PracticeId = s.PracticeId AND sc.SessionId = s.Id
        LEFT JOIN ReminderSettings r ON r.PracticeId = s.PracticeId AND r.ClientId = sc.ClientId
        LEFT JOIN SessionReminders m ON m.PracticeId = s.PracticeId AND m.SessionId = s.Id AND m.ClientId = sc.ClientId
            AND m.StartsAt = s.StartsAt
        WHERE s.PracticeId = @PracticeId AND s.Status = 'scheduled' AND s.StartsAt > @Now AND s.StartsAt <= @Until
            AND m.SessionId IS NULL
        """;

    private const string ClaimSql = """
        INSERT INTO SessionReminders (PracticeId, SessionId, ClientId, StartsAt, PublishedAt) VALUES (@PracticeId,
            @SessionId, @ClientId, @StartsAt, @Now)
        """;

    private sealed record WaitingRow
    {
        public Guid SessionId { get; init; }
        public Guid ClientId { get; init; }
        public DateTime StartsAt { get; init; }
        public int? HoursBefore { get; init; }
        public int HasSetting { get; init; }
    }

    protected override Task RoundAsync(CancellationToken ct) => RemindAsync(ct);

    /// <summary>One round over every practice; returns how many reminders were published.</summary>
    public async Task<int> RemindAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var fallback = settings.DefaultHours > 0 ? settings.DefaultHours : (int?)null;
        var due = new List<(Guid PracticeId, WaitingRow Row, int Hours)>();
        await using (var c = await db.BeginReadAsync(ct))
        {
            foreach (var practiceId in await c.QueryAsync<Guid>(PracticesSql))
            {
                foreach (var row in await c.QueryAsync<WaitingRow>(WaitingSql, new { PracticeId = practiceId,
                    Now = now, Until = now + Horizon }))
                {
                    if ((row.HasSetting == 1 ? row.HoursBefore : fallback) is { } hours
                        && now >= row.StartsAt.AddHours(-hours)) due.Add((practiceId, row, hours));
                }
            }
        }

        var published = 0;
        foreach (var (practiceId, row, hours) in due)
        {
            if (await PublishAsync(practiceId, row, hours, now, ct)) published++;
        }

        return published;
    }

    private async Task<bool> PublishAsync(Guid practiceId, WaitingRow row, int hours, DateTime now,
        CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (!await c.ExecuteOnceAsync(ClaimSql, new { PracticeId = practiceId, row.SessionId, row.ClientId,
            row.StartsAt, Now = now }))
        {
            return false; // another instance published it first
        }

        await outbox.PublishAsync(c, practiceId, EventType.SessionReminderDue, "sessionId", row.SessionId,
            [row.ClientId], ct, ("clientId", row.ClientId), ("startsAt", row.StartsAt), ("hoursBefore", hours));
        await audit.WriteAsync(c, Caller.System(practiceId), new AuditEntry(AuditAction.Create, "session_reminder",
            row.SessionId, [row.ClientId], Detail: $"{hours} hours before"));
        await c.CommitAsync();
        return true;
    }
}
