using System.Text.Json;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Sessions;

/// <summary>Changes of a session after it is booked: reschedule, complete, cancel, no-show, each with its audit event and webhook.</summary>
internal sealed partial class SessionStore
{
    /// <summary>
    /// Reschedules a scheduled session; the new time is checked against the therapist's other sessions. A couple session
    /// is conjoint work booked again: while the couple is on safety hold it needs the staff override, as a new one does.
    /// </summary>
    public Task<Outcome<SessionResponse>> UpdateAsync(Caller caller, Guid id, UpdateSessionRequest request, int? expected, CancellationToken ct) =>
        ChangeAsync(caller, id, expected, async (c, session, participants) =>
        {
            if (session.CoupleId is { } coupleId && await CoupleReads.FindAsync(c, caller, coupleId, ct) is { } couple &&
                await SafetyHold.CheckAsync(c, audit, caller, couple, request.SafetyOverrideReason, "rescheduling a couple session", "session",
                    id, ct) is { } held)
            {
                return held;
            }

            var therapistId = request.TherapistId ?? session.TherapistId;
            if (await CheckScheduleAsync(c, caller.PracticeId, id, therapistId, participants, request.StartsAt, request.DurationMinutes, ct) is { } problem)
            {
                return problem;
            }

            if (request.Identifiers is not null)
            {
                if (await ExternalIdentifiers.OfSessions.FindClashAsync(c, caller.PracticeId, id, request.Identifiers, ct) is { } clash)
                {
                    return DuplicateIdentifier(clash);
                }

                await ExternalIdentifiers.OfSessions.ReplaceAsync(c, caller.PracticeId, id, request.Identifiers, ct);
            }

            await c.ExecuteAsync(RescheduleSql, new
            {
                Id = id, caller.PracticeId, TherapistId = therapistId, Kind = request.Kind.Wire(), Modality = request.Modality.Wire(), request.StartsAt,
                EndsAt = request.StartsAt.AddMinutes(request.DurationMinutes), request.DurationMinutes, Expected = session.Version, Now,
            });
            await c.ExecuteAsync(MoveParticipantsSql, new { Id = id, caller.PracticeId, request.StartsAt });
            return "rescheduled";
        }, ct);

    public Task<Outcome<SessionResponse>> CompleteAsync(Caller caller, Guid id, CompleteSessionRequest request, CancellationToken ct) =>
        ChangeAsync(caller, id, null, async (c, session, participants) =>
        {
            if (Now < session.StartsAt) return TooEarly("completed");
            var stranger = request.Attendance.FirstOrDefault(a => !participants.Contains(a.ClientId));
            if (stranger is not null) return Failure.Invalid("attendance", $"client {stranger.ClientId} is not a participant of this session.");
            if (participants.Except(request.Attendance.Select(a => a.ClientId)).Any())
            {
                return Failure.Invalid("attendance", "attendance must say, for every participant, whether they attended.");
            }

            await c.ExecuteAsync(CompleteSql, new
            {
                Id = id, caller.PracticeId, Expected = session.Version, Now,
                NoteFormat = request.Note?.Format.Wire(),
                NoteSections = request.Note is null ? null : JsonSerializer.Serialize(request.Note.Sections),
            });
            await c.ExecuteAsync(AttendanceSql, request.Attendance.Select(a => new { caller.PracticeId, SessionId = id, a.ClientId, a.Attended }).ToList());
            return "completed";
        }, ct);

    /// <summary>A client's cancellation less than 24 hours before the start is a late cancellation.</summary>
    public Task<Outcome<SessionResponse>> CancelAsync(Caller caller, Guid id, CancelSessionRequest request, CancellationToken ct) =>
        ChangeAsync(caller, id, null, async (c, session, _) =>
        {
            var status = request.ByClient && session.StartsAt - Now < LateCancellationWindow ? "late_cancelled" : "cancelled";
            await c.ExecuteAsync(CancelSql, new
            {
                Id = id, caller.PracticeId, Status = status, Reason = request.Reason.Trim(), request.ByClient, Expected = session.Version, Now,
            });
            return status;
        }, ct);

    public Task<Outcome<SessionResponse>> NoShowAsync(Caller caller, Guid id, CancellationToken ct) =>
        ChangeAsync(caller, id, null, async (c, session, _) =>
        {
            if (Now < session.StartsAt) return TooEarly("marked as a no-show");
            await c.ExecuteAsync(NoShowSql, new { Id = id, caller.PracticeId, Expected = session.Version, Now });
            return "no_show";
        }, ct);

    /// <summary>
    /// Runs one change of a scheduled session in a transaction with its audit event; the change gets the session and its
    /// participants (read once) and returns the audit detail.
    /// </summary>
    private async Task<Outcome<SessionResponse>> ChangeAsync(Caller caller, Guid id, int? expected,
        Func<DbWrite, SessionRow, IReadOnlySet<Guid>, Task<Outcome<string>>> change, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var found = await FindForChangeAsync(c, caller, id, expected, ct);
        if (!found.Succeeded) return found.Failure!;
        var session = found.Value!;
        if (session.Status != "scheduled")
        {
            return Failure.Conflict("invalid-transition", "Session is no longer scheduled",
                $"The session is {session.Status}; only a scheduled session can be changed, completed, cancelled or marked as a no-show.",
                new Dictionary<string, object?> { ["sessionStatus"] = session.Status });
        }

        var participants = await ParticipantsAsync(c, caller.PracticeId, id, ct);
        var detail = await change(c, session, participants);
        if (!detail.Succeeded) return detail.Failure!;
        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Update, "session", id, participants.ToList(), Detail: detail.Value));
        var type = detail.Value switch
        {
            "completed" => EventTypes.SessionCompleted,
            "cancelled" or "late_cancelled" => EventTypes.SessionCancelled,
            _ => EventTypes.SessionUpdated,
        };
        await outbox.PublishAsync(c, caller.PracticeId, type, "sessionId", id, participants, ct, ("status", detail.Value == "rescheduled" ? "scheduled" : detail.Value));
        var updated = await LoadAsync(c, caller, id, ct);
        await c.CommitAsync();
        return updated!;
    }
}
