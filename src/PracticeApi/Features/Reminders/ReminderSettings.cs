namespace PracticeApi.Features.Reminders;

/// <summary>
/// A client's reminder setting: their own (set by staff who treat them, or by the client through the portal), or the
/// practice's default (<c>Reminders:SessionHoursBefore</c>, 24 hours). Changes are audited.
/// </summary>
internal sealed class ReminderSettings(Db db, AuditLog audit, TimeProvider clock, IConfiguration configuration, PracticeCalendar calendar)
{
    /// <summary>The practice's default, in hours before a session (0 turns reminders off for clients without a setting).</summary>
    public int DefaultHours => Math.Clamp(configuration.GetValue("Reminders:SessionHoursBefore", 24), 0, 168);

    internal const string SettingSql = "SELECT HoursBefore FROM ReminderSettings WHERE PracticeId = @PracticeId AND ClientId = @ClientId";

    private const string ExistsSql = "SELECT COUNT(*) FROM ReminderSettings WHERE PracticeId = @PracticeId AND ClientId = @ClientId";

    private const string UpdateSql = "UPDATE ReminderSettings SET HoursBefore = @HoursBefore, UpdatedAt = @Now WHERE PracticeId = @PracticeId AND ClientId = @ClientId";

    private const string InsertSql = """
        INSERT INTO ReminderSettings (PracticeId, ClientId, HoursBefore, UpdatedAt) VALUES (@PracticeId, @ClientId, @HoursBefore, @Now)
        """;

    private const string UpcomingSql = """
        SELECT s.Id AS SessionId, s.StartsAt, s.EndsAt, s.Kind, s.Modality FROM Sessions s
        JOIN SessionClients sc ON sc.PracticeId = s.PracticeId AND sc.SessionId = s.Id
        WHERE s.PracticeId = @PracticeId AND sc.ClientId = @ClientId AND s.Status = 'scheduled' AND s.StartsAt > @Now AND s.StartsAt <= @Until
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

    /// <summary>The client's scheduled sessions whose reminder time has begun, by their setting (none when it is off), each reminder in words.</summary>
    public async Task<List<UpcomingSession>> UpcomingAsync(Guid practiceId, Guid clientId, string language, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if ((await ReadAsync(c, practiceId, clientId)).HoursBefore is not { } hours) return [];
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await c.QueryAsync<UpcomingRow>(UpcomingSql, new { PracticeId = practiceId, ClientId = clientId, Now = now, Until = now.AddHours(hours) });
        return rows.Select(r => new UpcomingSession(r.SessionId, r.StartsAt, r.EndsAt, r.Kind, r.Modality,
            ReminderText.For(r.Kind, r.Modality, TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(r.StartsAt, DateTimeKind.Utc), calendar.Zone), language))).ToList();
    }

    public async Task<Outcome<ReminderSettingsResponse>> GetAsync(Caller caller, Guid clientId, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (!await Care.CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        return await ReadAsync(c, caller.PracticeId, clientId);
    }

    public async Task<Outcome<ReminderSettingsResponse>> SetAsync(Caller caller, Guid clientId, ReminderSettingsRequest request, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (await Care.CareRules.CheckWritableAsync(c, caller, clientId) is { } refused) return refused;
        var args = new { caller.PracticeId, ClientId = clientId, HoursBefore = request.Enabled == true ? request.HoursBefore : null, Now = clock.GetUtcNow().UtcDateTime };
        await c.ExecuteAsync(await c.ExecuteScalarAsync<int>(ExistsSql, args) == 0 ? InsertSql : UpdateSql, args);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Update, "reminder_settings", clientId, [clientId],
            Detail: args.HoursBefore is { } hours ? $"{hours} hours before" : "off"));
        var settings = await ReadAsync(c, caller.PracticeId, clientId);
        await c.CommitAsync();
        return settings;
    }

    private async Task<ReminderSettingsResponse> ReadAsync(DbSession c, Guid practiceId, Guid clientId)
    {
        var own = await c.QueryAsync<int?>(SettingSql, new { PracticeId = practiceId, ClientId = clientId });
        var hours = own.Count == 1 ? own[0] : DefaultHours > 0 ? DefaultHours : null;
        return new ReminderSettingsResponse(clientId, hours is not null, hours, own.Count == 0);
    }
}
