using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Sessions;

/// <summary>
/// The unit of work around one change of a booked session, shared by the operations that make one: the session is found
/// (404 outside practice and caseload, 412 on a stale If-Match) and checked to be in the state the change needs, the
/// change runs, and its audit event, webhook and the session as it now is follow in the same transaction.
/// </summary>
internal sealed class SessionChanges(Db db, AuditLog audit, Outbox outbox)
{
    /// <summary>A client's cancellation less than this before the start is a late cancellation.</summary>
    public static readonly TimeSpan LateCancellationWindow = TimeSpan.FromHours(24);

    private const string CancelSql = """
        UPDATE Sessions SET Status = @Status, CancelReason = @Reason, CancelledByClient = @ByClient, CancelledAt = @Now,
               Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    /// <summary>
    /// One change of a scheduled session: the change gets the session and its participants (read once) and returns the
    /// status the session has after it (still scheduled when it was moved), which names the audit detail and the
    /// webhook (session.completed, session.cancelled for either cancellation, otherwise session.updated).
    /// </summary>
    public async Task<Outcome<SessionResponse>> OfScheduledAsync(Caller caller, Guid id, int? expected,
        Func<DbWrite, SessionRow, IReadOnlySet<Guid>, Task<Outcome<SessionStatus>>> change, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var found = await FindAsync(c, caller, id, expected);
        if (!found.Succeeded) return found.Failure!;
        var session = found.Value!;
        if (session.Status != SessionStatus.Scheduled.Wire())
        {
            return Failure.Conflict("invalid-transition", "Session is no longer scheduled",
                $"The session is {session.Status}; only a scheduled session can be changed, completed, cancelled or marked as a no-show.",
                new Dictionary<string, object?> { ["sessionStatus"] = session.Status });
        }

        var participants = await SessionReads.ParticipantsAsync(c, caller.PracticeId, id);
        var after = await change(c, session, participants);
        if (!after.Succeeded) return after.Failure!;
        var status = after.Value;
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "session", id, participants.ToList(),
            Detail: status == SessionStatus.Scheduled ? "rescheduled" : status.Wire()));
        var type = status switch
        {
            SessionStatus.Completed => EventType.SessionCompleted,
            SessionStatus.Cancelled or SessionStatus.LateCancelled => EventType.SessionCancelled,
            _ => EventType.SessionUpdated,
        };
        await outbox.PublishAsync(c, caller.PracticeId, type, "sessionId", id, participants, ct,
            ("status", status.Wire()));
        var updated = await SessionReads.LoadAsync(c, caller, id, ct);
        await c.CommitAsync();
        return updated!;
    }

    /// <summary>One change of a completed session's note, with its audit event and a session.updated event.</summary>
    public async Task<Outcome<SessionResponse>> OfNoteAsync(Caller caller, Guid id, int? expected,
        Func<DbWrite, SessionRow, Task<Outcome<AuditEntry>>> change, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var found = await FindAsync(c, caller, id, expected);
        if (!found.Succeeded) return found.Failure!;
        var session = found.Value!;
        if (session.Status != SessionStatus.Completed.Wire() || session.NoteFormat is null)
        {
            return Failure.Conflict("no-note", "Session has no note",
                "Only a completed session with a note can have its note signed or an addendum added.",
                new Dictionary<string, object?> { ["sessionStatus"] = session.Status });
        }

        var entry = await change(c, session);
        if (!entry.Succeeded) return entry.Failure!;
        var participants = await SessionReads.ParticipantsAsync(c, caller.PracticeId, id);
        await audit.WriteAsync(c, caller, entry.Value! with { ClientIds = participants.ToList() });
        await outbox.PublishAsync(c, caller.PracticeId, EventType.SessionUpdated, "sessionId", id, participants, ct,
            ("status", session.Status));
        var updated = await SessionReads.LoadAsync(c, caller, id, ct);
        await c.CommitAsync();
        return updated!;
    }

    /// <summary>
    /// Cancels a scheduled session (a single one, or one of a series), a late cancellation when the client cancels
    /// within <see cref="LateCancellationWindow"/> of the start; returns the status it now has.
    /// </summary>
    public static async Task<SessionStatus> CancelAsync(DbWrite c, Guid practiceId, SessionRow session, string reason,
        bool byClient, DateTime now)
    {
        var status = byClient && session.StartsAt - now < LateCancellationWindow
            ? SessionStatus.LateCancelled : SessionStatus.Cancelled;
        await c.ExecuteAsync(CancelSql, new
        {
            session.Id, PracticeId = practiceId, Status = status.Wire(), Reason = reason.Trim(), ByClient = byClient,
            Expected = session.Version, Now = now,
        });
        return status;
    }

    /// <summary>The 409 for completing or marking a no-show before the session has started.</summary>
    public static Failure TooEarly(string what) =>
        Failure.Conflict("invalid-transition", "Session has not started",
            $"A session can be {what} only once it has started.");

    private static async Task<Outcome<SessionRow>> FindAsync(DbWrite c, Caller caller, Guid id, int? expected) =>
        await SessionReads.FindAsync(c, caller, id) switch
        {
            null => Failure.NotFound("session"),
            { } session when expected is not null && expected != session.Version => Failure.Stale,
            { } session => session,
        };
}
