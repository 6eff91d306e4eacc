namespace PracticeApi.Features.Sessions;

/// <summary>
/// Cancels a scheduled session; a client's cancellation less than 24 hours before the start is a late cancellation
/// (which a practice may bill).
/// </summary>
internal sealed class CancelSession(SessionChanges changes, TimeProvider clock)
{
    public Task<Outcome<SessionResponse>> CancelAsync(Caller caller, Guid id, CancelSessionRequest request,
        CancellationToken ct) =>
        changes.OfScheduledAsync(caller, id, null, async (c, session, _) =>
            await SessionChanges.CancelAsync(c, caller.PracticeId, session, request.Reason, request.ByClient,
                clock.GetUtcNow().UtcDateTime), ct);
}
