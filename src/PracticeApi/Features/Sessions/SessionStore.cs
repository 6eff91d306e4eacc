using System.Data.Common;
using System.Text.Json;
using Dapper;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Integration;
using PracticeApi.Features.Therapists;
using PracticeApi.Infrastructure;
using PracticeApi.Infrastructure.Audit;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Http;
using PracticeApi.Infrastructure.Security;

namespace PracticeApi.Features.Sessions;

internal sealed partial class SessionStore(Db db, AuditLog audit, TimeProvider clock, Outbox outbox, IConfiguration configuration,
    PracticeCalendar calendar)
{
    private static readonly TimeSpan LateCancellationWindow = TimeSpan.FromHours(24);

    // Bounds that keep the list range sargable when the caller gives none.
    private static readonly DateTime Earliest = new(1, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Latest = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    private const string Columns = """
        s.Id, s.TherapistId, s.ClientId, s.CoupleId, s.Kind, s.Modality, s.StartsAt, s.EndsAt, s.DurationMinutes, s.Status,
        s.CancelReason, s.CancelledByClient, s.CancelledAt, s.CompletedAt, s.NoteFormat, s.NoteSections, s.SeriesId, s.NoteSignedAt, s.NoteSignedBy, s.Version, s.CreatedAt, s.UpdatedAt
        """;

    private static readonly string GetSql =
        $"SELECT {Columns} FROM Sessions s WHERE s.Id = @Id AND s.PracticeId = @PracticeId AND {Caseload.Session("s")}";

    private static readonly string ListFilters = $"""
        AND s.StartsAt >= @Lower AND s.StartsAt < @Upper
        AND (s.StartsAt > @AfterAt OR (s.StartsAt = @AfterAt AND s.Id > @AfterId))
        AND (@Status IS NULL OR s.Status = @Status)
        AND (@TherapistId IS NULL OR s.TherapistId = @TherapistId)
        AND (@CoupleId IS NULL OR s.CoupleId = @CoupleId)
        AND {Caseload.Session("s")}
        """;

    private static string ListBy(string driver) => $"""
        SELECT {Columns} FROM Sessions s
        WHERE s.PracticeId = @PracticeId AND {driver} {ListFilters}
        ORDER BY s.StartsAt, s.Id {SqlDialect.Limit}
        """;

    // Each variant walks an index that starts with PracticeId and ends with (StartsAt, Id).
    private static readonly string ListByPractice = ListBy("1 = 1");
    private static readonly string ListByTherapist = ListBy("s.TherapistId = @TherapistId");
    private static readonly string ListByCouple = ListBy("s.CoupleId = @CoupleId");

    // A client's sessions, alone or as a partner, through SessionClients (PracticeId, ClientId, StartsAt, SessionId).
    private static readonly string ListByClient = $"""
        SELECT {Columns} FROM SessionClients d
        JOIN Sessions s ON s.Id = d.SessionId
        WHERE d.PracticeId = @PracticeId AND d.ClientId = @ClientId
          AND d.StartsAt >= @Lower AND d.StartsAt < @Upper {ListFilters}
        ORDER BY d.StartsAt, d.SessionId {SqlDialect.Limit}
        """;

    // Double booking on SQL Server (SQLite serialises writers, so the hints vanish there): each booking takes key-range
    // locks (UPDLOCK, HOLDLOCK) in one fixed order, the therapist's range of IX_Sessions_PracticeId_TherapistId first, then
    // each participant's range of IX_SessionClients_PracticeId_ClientId, so two bookings wait for each other instead of
    // deadlocking. Bookings of different therapists and clients lock disjoint ranges and never wait. UPDLOCK (not a
    // shared lock) is what keeps two bookings of the same therapist from both reading "free" and converting later; the
    // static check binds both statements with their hints (SqlServerStatementTests).
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
        SELECT COUNT(*) FROM CareTeam WHERE PracticeId = @PracticeId AND TherapistId = @TherapistId AND ClientId IN @ClientIds
        """;

    private const string InsertSql = """
        INSERT INTO Sessions (Id, PracticeId, TherapistId, ClientId, CoupleId, Kind, Modality, StartsAt, EndsAt, DurationMinutes, Status,
                              Version, CreatedAt, UpdatedAt, SeriesId)
        VALUES (@Id, @PracticeId, @TherapistId, @ClientId, @CoupleId, @Kind, @Modality, @StartsAt, @EndsAt, @DurationMinutes, 'scheduled',
                1, @Now, @Now, @SeriesId)
        """;

    private const string InsertParticipantSql = """
        INSERT INTO SessionClients (PracticeId, SessionId, ClientId, StartsAt) VALUES (@PracticeId, @SessionId, @ClientId, @StartsAt)
        """;

    private const string ParticipantsSql = """
        SELECT SessionId, ClientId, Attended FROM SessionClients WHERE PracticeId = @PracticeId AND SessionId IN @Ids
        """;

    private const string RescheduleSql = """
        UPDATE Sessions SET TherapistId = @TherapistId, Kind = @Kind, Modality = @Modality, StartsAt = @StartsAt, EndsAt = @EndsAt,
               DurationMinutes = @DurationMinutes, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    private const string MoveParticipantsSql = "UPDATE SessionClients SET StartsAt = @StartsAt WHERE PracticeId = @PracticeId AND SessionId = @Id";

    private const string CompleteSql = """
        UPDATE Sessions SET Status = 'completed', CompletedAt = @Now, NoteFormat = @NoteFormat, NoteSections = @NoteSections,
               Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    private const string AttendanceSql = """
        UPDATE SessionClients SET Attended = @Attended WHERE PracticeId = @PracticeId AND SessionId = @SessionId AND ClientId = @ClientId
        """;

    private const string CancelSql = """
        UPDATE Sessions SET Status = @Status, CancelReason = @Reason, CancelledByClient = @ByClient, CancelledAt = @Now,
               Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    private const string NoShowSql = """
        UPDATE Sessions SET Status = 'no_show', Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    private const string SignNoteSql = """
        UPDATE Sessions SET NoteSignedAt = @Now, NoteSignedBy = @TherapistId, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected AND NoteSignedAt IS NULL
        """;

    private const string BumpSql = "UPDATE Sessions SET Version = Version + 1, UpdatedAt = @Now WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected";

    private const string InsertAddendumSql = """
        INSERT INTO SessionNoteAddenda (Id, PracticeId, SessionId, AuthorId, Text, CreatedAt) VALUES (@Id, @PracticeId, @SessionId, @AuthorId, @Text, @Now)
        """;

    private const string AddendaSql = """
        SELECT Id, SessionId, AuthorId, Text, CreatedAt FROM SessionNoteAddenda WHERE PracticeId = @PracticeId AND SessionId IN @Ids ORDER BY CreatedAt, Id
        """;

    // A therapist's completed sessions whose note waits for a signature, through (PracticeId, TherapistId, StartsAt, Id).
    private static readonly string UnsignedSql = $"""
        SELECT s.Id AS SessionId, s.TherapistId, s.StartsAt, s.CompletedAt FROM Sessions s
        WHERE s.PracticeId = @PracticeId AND s.TherapistId = @TherapistId
          AND (s.StartsAt > @AfterAt OR (s.StartsAt = @AfterAt AND s.Id > @AfterId))
          AND s.Status = 'completed' AND s.NoteFormat IS NOT NULL AND s.NoteSignedAt IS NULL AND s.CompletedAt <= @Cutoff
          AND {Caseload.Session("s")}
        ORDER BY s.StartsAt, s.Id {SqlDialect.Limit}
        """;

    private static readonly string UnsignedSummarySql = $"""
        SELECT COUNT(*) AS Count, MIN(s.CompletedAt) AS OldestCompletedAt FROM Sessions s
        WHERE s.PracticeId = @PracticeId AND s.TherapistId = @TherapistId
          AND s.Status = 'completed' AND s.NoteFormat IS NOT NULL AND s.NoteSignedAt IS NULL AND s.CompletedAt <= @Cutoff
          AND {Caseload.Session("s")}
        """;

    private sealed record UnsignedSummaryRow
    {
        public int Count { get; init; }
        public DateTime? OldestCompletedAt { get; init; }
    }

    /// <summary>How many of the therapist's notes wait past Notes:SignWithinDays, as an alert on the first page of /alerts.</summary>
    public async Task<Progress.AlertResponse?> UnsignedNotesAlertAsync(DbConnection connection, Caller caller, CancellationToken ct)
    {
        if (caller.TherapistId is not { } therapistId) return null;
        var summary = await connection.QuerySingleAsync<UnsignedSummaryRow>(new CommandDefinition(UnsignedSummarySql, new
        {
            caller.PracticeId, TherapistId = therapistId, Caseload = caller.CaseloadTherapistId, Cutoff = Now - SignWithin,
        }, cancellationToken: ct));
        return summary.Count == 0
            ? null
            : new Progress.AlertResponse(null, "unsigned_notes",
                $"{summary.Count} session note(s) of yours have waited more than {SignWithin.TotalDays:0} days for your signature (GET /api/v1/notes/unsigned).",
                new Dictionary<string, object?> { ["count"] = summary.Count, ["oldestCompletedAt"] = summary.OldestCompletedAt });
    }

    private sealed record AddendumRow
    {
        public Guid Id { get; init; }
        public Guid SessionId { get; init; }
        public Guid AuthorId { get; init; }
        public string Text { get; init; } = "";
        public DateTime CreatedAt { get; init; }
    }

    private sealed record UnsignedRow
    {
        public Guid SessionId { get; init; }
        public Guid TherapistId { get; init; }
        public DateTime StartsAt { get; init; }
        public DateTime CompletedAt { get; init; }
    }

    private sealed record ParticipantRow
    {
        public Guid SessionId { get; init; }
        public Guid ClientId { get; init; }
        public bool? Attended { get; init; }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<Outcome<SessionResponse>> CreateAsync(Caller caller, CreateSessionRequest request, CancellationToken ct)
    {
        var id = EntityIds.New();
        var identifiers = request.Identifiers ?? [];
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);

        var subject = await ResolveSubjectAsync(connection, tx, caller, request.ClientId, request.CoupleId, request.TherapistId,
            (request.SafetyOverrideReason, "a couple session", "session", id), ct);
        if (!subject.Succeeded) return subject.Failure!;
        var (therapistId, participants) = subject.Value;
        if (await CheckScheduleAsync(connection, tx, caller.PracticeId, id, therapistId, participants, request.StartsAt, request.DurationMinutes, ct) is { } problem)
        {
            return problem;
        }

        if (await ExternalIdentifiers.OfSessions.FindClashAsync(connection, tx, caller.PracticeId, id, identifiers, ct) is { } clash)
        {
            return DuplicateIdentifier(clash);
        }

        await InsertAsync(connection, tx, caller, id, request, therapistId, participants, null, ct);
        await ExternalIdentifiers.OfSessions.AddAsync(connection, tx, caller.PracticeId, id, identifiers, ct);
        var created = await LoadAsync(connection, tx, caller, id, ct);
        await tx.CommitAsync(ct);
        return created!;
    }

    /// <summary>
    /// Who a new session is with and who holds it: a client in care on the caller's caseload, or an open couple (not on
    /// safety hold, unless staff override it; the override is audited against <paramref name="booking"/>), and the given
    /// therapist or the caller.
    /// </summary>
    private async Task<Outcome<(Guid TherapistId, IReadOnlyList<Guid> Participants)>> ResolveSubjectAsync(DbConnection connection, DbTransaction tx,
        Caller caller, Guid? clientId, Guid? coupleId, Guid? therapist, (string? OverrideReason, string What, string ResourceType, Guid Id) booking,
        CancellationToken ct)
    {
        IReadOnlyList<Guid> participants;
        if (clientId is { } single)
        {
            if (await ClientStore.CheckInCareAsync(connection, tx, caller, [single], ct) is { } notInCare) return notInCare;
            participants = [single];
        }
        else
        {
            var couple = await CoupleStore.FindOpenForNewWorkAsync(connection, tx, caller, coupleId!.Value, ct);
            if (!couple.Succeeded) return couple.Failure!;
            if (await SafetyHold.CheckAsync(connection, tx, audit, caller, couple.Value!, booking.OverrideReason, booking.What, booking.ResourceType,
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
    private async Task InsertAsync(DbConnection connection, DbTransaction tx, Caller caller, Guid id, CreateSessionRequest request, Guid therapistId,
        IReadOnlyList<Guid> participants, Guid? seriesId, CancellationToken ct)
    {
        var startsAt = request.StartsAt;
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            Id = id, caller.PracticeId, TherapistId = therapistId, request.ClientId, request.CoupleId, request.Kind, request.Modality,
            StartsAt = startsAt, EndsAt = startsAt.AddMinutes(request.DurationMinutes), request.DurationMinutes, Now, SeriesId = seriesId,
        }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(InsertParticipantSql,
            participants.Select(p => new { caller.PracticeId, SessionId = id, ClientId = p, StartsAt = startsAt }).ToList(), tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, caller, new AuditEntry(AuditActions.Create, "session", id, participants.ToList(),
            Detail: seriesId is null ? null : $"series {seriesId}"), ct);
        await outbox.PublishAsync(connection, tx, caller.PracticeId, EventTypes.SessionScheduled, "sessionId", id, participants, ct);
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
        catch (System.Data.Common.DbException e) when (ApiExceptionHandler.IsUniqueViolation(e))
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
        await using (var connection = await db.OpenAsync(ct))
        {
            owner = await ExternalIdentifiers.OfSessions.FindOwnerAsync(connection, null, caller.PracticeId, identifier, ct);
            if (owner is { } existing)
            {
                var current = await FindAsync(connection, null, caller, existing, ct);
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
            new UpdateSessionRequest(request.TherapistId, request.Kind, request.Modality, request.StartsAt, request.DurationMinutes, identifiers), expected, ct);
        return updated.Succeeded ? (updated.Value!, false) : updated.Failure!;
    }

    public async Task<SessionResponse?> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        SessionResponse? session;
        await using (var connection = await db.OpenAsync(ct))
        {
            session = await LoadAsync(connection, null, caller, id, ct);
        }

        if (session is not null)
        {
            await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "session", id, session.Participants.Select(p => p.ClientId).ToList()), ct);
        }

        return session;
    }

    public async Task<Page<SessionResponse>> ListAsync(Caller caller, SessionListQuery query, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
        var from = query.From?.UtcDateTime ?? Earliest;
        var sql = query.ClientId is not null ? ListByClient
            : query.TherapistId is not null ? ListByTherapist
            : query.CoupleId is not null ? ListByCouple
            : ListByPractice;

        Page<SessionResponse> page;
        await using (var connection = await db.OpenAsync(ct))
        {
            var rows = (await connection.QueryAsync<SessionRow>(new CommandDefinition(db.Sql(sql), new
            {
                caller.PracticeId,
                Caseload = caller.CaseloadTherapistId,
                query.ClientId,
                query.TherapistId,
                query.CoupleId,
                query.Status,
                Lower = afterAt is { } a && a > from ? a : from,
                Upper = query.To?.UtcDateTime ?? Latest,
                AfterAt = afterAt ?? Earliest,
                AfterId = afterId ?? Guid.Empty,
                Limit = limit + 1,
            }, cancellationToken: ct))).AsList();
            var kept = rows.Take(limit).ToList();
            var responses = await ToResponsesAsync(connection, null, caller, kept, ct);
            page = new Page<SessionResponse>(responses, rows.Count > limit ? Cursor.EncodeTimeAndId(kept[^1].StartsAt, kept[^1].Id) : null);
        }

        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "session", null,
            page.Items.SelectMany(s => s.Participants.Select(p => p.ClientId)).ToList(), Detail: "list"), ct);
        return page;
    }

    /// <summary>Reschedules a scheduled session; the new time is checked against the therapist's other sessions.</summary>
    public Task<Outcome<SessionResponse>> UpdateAsync(Caller caller, Guid id, UpdateSessionRequest request, int? expected, CancellationToken ct) =>
        ChangeAsync(caller, id, expected, async (connection, tx, session, participants) =>
        {
            var therapistId = request.TherapistId ?? session.TherapistId;
            if (await CheckScheduleAsync(connection, tx, caller.PracticeId, id, therapistId, participants, request.StartsAt, request.DurationMinutes, ct) is { } problem)
            {
                return problem;
            }

            if (request.Identifiers is not null)
            {
                if (await ExternalIdentifiers.OfSessions.FindClashAsync(connection, tx, caller.PracticeId, id, request.Identifiers, ct) is { } clash)
                {
                    return DuplicateIdentifier(clash);
                }

                await ExternalIdentifiers.OfSessions.ReplaceAsync(connection, tx, caller.PracticeId, id, request.Identifiers, ct);
            }

            await connection.ExecuteAsync(new CommandDefinition(RescheduleSql, new
            {
                Id = id, caller.PracticeId, TherapistId = therapistId, request.Kind, request.Modality, request.StartsAt,
                EndsAt = request.StartsAt.AddMinutes(request.DurationMinutes), request.DurationMinutes, Expected = session.Version, Now,
            }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(MoveParticipantsSql,
                new { Id = id, caller.PracticeId, request.StartsAt }, tx, cancellationToken: ct));
            return "rescheduled";
        }, ct);

    public Task<Outcome<SessionResponse>> CompleteAsync(Caller caller, Guid id, CompleteSessionRequest request, CancellationToken ct) =>
        ChangeAsync(caller, id, null, async (connection, tx, session, participants) =>
        {
            if (Now < session.StartsAt) return TooEarly("completed");
            var stranger = request.Attendance.FirstOrDefault(a => !participants.Contains(a.ClientId));
            if (stranger is not null) return Failure.Invalid("attendance", $"client {stranger.ClientId} is not a participant of this session.");
            if (participants.Except(request.Attendance.Select(a => a.ClientId)).Any())
            {
                return Failure.Invalid("attendance", "attendance must say, for every participant, whether they attended.");
            }

            await connection.ExecuteAsync(new CommandDefinition(CompleteSql, new
            {
                Id = id, caller.PracticeId, Expected = session.Version, Now,
                NoteFormat = request.Note?.Format,
                NoteSections = request.Note is null ? null : JsonSerializer.Serialize(request.Note.Sections),
            }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(AttendanceSql,
                request.Attendance.Select(a => new { caller.PracticeId, SessionId = id, a.ClientId, a.Attended }).ToList(), tx, cancellationToken: ct));
            return "completed";
        }, ct);

    /// <summary>A client's cancellation less than 24 hours before the start is a late cancellation.</summary>
    public Task<Outcome<SessionResponse>> CancelAsync(Caller caller, Guid id, CancelSessionRequest request, CancellationToken ct) =>
        ChangeAsync(caller, id, null, async (connection, tx, session, _) =>
        {
            var status = request.ByClient && session.StartsAt - Now < LateCancellationWindow ? "late_cancelled" : "cancelled";
            await connection.ExecuteAsync(new CommandDefinition(CancelSql, new
            {
                Id = id, caller.PracticeId, Status = status, Reason = request.Reason.Trim(), request.ByClient, Expected = session.Version, Now,
            }, tx, cancellationToken: ct));
            return status;
        }, ct);

    public Task<Outcome<SessionResponse>> NoShowAsync(Caller caller, Guid id, CancellationToken ct) =>
        ChangeAsync(caller, id, null, async (connection, tx, session, _) =>
        {
            if (Now < session.StartsAt) return TooEarly("marked as a no-show");
            await connection.ExecuteAsync(new CommandDefinition(NoShowSql,
                new { Id = id, caller.PracticeId, Expected = session.Version, Now }, tx, cancellationToken: ct));
            return "no_show";
        }, ct);

    /// <summary>
    /// The treating therapist signs the note of a completed session; a signed note never changes (corrections are addenda).
    /// Nobody else signs it, admins included, and nobody unsigns it.
    /// </summary>
    public Task<Outcome<SessionResponse>> SignNoteAsync(Caller caller, Guid id, int? expected, CancellationToken ct) =>
        ChangeNoteAsync(caller, id, expected, async (connection, tx, session) =>
        {
            if (session.TherapistId != caller.TherapistId)
            {
                return new Failure(StatusCodes.Status403Forbidden, "not-treating-therapist", "Only the treating therapist signs",
                    "A session's note is signed by the therapist who held the session; others can add an addendum.");
            }

            if (session.NoteSignedAt is not null)
            {
                return Failure.Conflict("note-signed", "Note already signed", "A signed note never changes; add an addendum to correct or complete it.");
            }

            await connection.ExecuteAsync(new CommandDefinition(SignNoteSql,
                new { Id = id, caller.PracticeId, caller.TherapistId, Expected = session.Version, Now }, tx, cancellationToken: ct));
            return new AuditEntry(AuditActions.Update, "session", id, Detail: "note signed");
        }, ct);

    /// <summary>An addendum to a completed session's note (signed or not), by a therapist or admin who can see the session.</summary>
    public async Task<Outcome<NoteAddendum>> AddAddendumAsync(Caller caller, Guid id, AddendumRequest request, CancellationToken ct)
    {
        var addendum = new NoteAddendum(Guid.CreateVersion7(), caller.TherapistId!.Value, request.Text.Trim(), Now);
        var outcome = await ChangeNoteAsync(caller, id, null, async (connection, tx, session) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertAddendumSql, new
            {
                addendum.Id, caller.PracticeId, SessionId = id, AuthorId = addendum.AuthorId, addendum.Text, Now = addendum.CreatedAt,
            }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(BumpSql, new { Id = id, caller.PracticeId, Expected = session.Version, Now }, tx, cancellationToken: ct));
            return new AuditEntry(AuditActions.Create, "session_note_addendum", addendum.Id, Detail: $"session {id}");
        }, ct);
        return outcome.Succeeded ? addendum : (Outcome<NoteAddendum>)outcome.Failure!;
    }

    /// <summary>Completed sessions of a therapist whose note has waited longer than Notes:SignWithinDays for a signature.</summary>
    public async Task<Page<UnsignedNote>> UnsignedAsync(Caller caller, UnsignedNoteQuery query, Guid therapistId, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<UnsignedRow>(new CommandDefinition(db.Sql(UnsignedSql), new
        {
            caller.PracticeId, Caseload = caller.CaseloadTherapistId, TherapistId = therapistId,
            AfterAt = afterAt ?? Earliest, AfterId = afterId ?? Guid.Empty, Cutoff = Now - SignWithin, Limit = limit + 1,
        }, cancellationToken: ct))).AsList();
        var kept = rows.Take(limit).ToList();
        return new Page<UnsignedNote>(
            kept.Select(r => new UnsignedNote(r.SessionId, r.TherapistId, r.StartsAt, r.CompletedAt, (int)(Now - r.CompletedAt).TotalDays)).ToList(),
            rows.Count > limit ? Cursor.EncodeTimeAndId(kept[^1].StartsAt, kept[^1].SessionId) : null);
    }

    private TimeSpan SignWithin => TimeSpan.FromDays(Math.Max(0, configuration.GetValue("Notes:SignWithinDays", 3)));

    /// <summary>One change of a completed session's note in a transaction with its audit event and a session.updated event.</summary>
    private async Task<Outcome<SessionResponse>> ChangeNoteAsync(Caller caller, Guid id, int? expected,
        Func<DbConnection, DbTransaction, SessionRow, Task<Outcome<AuditEntry>>> change, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var found = await FindForChangeAsync(connection, tx, caller, id, expected, ct);
        if (!found.Succeeded) return found.Failure!;
        var session = found.Value!;
        if (session.Status != "completed" || session.NoteFormat is null)
        {
            return Failure.Conflict("no-note", "Session has no note", "Only a completed session with a note can have its note signed or an addendum added.",
                new Dictionary<string, object?> { ["sessionStatus"] = session.Status });
        }

        var entry = await change(connection, tx, session);
        if (!entry.Succeeded) return entry.Failure!;
        var participants = await ParticipantsAsync(connection, tx, caller.PracticeId, id, ct);
        await audit.WriteAsync(connection, tx, caller, entry.Value! with { ClientIds = participants.ToList() }, ct);
        await outbox.PublishAsync(connection, tx, caller.PracticeId, EventTypes.SessionUpdated, "sessionId", id, participants, ct, ("status", session.Status));
        var updated = await LoadAsync(connection, tx, caller, id, ct);
        await tx.CommitAsync(ct);
        return updated!;
    }

    /// <summary>
    /// Runs one change of a scheduled session in a transaction with its audit event; the change gets the session and its
    /// participants (read once) and returns the audit detail.
    /// </summary>
    private async Task<Outcome<SessionResponse>> ChangeAsync(Caller caller, Guid id, int? expected,
        Func<DbConnection, DbTransaction, SessionRow, IReadOnlySet<Guid>, Task<Outcome<string>>> change, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var found = await FindForChangeAsync(connection, tx, caller, id, expected, ct);
        if (!found.Succeeded) return found.Failure!;
        var session = found.Value!;
        if (session.Status != "scheduled")
        {
            return Failure.Conflict("invalid-transition", "Session is no longer scheduled",
                $"The session is {session.Status}; only a scheduled session can be changed, completed, cancelled or marked as a no-show.",
                new Dictionary<string, object?> { ["sessionStatus"] = session.Status });
        }

        var participants = await ParticipantsAsync(connection, tx, caller.PracticeId, id, ct);
        var detail = await change(connection, tx, session, participants);
        if (!detail.Succeeded) return detail.Failure!;
        await audit.WriteAsync(connection, tx, caller, new AuditEntry(AuditActions.Update, "session", id, participants.ToList(), Detail: detail.Value), ct);
        var type = detail.Value switch
        {
            "completed" => EventTypes.SessionCompleted,
            "cancelled" or "late_cancelled" => EventTypes.SessionCancelled,
            _ => EventTypes.SessionUpdated,
        };
        await outbox.PublishAsync(connection, tx, caller.PracticeId, type, "sessionId", id, participants, ct, ("status", detail.Value == "rescheduled" ? "scheduled" : detail.Value));
        var updated = await LoadAsync(connection, tx, caller, id, ct);
        await tx.CommitAsync(ct);
        return updated!;
    }

    /// <summary>
    /// The therapist must be an active therapist of the practice, on the care team of every participant (otherwise they
    /// could not see their own session), and free for the whole session; so must every participant be.
    /// </summary>
    private async Task<Failure?> CheckScheduleAsync(DbConnection connection, DbTransaction tx, Guid practiceId, Guid sessionId, Guid therapistId,
        IReadOnlyCollection<Guid> participants, DateTime startsAt, int minutes, CancellationToken ct) =>
        await CheckTherapistAsync(connection, tx, practiceId, therapistId, participants, ct)
        ?? await CheckFreeAsync(connection, tx, practiceId, sessionId, therapistId, participants, startsAt, minutes, ct);

    /// <summary>Who may hold sessions with these participants: an active therapist of the practice on all their care teams.</summary>
    private static async Task<Failure?> CheckTherapistAsync(DbConnection connection, DbTransaction tx, Guid practiceId, Guid therapistId,
        IReadOnlyCollection<Guid> participants, CancellationToken ct)
    {
        if (await TherapistStore.CheckActiveAsync(connection, tx, practiceId, therapistId, "hold sessions", ct) is { } problem) return problem;
        var clientIds = participants.Distinct().ToList();
        var onTeam = await connection.ExecuteScalarAsync<int>(new CommandDefinition(OnCareTeamSql,
            new { PracticeId = practiceId, TherapistId = therapistId, ClientIds = clientIds }, tx, cancellationToken: ct));
        return onTeam < clientIds.Count
            ? Failure.Conflict("therapist-not-on-care-team", "Therapist is not on the care team",
                "A therapist holds sessions only with clients whose care team they are on: add them to the care team first.")
            : null;
    }

    /// <summary>Whether the therapist and every participant are free for this time (a double booking otherwise).</summary>
    private async Task<Failure?> CheckFreeAsync(DbConnection connection, DbTransaction tx, Guid practiceId, Guid sessionId, Guid therapistId,
        IReadOnlyCollection<Guid> participants, DateTime startsAt, int minutes, CancellationToken ct)
    {
        var endsAt = startsAt.AddMinutes(minutes);
        var conflict = await connection.QueryFirstOrDefaultAsync<Guid?>(new CommandDefinition(db.Sql(OverlapSql), new
        {
            PracticeId = practiceId, TherapistId = therapistId, StartsAt = startsAt, EndsAt = endsAt,
            Earliest = startsAt.AddMinutes(-SessionRules.MaxMinutes), Id = sessionId, Limit = 1,
        }, tx, cancellationToken: ct));
        if (conflict is not null)
        {
            return Failure.Conflict("double-booking", "Therapist is already booked",
                $"The therapist has session {conflict} at this time.", new Dictionary<string, object?> { ["conflictingSessionId"] = conflict });
        }

        var clientConflict = await connection.QueryFirstOrDefaultAsync<Guid?>(new CommandDefinition(db.Sql(ClientOverlapSql), new
        {
            PracticeId = practiceId, ClientIds = participants.Distinct().ToList(), StartsAt = startsAt, EndsAt = endsAt,
            Earliest = startsAt.AddMinutes(-SessionRules.MaxMinutes), Id = sessionId, Limit = 1,
        }, tx, cancellationToken: ct));
        return clientConflict is null
            ? null
            : Failure.Conflict("client-double-booking", "Client is already booked",
                "A client of this session already has a session at this time.", new Dictionary<string, object?> { ["conflictingSessionId"] = clientConflict });
    }

    /// <summary>The session a change applies to: 404 outside practice and caseload, 412 on a stale If-Match.</summary>
    private static async Task<Outcome<SessionRow>> FindForChangeAsync(DbConnection connection, DbTransaction tx, Caller caller, Guid id, int? expected,
        CancellationToken ct) =>
        await FindAsync(connection, tx, caller, id, ct) switch
        {
            null => Failure.NotFound("session"),
            { } session when expected is not null && expected != session.Version => Failure.Stale,
            { } session => session,
        };

    private static Task<SessionRow?> FindAsync(DbConnection connection, DbTransaction? tx, Caller caller, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(GetSql,
            new { Id = id, caller.PracticeId, Caseload = caller.CaseloadTherapistId }, tx, cancellationToken: ct));

    private static async Task<SessionResponse?> LoadAsync(DbConnection connection, DbTransaction? tx, Caller caller, Guid id, CancellationToken ct)
    {
        var row = await FindAsync(connection, tx, caller, id, ct);
        return row is null ? null : (await ToResponsesAsync(connection, tx, caller, [row], ct))[0];
    }

    private static async Task<IReadOnlySet<Guid>> ParticipantsAsync(DbConnection connection, DbTransaction tx, Guid practiceId, Guid id, CancellationToken ct) =>
        (await connection.QueryAsync<ParticipantRow>(new CommandDefinition(ParticipantsSql, new { PracticeId = practiceId, Ids = new[] { id } }, tx, cancellationToken: ct)))
        .Select(p => p.ClientId).ToHashSet();

    internal static async Task<IReadOnlyList<SessionResponse>> ToResponsesAsync(DbConnection connection, DbTransaction? tx, Caller caller,
        IReadOnlyList<SessionRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        var ids = rows.Select(r => r.Id).ToList();
        var participants = (await connection.QueryAsync<ParticipantRow>(new CommandDefinition(ParticipantsSql,
                new { caller.PracticeId, Ids = ids }, tx, cancellationToken: ct)))
            .ToLookup(p => p.SessionId, p => new Participant(p.ClientId, p.Attended));
        var identifiers = await ExternalIdentifiers.OfSessions.LoadAsync(connection, tx, caller.PracticeId, ids, ct);
        // Addenda are note text: read only for those who see notes.
        var addenda = (caller.IsUser
                ? await connection.QueryAsync<AddendumRow>(new CommandDefinition(AddendaSql, new { caller.PracticeId, Ids = ids }, tx, cancellationToken: ct))
                : [])
            .ToLookup(a => a.SessionId, a => new NoteAddendum(a.Id, a.AuthorId, a.Text, a.CreatedAt));
        return rows.Select(r => r.ToResponse(participants[r.Id].OrderBy(p => p.ClientId), identifiers[r.Id], addenda[r.Id], withNote: caller.IsUser)).ToList();
    }

    private static Failure TooEarly(string what) =>
        Failure.Conflict("invalid-transition", "Session has not started", $"A session can be {what} only once it has started.");

    private static Failure DuplicateIdentifier(Identifier clash) =>
        Failure.Conflict("duplicate-identifier", "Identifier already in use",
            $"Another session of this practice already holds identifier {clash.System}|{clash.Value}.");
}
