using System.Data.Common;
using System.Globalization;
using Dapper;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Integration;
using PracticeApi.Infrastructure;
using PracticeApi.Infrastructure.Audit;
using PracticeApi.Infrastructure.Http;
using PracticeApi.Infrastructure.Security;

namespace PracticeApi.Features.Sessions;

/// <summary>Appointment series: every occurrence is a real session, booked and checked like a single one.</summary>
internal sealed partial class SessionStore
{
    private const string InsertSeriesSql = """
        INSERT INTO SessionSeries (Id, PracticeId, TherapistId, ClientId, CoupleId, EveryWeeks, LocalStartTime, TimeZone, CreatedAt)
        VALUES (@Id, @PracticeId, @TherapistId, @ClientId, @CoupleId, @EveryWeeks, @LocalStartTime, @TimeZone, @Now)
        """;

    // A series is visible to whoever may see its client, or both partners of its couple.
    private static readonly string GetSeriesSql = $"""
        SELECT r.Id, r.TherapistId, r.ClientId, r.CoupleId, r.EveryWeeks, r.LocalStartTime, r.TimeZone, r.CreatedAt
        FROM SessionSeries r
        LEFT JOIN Couples cp ON cp.Id = r.CoupleId AND cp.PracticeId = r.PracticeId
        WHERE r.PracticeId = @PracticeId AND r.Id = @Id
          AND ((r.ClientId IS NOT NULL AND {Caseload.Client("r.ClientId")}) OR (r.CoupleId IS NOT NULL AND {Caseload.Couple("cp")}))
        """;

    // At most 52 occurrences: read whole, in time order, through (PracticeId, SeriesId, StartsAt, Id).
    private static readonly string SeriesSessionsSql = $"""
        SELECT {Columns} FROM Sessions s WHERE s.PracticeId = @PracticeId AND s.SeriesId = @SeriesId AND {Caseload.Session("s")}
        ORDER BY s.StartsAt, s.Id
        """;

    // Every session of one client, alone or as a partner (for the client's export), through SessionClients.
    private static readonly string OfClientSql = $"""
        SELECT {Columns} FROM SessionClients d JOIN Sessions s ON s.Id = d.SessionId
        WHERE d.PracticeId = @PracticeId AND d.ClientId = @ClientId AND {Caseload.Session("s")}
        ORDER BY d.StartsAt, d.SessionId
        """;

    /// <summary>A client's whole session history with notes and addenda as the caller may see them (for the export).</summary>
    internal static async Task<IReadOnlyList<SessionResponse>> OfClientAsync(DbConnection connection, Caller caller, Guid clientId, CancellationToken ct) =>
        await ToResponsesAsync(connection, null, caller, (await connection.QueryAsync<SessionRow>(new CommandDefinition(OfClientSql,
            new { caller.PracticeId, ClientId = clientId, Caseload = caller.CaseloadTherapistId }, cancellationToken: ct))).AsList(), ct);

    private sealed record SeriesRow
    {
        public Guid Id { get; init; }
        public Guid TherapistId { get; init; }
        public Guid? ClientId { get; init; }
        public Guid? CoupleId { get; init; }
        public int EveryWeeks { get; init; }
        public string LocalStartTime { get; init; } = "";
        public string TimeZone { get; init; } = "";
        public DateTime CreatedAt { get; init; }
    }

    /// <summary>
    /// Books every occurrence of a series in one transaction. When an occurrence conflicts with the therapist's or a client's
    /// other sessions, nothing is booked (409 with the conflicts) unless skipConflicts is set; then the rest is booked and
    /// the conflicts are listed as skipped.
    /// </summary>
    public async Task<Outcome<SeriesResponse>> CreateSeriesAsync(Caller caller, CreateSeriesRequest request, CancellationToken ct)
    {
        var seriesId = EntityIds.New();
        var occurrences = Occurrences(request);
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var subject = await ResolveSubjectAsync(connection, tx, caller, request.ClientId, request.CoupleId, request.TherapistId,
            (request.SafetyOverrideReason, "a series of couple sessions", "session_series", seriesId), ct);
        if (!subject.Succeeded) return subject.Failure!;
        var (therapistId, participants) = subject.Value;

        if (await CheckTherapistAsync(connection, tx, caller.PracticeId, therapistId, participants, ct) is { } refused) return refused;
        var (free, conflicts) = await CheckOccurrencesAsync(connection, tx, caller.PracticeId, participants,
            occurrences.Select(o => (EntityIds.New(), therapistId, o)).ToList(), request.DurationMinutes, ct);
        if (free.Count == 0 || (conflicts.Count > 0 && !request.SkipConflicts)) return SeriesConflicts(conflicts);

        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(request.StartsAt, DateTimeKind.Utc), calendar.Zone);
        await connection.ExecuteAsync(new CommandDefinition(InsertSeriesSql, new
        {
            Id = seriesId, caller.PracticeId, TherapistId = therapistId, request.ClientId, request.CoupleId, request.EveryWeeks,
            LocalStartTime = local.ToString("HH:mm", CultureInfo.InvariantCulture), TimeZone = calendar.Zone.Id, Now,
        }, tx, cancellationToken: ct));
        foreach (var (id, startsAt) in free)
        {
            var single = new CreateSessionRequest(request.ClientId, request.CoupleId, therapistId, request.Kind, request.Modality, startsAt,
                request.DurationMinutes, null);
            await InsertAsync(connection, tx, caller, id, single, therapistId, participants, seriesId, ct);
        }

        await audit.WriteAsync(connection, tx, caller, new AuditEntry(AuditActions.Create, "session_series", seriesId, participants.ToList(),
            Detail: $"{free.Count} sessions, {conflicts.Count} skipped"), ct);
        var created = await LoadSeriesAsync(connection, tx, caller, seriesId, conflicts, ct);
        await tx.CommitAsync(ct);
        return created!;
    }

    public async Task<SeriesResponse?> GetSeriesAsync(Caller caller, Guid id, CancellationToken ct)
    {
        SeriesResponse? series;
        await using (var connection = await db.OpenAsync(ct))
        {
            series = await LoadSeriesAsync(connection, null, caller, id, [], ct);
        }

        if (series is not null)
        {
            await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "session_series", id, Participants(series)), ct);
        }

        return series;
    }

    /// <summary>Cancels one occurrence and every later scheduled one, each like a single cancellation.</summary>
    public Task<Outcome<SeriesResponse>> CancelFollowingAsync(Caller caller, Guid seriesId, CancelSeriesRequest request, CancellationToken ct) =>
        ChangeFollowingAsync(caller, seriesId, request.FromSessionId, async (connection, tx, following, participants) =>
        {
            foreach (var session in following)
            {
                var status = request.ByClient && session.StartsAt - Now < LateCancellationWindow ? "late_cancelled" : "cancelled";
                await connection.ExecuteAsync(new CommandDefinition(CancelSql, new
                {
                    session.Id, caller.PracticeId, Status = status, Reason = request.Reason.Trim(), request.ByClient, Expected = session.Version, Now,
                }, tx, cancellationToken: ct));
                await audit.WriteAsync(connection, tx, caller, new AuditEntry(AuditActions.Update, "session", session.Id, participants, Detail: status), ct);
                await outbox.PublishAsync(connection, tx, caller.PracticeId, EventTypes.SessionCancelled, "sessionId", session.Id, participants, ct,
                    ("status", status));
            }

            return (Failure?)null;
        }, ct);

    /// <summary>
    /// Moves one occurrence and every later scheduled one by the same number of days to the new local time; nothing moves
    /// when any of them would conflict (409 with the conflicts).
    /// </summary>
    public Task<Outcome<SeriesResponse>> RescheduleFollowingAsync(Caller caller, Guid seriesId, RescheduleSeriesRequest request, CancellationToken ct) =>
        ChangeFollowingAsync(caller, seriesId, request.FromSessionId, async (connection, tx, following, participants) =>
        {
            var zone = calendar.Zone;
            var newLocal = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(request.StartsAt, DateTimeKind.Utc), zone);
            var days = DateOnly.FromDateTime(newLocal).DayNumber - calendar.LocalDate(following[0].StartsAt).DayNumber;
            // Each occurrence keeps its own therapist (one may have been moved to a colleague).
            foreach (var therapist in following.Select(f => f.TherapistId).Distinct())
            {
                if (await CheckTherapistAsync(connection, tx, caller.PracticeId, therapist, participants, ct) is { } refused) return refused;
            }

            var moves = following
                .Select(s => (s.Id, s.TherapistId, calendar.ToUtc(calendar.LocalDate(s.StartsAt).AddDays(days), TimeOnly.FromDateTime(newLocal))))
                .ToList();
            var (_, conflicts) = await CheckOccurrencesAsync(connection, tx, caller.PracticeId, participants, moves, request.DurationMinutes, ct);
            if (conflicts.Count > 0) return SeriesConflicts(conflicts);

            foreach (var ((id, _, startsAt), session) in moves.Zip(following))
            {
                await connection.ExecuteAsync(new CommandDefinition(RescheduleSql, new
                {
                    Id = id, caller.PracticeId, session.TherapistId, session.Kind, session.Modality, StartsAt = startsAt,
                    EndsAt = startsAt.AddMinutes(request.DurationMinutes), request.DurationMinutes, Expected = session.Version, Now,
                }, tx, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(MoveParticipantsSql, new { Id = id, caller.PracticeId, StartsAt = startsAt }, tx,
                    cancellationToken: ct));
                await audit.WriteAsync(connection, tx, caller, new AuditEntry(AuditActions.Update, "session", id, participants, Detail: "rescheduled"), ct);
                await outbox.PublishAsync(connection, tx, caller.PracticeId, EventTypes.SessionUpdated, "sessionId", id, participants, ct,
                    ("status", "scheduled"));
            }

            return (Failure?)null;
        }, ct);

    private async Task<Outcome<SeriesResponse>> ChangeFollowingAsync(Caller caller, Guid seriesId, Guid fromSessionId,
        Func<DbConnection, DbTransaction, IReadOnlyList<SessionRow>, List<Guid>, Task<Failure?>> change, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await FindSeriesAsync(connection, tx, caller, seriesId, ct) is null) return Failure.NotFound("session series");
        var sessions = await SeriesSessionsAsync(connection, tx, caller, seriesId, ct);
        var from = sessions.FirstOrDefault(s => s.Id == fromSessionId);
        if (from is null) return Failure.Invalid("fromSessionId", "fromSessionId must be a session of this series.");
        var following = sessions.Where(s => s.Status == "scheduled" && (s.StartsAt > from.StartsAt || s.Id == from.Id)).ToList();
        if (following.Count == 0 || following[0].Id != from.Id)
        {
            return Failure.Conflict("invalid-transition", "Session is no longer scheduled",
                $"The session is {from.Status}; only scheduled sessions of a series can be changed or cancelled.",
                new Dictionary<string, object?> { ["sessionStatus"] = from.Status });
        }

        var participants = (await ParticipantsAsync(connection, tx, caller.PracticeId, from.Id, ct)).ToList();
        if (await change(connection, tx, following, participants) is { } failure) return failure;
        var updated = await LoadSeriesAsync(connection, tx, caller, seriesId, [], ct);
        await tx.CommitAsync(ct);
        return updated!;
    }

    /// <summary>Which occurrences are free, and the others with the session they would overlap.</summary>
    private async Task<(List<(Guid Id, DateTime StartsAt)> Free, List<SeriesConflict> Conflicts)> CheckOccurrencesAsync(
        DbConnection connection, DbTransaction tx, Guid practiceId, IReadOnlyCollection<Guid> participants,
        IReadOnlyList<(Guid Id, Guid TherapistId, DateTime StartsAt)> occurrences, int minutes, CancellationToken ct)
    {
        var free = new List<(Guid, DateTime)>();
        var conflicts = new List<SeriesConflict>();
        foreach (var (id, therapistId, startsAt) in occurrences)
        {
            if (await CheckFreeAsync(connection, tx, practiceId, id, therapistId, participants, startsAt, minutes, ct) is { } busy)
            {
                conflicts.Add(new SeriesConflict(startsAt, busy.Name, busy.Extensions?["conflictingSessionId"] as Guid?));
            }
            else
            {
                free.Add((id, startsAt));
            }
        }

        return (free, conflicts);
    }

    private static Failure SeriesConflicts(IReadOnlyList<SeriesConflict> conflicts) =>
        Failure.Conflict("series-conflicts", "Sessions of the series conflict",
            $"{conflicts.Count} of the series' sessions would overlap another session of the therapist or a client; nothing was booked. " +
            "Choose another time, or set skipConflicts to book the rest.",
            new Dictionary<string, object?> { ["conflicts"] = conflicts });

    /// <summary>The occurrences' UTC starts: the first start's local time on every everyWeeks-th week in the practice's zone.</summary>
    private List<DateTime> Occurrences(CreateSeriesRequest request)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(request.StartsAt, DateTimeKind.Utc), calendar.Zone);
        var firstDate = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        var starts = new List<DateTime>();
        for (var i = 0; i < CreateSeriesValidator.MaxOccurrences; i++)
        {
            var date = firstDate.AddDays(7 * request.EveryWeeks * i);
            if (request.Count is { } count && i >= count) break;
            if (request.Until is { } until && date > until) break;
            starts.Add(calendar.ToUtc(date, time));
        }

        return starts;
    }

    private async Task<SeriesRow?> FindSeriesAsync(DbConnection connection, DbTransaction? tx, Caller caller, Guid id, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<SeriesRow>(new CommandDefinition(GetSeriesSql,
            new { Id = id, caller.PracticeId, Caseload = caller.CaseloadTherapistId }, tx, cancellationToken: ct));

    private static async Task<List<SessionRow>> SeriesSessionsAsync(DbConnection connection, DbTransaction? tx, Caller caller, Guid seriesId,
        CancellationToken ct) =>
        (await connection.QueryAsync<SessionRow>(new CommandDefinition(SeriesSessionsSql,
            new { caller.PracticeId, SeriesId = seriesId, Caseload = caller.CaseloadTherapistId }, tx, cancellationToken: ct))).AsList();

    private async Task<SeriesResponse?> LoadSeriesAsync(DbConnection connection, DbTransaction? tx, Caller caller, Guid id,
        IReadOnlyList<SeriesConflict> skipped, CancellationToken ct)
    {
        var series = await FindSeriesAsync(connection, tx, caller, id, ct);
        if (series is null) return null;
        var sessions = await ToResponsesAsync(connection, tx, caller, await SeriesSessionsAsync(connection, tx, caller, id, ct), ct);
        return new SeriesResponse(series.Id, series.TherapistId, series.ClientId, series.CoupleId, series.EveryWeeks, series.LocalStartTime,
            series.TimeZone, sessions, skipped, series.CreatedAt);
    }

    private static List<Guid> Participants(SeriesResponse series) =>
        series.Sessions.SelectMany(s => s.Participants.Select(p => p.ClientId)).Distinct().ToList();
}
