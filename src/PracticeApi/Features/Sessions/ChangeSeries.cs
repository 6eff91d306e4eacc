using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Sessions;

/// <summary>
/// Changes one occurrence of a series and every later scheduled one ("this and following"): cancel them, or move them
/// to a new local time. Each session changes as a single one would, with its own audit event and webhook.
/// </summary>
internal sealed class ChangeSeries(Db db, AuditLog audit, Outbox outbox, SessionBooking booking, PracticeCalendar calendar,
    TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Cancels one occurrence and every later scheduled one, each like a single cancellation.</summary>
    public Task<Outcome<SeriesResponse>> CancelFollowingAsync(Caller caller, Guid seriesId, CancelSeriesRequest request,
        CancellationToken ct) =>
        ChangeFollowingAsync(caller, seriesId, request.FromSessionId, async (c, following, participants) =>
        {
            var now = Now;
            foreach (var session in following)
            {
                var status = await SessionChanges.CancelAsync(c, caller.PracticeId, session, request.Reason,
                    request.ByClient, now);
                await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "session", session.Id,
                    participants, Detail: status.Wire()));
                await outbox.PublishAsync(c, caller.PracticeId, EventType.SessionCancelled, "sessionId", session.Id,
                    participants, ct, ("status", status.Wire()));
            }

            return (Failure?)null;
        }, ct);

    /// <summary>
    /// Moves one occurrence and every later scheduled one by the same number of days to the new local time; nothing
    /// moves when any of them would conflict (409 with the conflicts), nor, for a couple on safety hold, without the
    /// staff override.
    /// </summary>
    public Task<Outcome<SeriesResponse>> RescheduleFollowingAsync(Caller caller, Guid seriesId,
        RescheduleSeriesRequest request, CancellationToken ct) =>
        ChangeFollowingAsync(caller, seriesId, request.FromSessionId, async (c, following, participants) =>
        {
            if (await booking.CheckMoveAsync(c, caller, following[0].CoupleId, request.SafetyOverrideReason,
                    "rescheduling couple sessions", "session_series", seriesId, ct) is { } held)
            {
                return held;
            }

            var newLocal = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(request.StartsAt, DateTimeKind.Utc),
                calendar.Zone);
            var days = DateOnly.FromDateTime(newLocal).DayNumber - calendar.LocalDate(following[0].StartsAt).DayNumber;
            // Each occurrence keeps its own therapist (one may have been moved to a colleague).
            foreach (var therapist in following.Select(f => f.TherapistId).Distinct())
            {
                if (await SessionBooking.CheckTherapistAsync(c, caller.PracticeId, therapist, participants,
                    ct) is { } refused)
                {
                    return refused;
                }
            }

            var time = TimeOnly.FromDateTime(newLocal);
            var moves = following
                .Select(s => (s.Id, s.TherapistId, calendar.ToUtc(calendar.LocalDate(s.StartsAt).AddDays(days), time)))
                .ToList();
            var (_, conflicts) = await SeriesReads.CheckOccurrencesAsync(c, caller.PracticeId, participants, moves,
                request.DurationMinutes);
            if (conflicts.Count > 0) return SeriesReads.Conflicts(conflicts);

            var now = Now;
            foreach (var ((id, _, startsAt), session) in moves.Zip(following))
            {
                await SessionBooking.MoveAsync(c, caller.PracticeId, id, session.Version, session.TherapistId,
                    session.Kind, session.Modality, startsAt, request.DurationMinutes, now);
                await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "session", id, participants,
                    Detail: "rescheduled"));
                await outbox.PublishAsync(c, caller.PracticeId, EventType.SessionUpdated, "sessionId", id,
                    participants, ct, ("status", "scheduled"));
            }

            return (Failure?)null;
        }, ct);

    private async Task<Outcome<SeriesResponse>> ChangeFollowingAsync(Caller caller, Guid seriesId, Guid fromSessionId,
        Func<DbWrite, IReadOnlyList<SessionRow>, List<Guid>, Task<Failure?>> change, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (!await SeriesReads.ExistsAsync(c, caller, seriesId)) return Failure.NotFound("session series");
        var sessions = await SeriesReads.SessionsAsync(c, caller, seriesId);
        var from = sessions.FirstOrDefault(s => s.Id == fromSessionId);
        if (from is null) return Failure.Invalid("fromSessionId", "fromSessionId must be a session of this series.");
        var following = sessions.Where(s => s.Status == SessionStatus.Scheduled.Wire() && (s.StartsAt > from.StartsAt
            || s.Id == from.Id)).ToList();
        if (following.Count == 0 || following[0].Id != from.Id)
        {
            return Failure.Conflict("invalid-transition", "Session is no longer scheduled",
                $"The session is {from.Status}; only scheduled sessions of a series can be changed or cancelled.",
                new Dictionary<string, object?> { ["sessionStatus"] = from.Status });
        }

        var participants = (await SessionReads.ParticipantsAsync(c, caller.PracticeId, from.Id)).ToList();
        if (await change(c, following, participants) is { } failure) return failure;
        var updated = await SeriesReads.LoadAsync(c, caller, seriesId, [], ct);
        await c.CommitAsync();
        return updated!;
    }
}
