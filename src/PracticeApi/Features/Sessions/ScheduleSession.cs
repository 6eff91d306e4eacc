using PracticeApi.Features.Clients;

namespace PracticeApi.Features.Sessions;

/// <summary>Booking a session: with a client or a couple (the safety hold applies), once per external
/// identifier.</summary>
internal sealed class ScheduleSession(Db db, SessionBooking booking, RescheduleSession reschedule, TimeProvider clock)
{
    public async Task<Outcome<SessionResponse>> CreateAsync(Caller caller, CreateSessionRequest request,
        CancellationToken ct)
    {
        var id = EntityIds.New();
        var identifiers = request.Identifiers ?? [];
        await using var c = await db.BeginWriteAsync(ct);

        var subject = await booking.ResolveSubjectAsync(c, caller, request.ClientId, request.CoupleId,
            request.TherapistId, (request.SafetyOverrideReason, "a couple session", "session", id), ct);
        if (!subject.Succeeded) return subject.Failure!;
        var (therapistId, participants) = subject.Value;
        if (await SessionBooking.CheckScheduleAsync(c, caller.PracticeId, id, therapistId, participants,
            request.StartsAt, request.DurationMinutes, ct) is { } problem)
        {
            return problem;
        }

        if (await ExternalIdentifiers.OfSessions.FindClashAsync(c, caller.PracticeId, id, identifiers, ct) is { } clash)
        {
            return SessionBooking.DuplicateIdentifier(clash);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await booking.InsertAsync(c, caller, id, request, therapistId, participants, null, now, ct);
        await ExternalIdentifiers.OfSessions.AddAsync(c, caller.PracticeId, id, identifiers, ct);
        var created = await SessionReads.LoadAsync(c, caller, id, ct);
        await c.CommitAsync();
        return created!;
    }

    /// <summary>
    /// Creates the session holding this identifier, or reschedules it (same client or couple only): an EHR's repeated
    /// sync never makes a duplicate appointment.
    /// </summary>
    public async Task<Outcome<(SessionResponse Session, bool Created)>> UpsertAsync(Caller caller,
        Identifier identifier, CreateSessionRequest request, int? expected, CancellationToken ct)
    {
        var identifiers = (request.Identifiers ?? []).Append(identifier).Distinct().ToList();
        Outcome<(SessionResponse Session, bool Created)> first;
        try
        {
            first = await UpsertOnceAsync(caller, identifier, request, identifiers, expected, ct);
        }
        catch (System.Data.Common.DbException e) when (DbErrors.IsUniqueViolation(e))
        {
            // SQL Server: the other insert won the identifier's key between our check and our insert.
            first = SessionBooking.DuplicateIdentifier(identifier);
        }

        // A concurrent upsert of the same identifier may have created the session between our lookup and our insert:
        // our insert then finds it booked (or the identifier taken), and the second pass updates that session instead.
        return first.Failure?.Name is "double-booking" or "client-double-booking" or "duplicate-identifier"
            ? await UpsertOnceAsync(caller, identifier, request, identifiers, expected, ct)
            : first;
    }

    private async Task<Outcome<(SessionResponse Session, bool Created)>> UpsertOnceAsync(Caller caller,
        Identifier identifier,
        CreateSessionRequest request, List<Identifier> identifiers, int? expected, CancellationToken ct)
    {
        Guid? owner;
        await using (var c = await db.BeginReadAsync(ct))
        {
            owner = await ExternalIdentifiers.OfSessions.FindOwnerAsync(c, caller.PracticeId, identifier, ct);
            if (owner is { } existing)
            {
                var current = await SessionReads.FindAsync(c, caller, existing);
                if (current is null) return SessionBooking.DuplicateIdentifier(identifier);
                if (current.ClientId != request.ClientId || current.CoupleId != request.CoupleId)
                {
                    return Failure.Conflict("subject-changed", "A session's client or couple cannot change",
                        "The identifier belongs to a session with another client or couple; cancel it and schedule a new one.");
                }
            }
        }

        if (owner is null)
        {
            var created = await CreateAsync(caller, request with { Identifiers = identifiers }, ct);
            return created.Succeeded ? (created.Value!, true) : created.Failure!;
        }

        var update = new UpdateSessionRequest(request.TherapistId, request.Kind, request.Modality, request.StartsAt,
            request.DurationMinutes, identifiers, request.SafetyOverrideReason);
        var updated = await reschedule.UpdateAsync(caller, owner.Value, update, expected, ct);
        return updated.Succeeded ? (updated.Value!, false) : updated.Failure!;
    }
}
