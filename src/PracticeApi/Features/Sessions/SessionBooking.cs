using PracticeApi.Features.Clients;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Sessions;

/// <summary>
/// When and with whom a session may be held, shared by every operation that books or moves one: who it is with (the
/// care and safety-hold rules), whether the therapist may hold it and whether everyone is free, and the rows a booking
/// writes. Holds no database: it runs in the operation's unit of work.
/// </summary>
internal sealed class SessionBooking(AuditLog audit, Outbox outbox)
{
    // Double booking on SQL Server (SQLite serialises writers, so the hints vanish there): each booking takes key-range
    // locks (UPDLOCK, HOLDLOCK) in one fixed order, the therapist's range of IX_Sessions_PracticeId_TherapistId first,
    // then each participant's range of IX_SessionClients_PracticeId_ClientId, so two bookings wait for each other
    // instead of deadlocking. Bookings of different therapists and clients lock disjoint ranges and never wait. UPDLOCK
    // (not a shared lock) is what keeps two bookings of the same therapist from both reading "free" and converting
    // later; the static check binds both statements with their hints (SqlServerStatementTests).
    private static readonly string OverlapSql = $"""
        SELECT s.Id FROM Sessions s {SqlDialect.LockRange}
        WHERE s.PracticeId = @PracticeId AND s.TherapistId = @TherapistId
          AND s.StartsAt > @Earliest AND s.StartsAt < @EndsAt AND s.EndsAt > @StartsAt
          AND s.Status IN ('scheduled', 'completed', 'no_show') AND s.Id <> @Id
        ORDER BY s.StartsAt {SqlDialect.Limit}
        """;

    // A client is in one session at a time, whoever the therapist.
    private static readonly string ClientOverlapSql = $"""
        SELECT s.Id FROM SessionClients sc {SqlDialect.LockRange} JOIN Sessions s ON s.Id = sc.SessionId
        WHERE sc.PracticeId = @PracticeId AND sc.ClientId IN @ClientIds
          AND sc.StartsAt > @Earliest AND sc.StartsAt < @EndsAt AND s.EndsAt > @StartsAt
          AND s.Status IN ('scheduled', 'completed', 'no_show') AND s.Id <> @Id
        ORDER BY sc.StartsAt {SqlDialect.Limit}
        """;

    private const string OnCareTeamSql = """
        SELECT COUNT(*) FROM CareTeam
        WHERE PracticeId = @PracticeId AND TherapistId = @TherapistId AND ClientId IN @ClientIds
        """;

    private const string InsertSql = """
        INSERT INTO Sessions (Id, PracticeId, TherapistId, ClientId, CoupleId, Kind, Modality, StartsAt, EndsAt,
            DurationMinutes, Status, Version, CreatedAt, UpdatedAt, SeriesId)
        VALUES (@Id, @PracticeId, @TherapistId, @ClientId, @CoupleId, @Kind, @Modality, @StartsAt, @EndsAt,
            @DurationMinutes, 'scheduled', 1, @Now, @Now, @SeriesId)
        """;

    private const string InsertParticipantSql = """
        INSERT INTO SessionClients (PracticeId, SessionId, ClientId, StartsAt)
        VALUES (@PracticeId, @SessionId, @ClientId, @StartsAt)
        """;

    private const string MoveSql = """
        UPDATE Sessions SET TherapistId = @TherapistId, Kind = @Kind, Modality = @Modality, StartsAt = @StartsAt,
            EndsAt = @EndsAt, DurationMinutes = @DurationMinutes, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    private const string MoveParticipantsSql =
        "UPDATE SessionClients SET StartsAt = @StartsAt WHERE PracticeId = @PracticeId AND SessionId = @Id";

    /// <summary>
    /// Who a new session is with and who holds it: a client in care on the caller's caseload, or an open couple (not on
    /// safety hold, unless staff override it; the override is audited against <paramref name="booking"/>), and the
    /// given therapist or the caller.
    /// </summary>
    public async Task<Outcome<(Guid TherapistId, IReadOnlyList<Guid> Participants)>> ResolveSubjectAsync(DbWrite c,
        Caller caller, Guid? clientId, Guid? coupleId, Guid? therapist,
        (string? OverrideReason, string What, string ResourceType, Guid Id) booking, CancellationToken ct)
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
            if (await SafetyHold.CheckAsync(c, audit, caller, couple.Value!, booking.OverrideReason, booking.What,
                    booking.ResourceType, booking.Id, ct) is { } held)
            {
                return held;
            }

            participants = couple.Value!.Partners;
        }

        var therapistId = therapist ?? caller.TherapistId;
        if (therapistId is null) return Failure.Invalid("therapistId",
            "therapistId is required when the caller is not a therapist.");
        return (therapistId.Value, participants);
    }

    /// <summary>
    /// Moving booked sessions of a couple is conjoint work booked again: while the couple is on safety hold it needs the
    /// staff override, as booking does (audited against <paramref name="resourceType"/> <paramref name="id"/>). Sessions
    /// of a client alone pass.
    /// </summary>
    public async Task<Failure?> CheckMoveAsync(DbWrite c, Caller caller, Guid? coupleId, string? overrideReason, string what,
        string resourceType, Guid id, CancellationToken ct) =>
        coupleId is { } couple && await CoupleReads.FindAsync(c, caller, couple, ct) is { } held
            ? await SafetyHold.CheckAsync(c, audit, caller, held, overrideReason, what, resourceType, id, ct)
            : null;

    /// <summary>
    /// The therapist must be an active therapist of the practice, on the care team of every participant (otherwise they
    /// could not see their own session), and free for the whole session; so must every participant be.
    /// </summary>
    public static async Task<Failure?> CheckScheduleAsync(DbWrite c, Guid practiceId, Guid sessionId, Guid therapistId,
        IReadOnlyCollection<Guid> participants, DateTime startsAt, int minutes, CancellationToken ct) =>
        await CheckTherapistAsync(c, practiceId, therapistId, participants, ct)
        ?? await CheckFreeAsync(c, practiceId, sessionId, therapistId, participants, startsAt, minutes);

    /// <summary>Who may hold sessions with these participants: an active therapist of the practice on all their care
    /// teams.</summary>
    public static async Task<Failure?> CheckTherapistAsync(DbWrite c, Guid practiceId, Guid therapistId,
        IReadOnlyCollection<Guid> participants, CancellationToken ct)
    {
        if (await CareRules.CheckTherapistActiveAsync(c, practiceId, therapistId, "hold sessions",
            ct) is { } problem) return problem;
        var clientIds = participants.Distinct().ToList();
        var onTeam = await c.ExecuteScalarAsync<int>(OnCareTeamSql,
            new { PracticeId = practiceId, TherapistId = therapistId, ClientIds = clientIds });
        return onTeam < clientIds.Count
            ? Failure.Conflict("therapist-not-on-care-team", "Therapist is not on the care team",
                "A therapist holds sessions only with clients whose care team they are on: add them to the care team first.")
            : null;
    }

    /// <summary>Whether the therapist and every participant are free for this time (a double booking
    /// otherwise).</summary>
    public static async Task<Failure?> CheckFreeAsync(DbWrite c, Guid practiceId, Guid sessionId, Guid therapistId,
        IReadOnlyCollection<Guid> participants, DateTime startsAt, int minutes)
    {
        var endsAt = startsAt.AddMinutes(minutes);
        var earliest = startsAt.AddMinutes(-SessionRules.MaxMinutes);
        var conflict = await c.QueryFirstOrDefaultAsync<Guid?>(OverlapSql, new
        {
            PracticeId = practiceId, TherapistId = therapistId, StartsAt = startsAt, EndsAt = endsAt,
            Earliest = earliest, Id = sessionId, Limit = 1,
        });
        if (conflict is not null)
        {
            return Failure.Conflict("double-booking", "Therapist is already booked",
                $"The therapist has session {conflict} at this time.",
                new Dictionary<string, object?> { ["conflictingSessionId"] = conflict });
        }

        var clientConflict = await c.QueryFirstOrDefaultAsync<Guid?>(ClientOverlapSql, new
        {
            PracticeId = practiceId, ClientIds = participants.Distinct().ToList(), StartsAt = startsAt, EndsAt = endsAt,
            Earliest = earliest, Id = sessionId, Limit = 1,
        });
        return clientConflict is null
            ? null
            : Failure.Conflict("client-double-booking", "Client is already booked",
                "A client of this session already has a session at this time.",
                new Dictionary<string, object?> { ["conflictingSessionId"] = clientConflict });
    }

    /// <summary>Writes one scheduled session with its participants, audit event and session.scheduled event.</summary>
    public async Task InsertAsync(DbWrite c, Caller caller, Guid id, CreateSessionRequest request, Guid therapistId,
        IReadOnlyList<Guid> participants, Guid? seriesId, DateTime now, CancellationToken ct)
    {
        var startsAt = request.StartsAt;
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, TherapistId = therapistId, request.ClientId, request.CoupleId,
            Kind = request.Kind.Wire(), Modality = request.Modality.Wire(), StartsAt = startsAt,
            EndsAt = startsAt.AddMinutes(
                request.DurationMinutes), request.DurationMinutes, Now = now, SeriesId = seriesId,
        });
        await c.ExecuteAsync(InsertParticipantSql,
            participants.Select(p => new { caller.PracticeId, SessionId = id, ClientId = p,
                StartsAt = startsAt }).ToList());
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "session", id, participants.ToList(),
            Detail: seriesId is null ? null : $"series {seriesId}"));
        await outbox.PublishAsync(c, caller.PracticeId, EventType.SessionScheduled, "sessionId", id, participants, ct);
    }

    /// <summary>Moves a scheduled session (and its participants' index rows) to a new time, kind or
    /// therapist.</summary>
    public static async Task MoveAsync(DbWrite c, Guid practiceId, Guid id, int expected, Guid therapistId, string kind,
        string modality, DateTime startsAt, int minutes, DateTime now)
    {
        await c.ExecuteAsync(MoveSql, new
        {
            Id = id, PracticeId = practiceId, TherapistId = therapistId, Kind = kind, Modality = modality, StartsAt = startsAt,
            EndsAt = startsAt.AddMinutes(minutes), DurationMinutes = minutes, Expected = expected, Now = now,
        });
        await c.ExecuteAsync(MoveParticipantsSql, new { Id = id, PracticeId = practiceId, StartsAt = startsAt });
    }

    public static Failure DuplicateIdentifier(Identifier clash) =>
        Failure.Conflict("duplicate-identifier", "Identifier already in use",
            $"Another session of this practice already holds identifier {clash.System}|{clash.Value}.");
}
