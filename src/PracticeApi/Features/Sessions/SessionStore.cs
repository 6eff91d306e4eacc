using PracticeApi.Features.Clients;
using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Sessions;

internal sealed partial class SessionStore(Db db, AuditLog audit, TimeProvider clock, Outbox outbox, NoteDeadline deadline,
    PracticeCalendar calendar)
{
    private static readonly TimeSpan LateCancellationWindow = TimeSpan.FromHours(24);

    // Bounds that keep the list range sargable when the caller gives none.
    private static readonly DateTime Earliest = new(1, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Latest = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string GetSql =
        $"SELECT {SessionReads.Columns} FROM Sessions s WHERE s.Id = @Id AND s.PracticeId = @PracticeId AND {Caseload.Session("s")}";

    private static readonly string ListFilters = $"""
        AND s.StartsAt >= @Lower AND s.StartsAt < @Upper
        AND (s.StartsAt > @AfterAt OR (s.StartsAt = @AfterAt AND s.Id > @AfterId))
        AND (@Status IS NULL OR s.Status = @Status)
        AND (@TherapistId IS NULL OR s.TherapistId = @TherapistId)
        AND (@CoupleId IS NULL OR s.CoupleId = @CoupleId)
        AND {Caseload.Session("s")}
        """;

    private static string ListBy(string driver) => $"""
        SELECT {SessionReads.Columns} FROM Sessions s
        WHERE s.PracticeId = @PracticeId AND {driver} {ListFilters}
        ORDER BY s.StartsAt, s.Id {SqlDialect.Limit}
        """;

    // Each variant walks an index that starts with PracticeId and ends with (StartsAt, Id).
    private static readonly string ListByPractice = ListBy("1 = 1");
    private static readonly string ListByTherapist = ListBy("s.TherapistId = @TherapistId");
    private static readonly string ListByCouple = ListBy("s.CoupleId = @CoupleId");

    // A client's sessions, alone or as a partner, through SessionClients (PracticeId, ClientId, StartsAt, SessionId).
    private static readonly string ListByClient = $"""
        SELECT {SessionReads.Columns} FROM SessionClients d
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

    // A therapist's completed sessions whose note waits for a signature, through (PracticeId, TherapistId, StartsAt, Id).
    private static readonly string UnsignedSql = $"""
        SELECT s.Id AS SessionId, s.TherapistId, s.StartsAt, s.CompletedAt FROM Sessions s
        WHERE s.PracticeId = @PracticeId AND s.TherapistId = @TherapistId
          AND (s.StartsAt > @AfterAt OR (s.StartsAt = @AfterAt AND s.Id > @AfterId))
          AND s.Status = 'completed' AND s.NoteFormat IS NOT NULL AND s.NoteSignedAt IS NULL AND s.CompletedAt <= @Cutoff
          AND {Caseload.Session("s")}
        ORDER BY s.StartsAt, s.Id {SqlDialect.Limit}
        """;

    private sealed record UnsignedRow
    {
        public Guid SessionId { get; init; }
        public Guid TherapistId { get; init; }
        public DateTime StartsAt { get; init; }
        public DateTime CompletedAt { get; init; }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<SessionResponse?> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        SessionResponse? session;
        await using (var c = await db.BeginReadAsync(ct))
        {
            session = await LoadAsync(c, caller, id, ct);
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
        await using (var c = await db.BeginReadAsync(ct))
        {
            var rows = await c.QueryAsync<SessionRow>(sql, new
            {
                caller.PracticeId,
                Caseload = caller.Caseload,
                query.ClientId,
                query.TherapistId,
                query.CoupleId,
                query.Status,
                Lower = afterAt is { } a && a > from ? a : from,
                Upper = query.To?.UtcDateTime ?? Latest,
                AfterAt = afterAt ?? Earliest,
                AfterId = afterId ?? Guid.Empty,
                Limit = limit + 1,
            });
            var kept = rows.Take(limit).ToList();
            var responses = await SessionReads.ToResponsesAsync(c, caller, kept, ct);
            page = new Page<SessionResponse>(responses, rows.Count > limit ? Cursor.EncodeTimeAndId(kept[^1].StartsAt, kept[^1].Id) : null);
        }

        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "session", null,
            page.Items.SelectMany(s => s.Participants.Select(p => p.ClientId)).ToList(), Detail: "list"), ct);
        return page;
    }

    /// <summary>The session a change applies to: 404 outside practice and caseload, 412 on a stale If-Match.</summary>
    private static async Task<Outcome<SessionRow>> FindForChangeAsync(DbWrite c, Caller caller, Guid id, int? expected,
        CancellationToken ct) =>
        await FindAsync(c, caller, id, ct) switch
        {
            null => Failure.NotFound("session"),
            { } session when expected is not null && expected != session.Version => Failure.Stale,
            { } session => session,
        };

    private static Task<SessionRow?> FindAsync(DbSession c, Caller caller, Guid id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<SessionRow>(GetSql, new { Id = id, caller.PracticeId, Caseload = caller.Caseload });

    private static async Task<SessionResponse?> LoadAsync(DbSession c, Caller caller, Guid id, CancellationToken ct)
    {
        var row = await FindAsync(c, caller, id, ct);
        return row is null ? null : (await SessionReads.ToResponsesAsync(c, caller, [row], ct))[0];
    }

    private static async Task<IReadOnlySet<Guid>> ParticipantsAsync(DbWrite c, Guid practiceId, Guid id, CancellationToken ct) =>
        (await c.QueryAsync<SessionReads.ParticipantRow>(SessionReads.ParticipantsSql, new { PracticeId = practiceId, Ids = new[] { id } }))
        .Select(p => p.ClientId).ToHashSet();

    private static Failure TooEarly(string what) =>
        Failure.Conflict("invalid-transition", "Session has not started", $"A session can be {what} only once it has started.");

    private static Failure DuplicateIdentifier(Identifier clash) =>
        Failure.Conflict("duplicate-identifier", "Identifier already in use",
            $"Another session of this practice already holds identifier {clash.System}|{clash.Value}.");
}
