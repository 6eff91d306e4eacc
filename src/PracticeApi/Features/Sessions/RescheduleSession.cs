using PracticeApi.Features.Clients;

namespace PracticeApi.Features.Sessions;

/// <summary>
/// Reschedules a scheduled session; the new time is checked against the therapist's and the clients' other sessions. A
/// couple session is conjoint work booked again: while the couple is on safety hold it needs the staff override, as a
/// new one does.
/// </summary>
internal sealed class RescheduleSession(SessionChanges changes, SessionBooking booking, TimeProvider clock)
{
    public Task<Outcome<SessionResponse>> UpdateAsync(Caller caller, Guid id, UpdateSessionRequest request,
        int? expected, CancellationToken ct) =>
        changes.OfScheduledAsync(caller, id, expected, async (c, session, participants) =>
        {
            if (await booking.CheckMoveAsync(c, caller, session.CoupleId, request.SafetyOverrideReason,
                    "rescheduling a couple session", "session", id, ct) is { } held)
            {
                return held;
            }

            var therapistId = request.TherapistId ?? session.TherapistId;
            if (await SessionBooking.CheckScheduleAsync(c, caller.PracticeId, id, therapistId, participants,
                request.StartsAt, request.DurationMinutes, ct) is { } problem)
            {
                return problem;
            }

            if (request.Identifiers is not null)
            {
                if (await ExternalIdentifiers.OfSessions.FindClashAsync(c, caller.PracticeId, id, request.Identifiers,
                    ct) is { } clash)
                {
                    return SessionBooking.DuplicateIdentifier(clash);
                }

                await ExternalIdentifiers.OfSessions.ReplaceAsync(c, caller.PracticeId, id, request.Identifiers, ct);
            }

            await SessionBooking.MoveAsync(c, caller.PracticeId, id, session.Version, therapistId, request.Kind.Wire(),
                request.Modality.Wire(), request.StartsAt, request.DurationMinutes, clock.GetUtcNow().UtcDateTime);
            return SessionStatus.Scheduled;
        }, ct);
}
