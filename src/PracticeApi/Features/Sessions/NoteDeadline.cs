namespace PracticeApi.Features.Sessions;

/// <summary>
/// How long a completed session's note may wait for its therapist's signature (Notes:SignWithinDays, 3 by default), and
/// how many of a therapist's notes wait longer (the alert list's first line). Holds no database: it reads in the
/// caller's.
/// </summary>
internal sealed class NoteDeadline(IConfiguration configuration, TimeProvider clock)
{
    private static readonly string UnsignedSummarySql = $"""
        SELECT COUNT(*) AS Count, MIN(s.CompletedAt) AS OldestCompletedAt FROM Sessions s
        WHERE s.PracticeId = @PracticeId AND s.TherapistId = @TherapistId
          AND s.Status = 'completed' AND s.NoteFormat IS NOT NULL AND s.NoteSignedAt IS NULL
              AND s.CompletedAt <= @Cutoff
          AND {Caseload.Session("s")}
        """;

    private sealed record UnsignedSummaryRow
    {
        public int Count { get; init; }
        public DateTime? OldestCompletedAt { get; init; }
    }

    public TimeSpan SignWithin => TimeSpan.FromDays(Math.Max(0, configuration.GetValue("Notes:SignWithinDays", 3)));

    /// <summary>Notes of sessions completed at or before this moment wait too long.</summary>
    public DateTime Cutoff => clock.GetUtcNow().UtcDateTime - SignWithin;

    /// <summary>How many of the therapist's notes wait past Notes:SignWithinDays (null when none, or the caller is no
    /// therapist).</summary>
    public async Task<UnsignedNotes?> SummaryAsync(DbSession c, Caller caller, CancellationToken ct)
    {
        if (caller.TherapistId is not { } therapistId) return null;
        var summary = await c.QuerySingleAsync<UnsignedSummaryRow>(UnsignedSummarySql, new
        {
            caller.PracticeId, TherapistId = therapistId, Caseload = caller.Caseload, Cutoff,
        });
        return summary.Count == 0 ? null : new UnsignedNotes(summary.Count, summary.OldestCompletedAt,
            (int)SignWithin.TotalDays);
    }
}

/// <summary>A therapist's session notes waiting for a signature longer than the practice allows.</summary>
internal sealed record UnsignedNotes(int Count, DateTime? OldestCompletedAt, int SignWithinDays);
