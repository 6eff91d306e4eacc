namespace PracticeApi.Features.Sessions;

/// <summary>How a series is read, with its sessions in time order, by the series operations and queries.</summary>
internal static class SeriesReads
{
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
        SELECT {SessionReads.Columns} FROM Sessions s
        WHERE s.PracticeId = @PracticeId AND s.SeriesId = @SeriesId AND {Caseload.Session("s")}
        ORDER BY s.StartsAt, s.Id
        """;

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

    /// <summary>Whether the series exists for the caller (within practice and caseload).</summary>
    public static async Task<bool> ExistsAsync(DbSession c, Caller caller, Guid id) => await FindAsync(c, caller,
        id) is not null;

    /// <summary>The series' sessions, in time order.</summary>
    public static async Task<List<SessionRow>> SessionsAsync(DbSession c, Caller caller, Guid seriesId) =>
        await c.QueryAsync<SessionRow>(SeriesSessionsSql, new { caller.PracticeId, SeriesId = seriesId,
            Caseload = caller.Caseload });

    /// <summary>The series as the caller sees it, with the occurrences a booking skipped (null when not
    /// found).</summary>
    public static async Task<SeriesResponse?> LoadAsync(DbSession c, Caller caller, Guid id,
        IReadOnlyList<SeriesConflict> skipped, CancellationToken ct)
    {
        var series = await FindAsync(c, caller, id);
        if (series is null) return null;
        var sessions = await SessionReads.ToResponsesAsync(c, caller, await SessionsAsync(c, caller, id), ct);
        return new SeriesResponse(series.Id, series.TherapistId, series.ClientId, series.CoupleId, series.EveryWeeks,
            series.LocalStartTime, series.TimeZone, sessions, skipped, series.CreatedAt);
    }

    /// <summary>Everyone who takes part in any of the series' sessions.</summary>
    public static List<Guid> Participants(SeriesResponse series) =>
        series.Sessions.SelectMany(s => s.Participants.Select(p => p.ClientId)).Distinct().ToList();

    /// <summary>Which occurrences are free, and the others with the session they would overlap.</summary>
    public static async Task<(List<(Guid Id, DateTime StartsAt)> Free,
        List<SeriesConflict> Conflicts)> CheckOccurrencesAsync(
        DbWrite c, Guid practiceId, IReadOnlyCollection<Guid> participants,
        IReadOnlyList<(Guid Id, Guid TherapistId, DateTime StartsAt)> occurrences, int minutes)
    {
        var free = new List<(Guid, DateTime)>();
        var conflicts = new List<SeriesConflict>();
        foreach (var (id, therapistId, startsAt) in occurrences)
        {
            if (await SessionBooking.CheckFreeAsync(c, practiceId, id, therapistId, participants, startsAt,
                minutes) is { } busy)
            {
                conflicts.Add(new SeriesConflict(startsAt, busy.Name,
                    busy.Extensions?["conflictingSessionId"] as Guid?));
            }
            else
            {
                free.Add((id, startsAt));
            }
        }

        return (free, conflicts);
    }

    /// <summary>The 409 listing the occurrences that would overlap another session.</summary>
    public static Failure Conflicts(IReadOnlyList<SeriesConflict> conflicts) =>
        Failure.Conflict("series-conflicts", "Sessions of the series conflict",
            $"{conflicts.Count} of the series' sessions would overlap another session of the therapist or a client; nothing was booked. " +
            "Choose another time, or set skipConflicts to book the rest.",
            new Dictionary<string, object?> { ["conflicts"] = conflicts });

    private static Task<SeriesRow?> FindAsync(DbSession c, Caller caller, Guid id) =>
        c.QuerySingleOrDefaultAsync<SeriesRow>(GetSeriesSql, new { Id = id, caller.PracticeId,
            Caseload = caller.Caseload });
}
