using PracticeApi.Features.Sessions;

namespace PracticeApi.Features.Reminders;

/// <summary>
/// A client's sessions coming up within their reminder time: their own setting, or the practice's default
/// (<c>Reminders:SessionHoursBefore</c>, 24 hours). Holds no database: it reads in the caller's session.
/// </summary>
internal sealed class SessionsComingUp(IConfiguration configuration, TimeProvider clock, PracticeCalendar calendar)
{
    /// <summary>The practice's default, in hours before a session (0 turns reminders off for clients without a
    /// setting).</summary>
    public int DefaultHours => Math.Clamp(configuration.GetValue("Reminders:SessionHoursBefore", 24), 0, 168);

    private const string SettingSql = "SELECT HoursBefore FROM ReminderSettings WHERE PracticeId = @PracticeId AND ClientId = @ClientId";

    /// <summary>How many hours before a session the client is reminded (null: off), and whether that is the practice's
    /// default.</summary>
    public async Task<(int? Hours, bool IsDefault)> HoursBeforeAsync(DbSession c, Guid practiceId, Guid clientId)
    {
        var own = await c.QueryAsync<int?>(SettingSql, new { PracticeId = practiceId, ClientId = clientId });
        return own.Count == 1 ? (own[0], false) : (DefaultHours > 0 ? DefaultHours : null, true);
    }

    private const string UpcomingSql = """
        SELECT s.Id AS SessionId, s.StartsAt, s.EndsAt, s.Kind, s.Modality FROM Sessions s
        JOIN SessionClients sc ON sc.PracticeId = s.PracticeId AND sc.SessionId = s.Id
        WHERE s.PracticeId = @PracticeId AND sc.ClientId = @ClientId AND s.Status = 'scheduled' AND s.StartsAt > @Now
            AND s.StartsAt <= @Until
        ORDER BY s.StartsAt, s.Id
        """;

    private sealed record UpcomingRow
    {
        public Guid SessionId { get; init; }
        public DateTime StartsAt { get; init; }
        public DateTime EndsAt { get; init; }
        public string Kind { get; init; } = "";
        public string Modality { get; init; } = "";
    }

    /// <summary>The client's scheduled sessions whose reminder time has begun, by their setting (none when it is off),
    /// each reminder in words.</summary>
    public async Task<List<UpcomingSession>> ForClientAsync(DbSession c, Guid practiceId, Guid clientId,
        string language)
    {
        if ((await HoursBeforeAsync(c, practiceId, clientId)).Hours is not { } hours) return [];
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await c.QueryAsync<UpcomingRow>(UpcomingSql, new { PracticeId = practiceId, ClientId = clientId,
            Now = now, Until = now.AddHours(hours) });
        return rows.Select(r => new UpcomingSession(r.SessionId, r.StartsAt, r.EndsAt,
            ClosedSets.Parse<SessionKind>(r.Kind), ClosedSets.Parse<SessionModality>(r.Modality),
            ReminderText.For(r.Kind, r.Modality, TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(r.StartsAt,
                DateTimeKind.Utc), calendar.Zone), language))).ToList();
    }
}
