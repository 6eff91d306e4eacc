
namespace PracticeApi.Features.Sessions;

/// <summary>Who may hold a session and when: an active therapist on every participant's care team, and everyone free.</summary>
internal sealed partial class SessionStore
{
    /// <summary>
    /// The therapist must be an active therapist of the practice, on the care team of every participant (otherwise they
    /// could not see their own session), and free for the whole session; so must every participant be.
    /// </summary>
    private async Task<Failure?> CheckScheduleAsync(DbWrite c, Guid practiceId, Guid sessionId, Guid therapistId,
        IReadOnlyCollection<Guid> participants, DateTime startsAt, int minutes, CancellationToken ct) =>
        await CheckTherapistAsync(c, practiceId, therapistId, participants, ct)
        ?? await CheckFreeAsync(c, practiceId, sessionId, therapistId, participants, startsAt, minutes, ct);

    /// <summary>Who may hold sessions with these participants: an active therapist of the practice on all their care teams.</summary>
    private static async Task<Failure?> CheckTherapistAsync(DbWrite c, Guid practiceId, Guid therapistId,
        IReadOnlyCollection<Guid> participants, CancellationToken ct)
    {
        if (await CareRules.CheckTherapistActiveAsync(c, practiceId, therapistId, "hold sessions", ct) is { } problem) return problem;
        var clientIds = participants.Distinct().ToList();
        var onTeam = await c.ExecuteScalarAsync<int>(OnCareTeamSql, new { PracticeId = practiceId, TherapistId = therapistId, ClientIds = clientIds });
        return onTeam < clientIds.Count
            ? Failure.Conflict("therapist-not-on-care-team", "Therapist is not on the care team",
                "A therapist holds sessions only with clients whose care team they are on: add them to the care team first.")
            : null;
    }

    /// <summary>Whether the therapist and every participant are free for this time (a double booking otherwise).</summary>
    private async Task<Failure?> CheckFreeAsync(DbWrite c, Guid practiceId, Guid sessionId, Guid therapistId,
        IReadOnlyCollection<Guid> participants, DateTime startsAt, int minutes, CancellationToken ct)
    {
        var endsAt = startsAt.AddMinutes(minutes);
        var conflict = await c.QueryFirstOrDefaultAsync<Guid?>(OverlapSql, new
        {
            PracticeId = practiceId, TherapistId = therapistId, StartsAt = startsAt, EndsAt = endsAt,
            Earliest = startsAt.AddMinutes(-SessionRules.MaxMinutes), Id = sessionId, Limit = 1,
        });
        if (conflict is not null)
        {
            return Failure.Conflict("double-booking", "Therapist is already booked",
                $"The therapist has session {conflict} at this time.", new Dictionary<string, object?> { ["conflictingSessionId"] = conflict });
        }

        var clientConflict = await c.QueryFirstOrDefaultAsync<Guid?>(ClientOverlapSql, new
        {
            PracticeId = practiceId, ClientIds = participants.Distinct().ToList(), StartsAt = startsAt, EndsAt = endsAt,
            Earliest = startsAt.AddMinutes(-SessionRules.MaxMinutes), Id = sessionId, Limit = 1,
        });
        return clientConflict is null
            ? null
            : Failure.Conflict("client-double-booking", "Client is already booked",
                "A client of this session already has a session at this time.", new Dictionary<string, object?> { ["conflictingSessionId"] = clientConflict });
    }
}
