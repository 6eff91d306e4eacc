using System.Globalization;
using PracticeApi.Features.Integration;

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
        SELECT {SessionReads.Columns} FROM Sessions s WHERE s.PracticeId = @PracticeId AND s.SeriesId = @SeriesId AND {Caseload.Session("s")}
        ORDER BY s.StartsAt, s.Id
        """;

    // Every session of one client, alone or as a partner (for the client's export), through SessionClients.
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
        await using var c = await db.BeginWriteAsync(ct);
        var subject = await ResolveSubjectAsync(c, caller, request.ClientId, request.CoupleId, request.TherapistId,
            (request.SafetyOverrideReason, "a series of couple sessions", "session_series", seriesId), ct);
        if (!subject.Succeeded) return subject.Failure!;
        var (therapistId, participants) = subject.Value;

        if (await CheckTherapistAsync(c, caller.PracticeId, therapistId, participants, ct) is { } refused) return refused;
        var (free, conflicts) = await CheckOccurrencesAsync(c, caller.PracticeId, participants,
            occurrences.Select(o => (EntityIds.New(), therapistId, o)).ToList(), request.DurationMinutes, ct);
        if (free.Count == 0 || (conflicts.Count > 0 && !request.SkipConflicts)) return SeriesConflicts(conflicts);

        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(request.StartsAt, DateTimeKind.Utc), calendar.Zone);
        await c.ExecuteAsync(InsertSeriesSql, new
        {
            Id = seriesId, caller.PracticeId, TherapistId = therapistId, request.ClientId, request.CoupleId, request.EveryWeeks,
            LocalStartTime = local.ToString("HH:mm", CultureInfo.InvariantCulture), TimeZone = calendar.Zone.Id, Now,
        });
        foreach (var (id, startsAt) in free)
        {
            var single = new CreateSessionRequest(request.ClientId, request.CoupleId, therapistId, request.Kind, request.Modality, startsAt,
                request.DurationMinutes, null);
            await InsertAsync(c, caller, id, single, therapistId, participants, seriesId, ct);
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Create, "session_series", seriesId, participants.ToList(),
            Detail: $"{free.Count} sessions, {conflicts.Count} skipped"));
        var created = await LoadSeriesAsync(c, caller, seriesId, conflicts, ct);
        await c.CommitAsync();
        return created!;
    }

    public async Task<SeriesResponse?> GetSeriesAsync(Caller caller, Guid id, CancellationToken ct)
    {
        SeriesResponse? series;
        await using (var c = await db.BeginReadAsync(ct))
        {
            series = await LoadSeriesAsync(c, caller, id, [], ct);
        }

        if (series is not null)
        {
            await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "session_series", id, Participants(series)), ct);
        }

        return series;
    }

    /// <summary>Cancels one occurrence and every later scheduled one, each like a single cancellation.</summary>
    public Task<Outcome<SeriesResponse>> CancelFollowingAsync(Caller caller, Guid seriesId, CancelSeriesRequest request, CancellationToken ct) =>
        ChangeFollowingAsync(caller, seriesId, request.FromSessionId, async (c, following, participants) =>
        {
            foreach (var session in following)
            {
                var status = request.ByClient && session.StartsAt - Now < LateCancellationWindow ? "late_cancelled" : "cancelled";
                await c.ExecuteAsync(CancelSql, new
                {
                    session.Id, caller.PracticeId, Status = status, Reason = request.Reason.Trim(), request.ByClient, Expected = session.Version, Now,
                });
                await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Update, "session", session.Id, participants, Detail: status));
                await outbox.PublishAsync(c, caller.PracticeId, EventTypes.SessionCancelled, "sessionId", session.Id, participants, ct,
                    ("status", status));
            }

            return (Failure?)null;
        }, ct);

    /// <summary>
    /// Moves one occurrence and every later scheduled one by the same number of days to the new local time; nothing moves
    /// when any of them would conflict (409 with the conflicts).
    /// </summary>
    public Task<Outcome<SeriesResponse>> RescheduleFollowingAsync(Caller caller, Guid seriesId, RescheduleSeriesRequest request, CancellationToken ct) =>
        ChangeFollowingAsync(caller, seriesId, request.FromSessionId, async (c, following, participants) =>
        {
            var zone = calendar.Zone;
            var newLocal = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(request.StartsAt, DateTimeKind.Utc), zone);
            var days = DateOnly.FromDateTime(newLocal).DayNumber - calendar.LocalDate(following[0].StartsAt).DayNumber;
            // Each occurrence keeps its own therapist (one may have been moved to a colleague).
            foreach (var therapist in following.Select(f => f.TherapistId).Distinct())
            {
                if (await CheckTherapistAsync(c, caller.PracticeId, therapist, participants, ct) is { } refused) return refused;
            }

            var moves = following
                .Select(s => (s.Id, s.TherapistId, calendar.ToUtc(calendar.LocalDate(s.StartsAt).AddDays(days), TimeOnly.FromDateTime(newLocal))))
                .ToList();
            var (_, conflicts) = await CheckOccurrencesAsync(c, caller.PracticeId, participants, moves, request.DurationMinutes, ct);
            if (conflicts.Count > 0) return SeriesConflicts(conflicts);

            foreach (var ((id, _, startsAt), session) in moves.Zip(following))
            {
                await c.ExecuteAsync(RescheduleSql, new
                {
                    Id = id, caller.PracticeId, session.TherapistId, session.Kind, session.Modality, StartsAt = startsAt,
                    EndsAt = startsAt.AddMinutes(request.DurationMinutes), request.DurationMinutes, Expected = session.Version, Now,
                });
                await c.ExecuteAsync(MoveParticipantsSql, new { Id = id, caller.PracticeId, StartsAt = startsAt });
                await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Update, "session", id, participants, Detail: "rescheduled"));
                await outbox.PublishAsync(c, caller.PracticeId, EventTypes.SessionUpdated, "sessionId", id, participants, ct,
                    ("status", "scheduled"));
            }

            return (Failure?)null;
        }, ct);

    private async Task<Outcome<SeriesResponse>> ChangeFollowingAsync(Caller caller, Guid seriesId, Guid fromSessionId,
        Func<DbWrite, IReadOnlyList<SessionRow>, List<Guid>, Task<Failure?>> change, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (await FindSeriesAsync(c, caller, seriesId, ct) is null) return Failure.NotFound("session series");
        var sessions = await SeriesSessionsAsync(c, caller, seriesId, ct);
        var from = sessions.FirstOrDefault(s => s.Id == fromSessionId);
        if (from is null) return Failure.Invalid("fromSessionId", "fromSessionId must be a session of this series.");
        var following = sessions.Where(s => s.Status == "scheduled" && (s.StartsAt > from.StartsAt || s.Id == from.Id)).ToList();
        if (following.Count == 0 || following[0].Id != from.Id)
        {
            return Failure.Conflict("invalid-transition", "Session is no longer scheduled",
                $"The session is {from.Status}; only scheduled sessions of a series can be changed or cancelled.",
                new Dictionary<string, object?> { ["sessionStatus"] = from.Status });
        }

        var participants = (await ParticipantsAsync(c, caller.PracticeId, from.Id, ct)).ToList();
        if (await change(c, following, participants) is { } failure) return failure;
        var updated = await LoadSeriesAsync(c, caller, seriesId, [], ct);
        await c.CommitAsync();
        return updated!;
    }

    /// <summary>Which occurrences are free, and the others with the session they would overlap.</summary>
    private async Task<(List<(Guid Id, DateTime StartsAt)> Free, List<SeriesConflict> Conflicts)> CheckOccurrencesAsync(
        DbWrite c, Guid practiceId, IReadOnlyCollection<Guid> participants,
        IReadOnlyList<(Guid Id, Guid TherapistId, DateTime StartsAt)> occurrences, int minutes, CancellationToken ct)
    {
        var free = new List<(Guid, DateTime)>();
        var conflicts = new List<SeriesConflict>();
        foreach (var (id, therapistId, startsAt) in occurrences)
        {
            if (await CheckFreeAsync(c, practiceId, id, therapistId, participants, startsAt, minutes, ct) is { } busy)
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

    private async Task<SeriesRow?> FindSeriesAsync(DbSession c, Caller caller, Guid id, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<SeriesRow>(GetSeriesSql, new { Id = id, caller.PracticeId, Caseload = caller.Caseload });

    private static async Task<List<SessionRow>> SeriesSessionsAsync(DbSession c, Caller caller, Guid seriesId,
        CancellationToken ct) =>
        await c.QueryAsync<SessionRow>(SeriesSessionsSql, new { caller.PracticeId, SeriesId = seriesId, Caseload = caller.Caseload });

    private async Task<SeriesResponse?> LoadSeriesAsync(DbSession c, Caller caller, Guid id,
        IReadOnlyList<SeriesConflict> skipped, CancellationToken ct)
    {
        var series = await FindSeriesAsync(c, caller, id, ct);
        if (series is null) return null;
        var sessions = await SessionReads.ToResponsesAsync(c, caller, await SeriesSessionsAsync(c, caller, id, ct), ct);
        return new SeriesResponse(series.Id, series.TherapistId, series.ClientId, series.CoupleId, series.EveryWeeks, series.LocalStartTime,
            series.TimeZone, sessions, skipped, series.CreatedAt);
    }

    private static List<Guid> Participants(SeriesResponse series) =>
        series.Sessions.SelectMany(s => s.Participants.Select(p => p.ClientId)).Distinct().ToList();
}
