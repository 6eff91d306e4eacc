using PracticeApi.Features.Clients;
using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Sessions;

/// <summary>Booking a session: with a client or a couple (the safety hold applies), once per external identifier.</summary>
internal sealed partial class SessionStore
{
    public async Task<Outcome<SessionResponse>> CreateAsync(Caller caller, CreateSessionRequest request, CancellationToken ct)
    {
        var id = EntityIds.New();
        var identifiers = request.Identifiers ?? [];
        await using var c = await db.BeginWriteAsync(ct);

        var subject = await ResolveSubjectAsync(c, caller, request.ClientId, request.CoupleId, request.TherapistId,
            (request.SafetyOverrideReason, "a couple session", "session", id), ct);
        if (!subject.Succeeded) return subject.Failure!;
        var (therapistId, participants) = subject.Value;
        if (await CheckScheduleAsync(c, caller.PracticeId, id, therapistId, participants, request.StartsAt, request.DurationMinutes, ct) is { } problem)
        {
            return problem;
        }

        if (await ExternalIdentifiers.OfSessions.FindClashAsync(c, caller.PracticeId, id, identifiers, ct) is { } clash)
        {
            return DuplicateIdentifier(clash);
        }

        await InsertAsync(c, caller, id, request, therapistId, participants, null, ct);
        await ExternalIdentifiers.OfSessions.AddAsync(c, caller.PracticeId, id, identifiers, ct);
        var created = await LoadAsync(c, caller, id, ct);
        await c.CommitAsync();
        return created!;
    }

    /// <summary>
    /// Who a new session is with and who holds it: a client in care on the caller's caseload, or an open couple (not on
    /// safety hold, unless staff override it; the override is audited against <paramref name="booking"/>), and the given
    /// therapist or the caller.
    /// </summary>
    private async Task<Outcome<(Guid TherapistId, IReadOnlyList<Guid> Participants)>> ResolveSubjectAsync(DbWrite c,
        Caller caller, Guid? clientId, Guid? coupleId, Guid? therapist, (string? OverrideReason, string What, string ResourceType, Guid Id) booking,
        CancellationToken ct)
    {
        IReadOnlyList<Guid> participants;
        if (clientId is { } single)
        {
            if (await CareRules.CheckInCareAsync(c, caller, [single]) is { } notInCare) return notInCare;
            participants = [single];
        }
        else
        {
            var couple = await CareRules.OpenCoupleAsync(c, caller, coupleId!.Value);
            if (!couple.Succeeded) return couple.Failure!;
            if (await SafetyHold.CheckAsync(c, audit, caller, couple.Value!, booking.OverrideReason, booking.What, booking.ResourceType,
                    booking.Id, ct) is { } held)
            {
                return held;
            }

            participants = couple.Value!.Partners;
        }

        var therapistId = therapist ?? caller.TherapistId;
        if (therapistId is null) return Failure.Invalid("therapistId", "therapistId is required when the caller is not a therapist.");
        return (therapistId.Value, participants);
    }

    /// <summary>Writes one scheduled session with its participants, audit event and session.scheduled event.</summary>
    private async Task InsertAsync(DbWrite c, Caller caller, Guid id, CreateSessionRequest request, Guid therapistId,
        IReadOnlyList<Guid> participants, Guid? seriesId, CancellationToken ct)
    {
        var startsAt = request.StartsAt;
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, TherapistId = therapistId, request.ClientId, request.CoupleId, Kind = request.Kind.Wire(),
            Modality = request.Modality.Wire(), StartsAt = startsAt, EndsAt = startsAt.AddMinutes(request.DurationMinutes), request.DurationMinutes, Now, SeriesId = seriesId,
        });
        await c.ExecuteAsync(InsertParticipantSql, participants.Select(p => new { caller.PracticeId, SessionId = id, ClientId = p, StartsAt = startsAt }).ToList());
        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Create, "session", id, participants.ToList(),
            Detail: seriesId is null ? null : $"series {seriesId}"));
        await outbox.PublishAsync(c, caller.PracticeId, EventTypes.SessionScheduled, "sessionId", id, participants, ct);
    }

    /// <summary>
    /// Creates the session holding this identifier, or reschedules it (same client or couple only): an EHR's repeated sync
    /// never makes a duplicate appointment.
    /// </summary>
    public async Task<Outcome<(SessionResponse Session, bool Created)>> UpsertAsync(Caller caller, Identifier identifier, CreateSessionRequest request,
        int? expected, CancellationToken ct)
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
            first = DuplicateIdentifier(identifier);
        }

        // A concurrent upsert of the same identifier may have created the session between our lookup and our insert: our
        // insert then finds it booked (or the identifier taken), and the second pass updates that session instead.
        return first.Failure?.Name is "double-booking" or "client-double-booking" or "duplicate-identifier"
            ? await UpsertOnceAsync(caller, identifier, request, identifiers, expected, ct)
            : first;
    }

    private async Task<Outcome<(SessionResponse Session, bool Created)>> UpsertOnceAsync(Caller caller, Identifier identifier, CreateSessionRequest request,
        List<Identifier> identifiers, int? expected, CancellationToken ct)
    {
        Guid? owner;
        await using (var c = await db.BeginReadAsync(ct))
        {
            owner = await ExternalIdentifiers.OfSessions.FindOwnerAsync(c, caller.PracticeId, identifier, ct);
            if (owner is { } existing)
            {
                var current = await FindAsync(c, caller, existing, ct);
                if (current is null) return DuplicateIdentifier(identifier);
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

        var updated = await UpdateAsync(caller, owner.Value,
            new UpdateSessionRequest(request.TherapistId, request.Kind, request.Modality, request.StartsAt, request.DurationMinutes, identifiers,
                request.SafetyOverrideReason), expected, ct);
        return updated.Succeeded ? (updated.Value!, false) : updated.Failure!;
    }
}
