namespace PracticeApi.Features.Sessions;

/// <summary>Records that the client did not come, once the session has started.</summary>
internal sealed class MarkNoShow(SessionChanges changes, TimeProvider clock)
{
    private const string NoShowSql = """
        UPDATE Sessions SET Status = 'no_show', Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    public Task<Outcome<SessionResponse>> NoShowAsync(Caller caller, Guid id, CancellationToken ct) =>
        changes.OfScheduledAsync(caller, id, null, async (c, session, _) =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (now < session.StartsAt) return SessionChanges.TooEarly("marked as a no-show");
            await c.ExecuteAsync(NoShowSql, new { Id = id, caller.PracticeId, Expected = session.Version, Now = now });
            return SessionStatus.NoShow;
        }, ct);
}
