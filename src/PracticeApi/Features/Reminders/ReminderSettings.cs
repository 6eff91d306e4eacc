namespace PracticeApi.Features.Reminders;

/// <summary>
/// A client's reminder setting: their own (set by staff who treat them, or by the client through the portal), or the
/// practice's default (<c>Reminders:SessionHoursBefore</c>, 24 hours). Changes are audited.
/// </summary>
internal sealed class ReminderSettings(Db db, AuditLog audit, TimeProvider clock, SessionsComingUp comingUp)
{
    /// <summary>The practice's default, in hours before a session (0 turns reminders off for clients without a
    /// setting).</summary>
    public int DefaultHours => comingUp.DefaultHours;

    private const string ExistsSql = "SELECT COUNT(*) FROM ReminderSettings WHERE PracticeId = @PracticeId AND ClientId = @ClientId";

    private const string UpdateSql = "UPDATE ReminderSettings SET HoursBefore = @HoursBefore, UpdatedAt = @Now WHERE PracticeId = @PracticeId AND ClientId = @ClientId";

    private const string InsertSql = """
        INSERT INTO ReminderSettings (PracticeId, ClientId, HoursBefore, UpdatedAt) VALUES (@PracticeId, @ClientId,
            @HoursBefore, @Now)
        """;

    public async Task<Outcome<ReminderSettingsResponse>> GetAsync(Caller caller, Guid clientId, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (!await Care.CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        return await ReadAsync(c, caller.PracticeId, clientId);
    }

    public async Task<Outcome<ReminderSettingsResponse>> SetAsync(Caller caller, Guid clientId,
        ReminderSettingsRequest request, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (await Care.CareRules.CheckWritableAsync(c, caller, clientId) is { } refused) return refused;
        var args = new { caller.PracticeId, ClientId = clientId, HoursBefore = request.Enabled == true
            ? request.HoursBefore : null, Now = clock.GetUtcNow().UtcDateTime };
        await c.ExecuteAsync(await c.ExecuteScalarAsync<int>(ExistsSql, args) == 0 ? InsertSql : UpdateSql, args);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "reminder_settings", clientId, [clientId],
            Detail: args.HoursBefore is { } hours ? $"{hours} hours before" : "off"));
        var settings = await ReadAsync(c, caller.PracticeId, clientId);
        await c.CommitAsync();
        return settings;
    }

    private async Task<ReminderSettingsResponse> ReadAsync(DbSession c, Guid practiceId, Guid clientId)
    {
        var (hours, isDefault) = await comingUp.HoursBeforeAsync(c, practiceId, clientId);
        return new ReminderSettingsResponse(clientId, hours is not null, hours, isDefault);
    }
}
