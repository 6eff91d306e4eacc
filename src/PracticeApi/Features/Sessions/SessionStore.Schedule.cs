using System.Data.Common;
using Dapper;
using PracticeApi.Features.Therapists;
using PracticeApi.Infrastructure.Http;

namespace PracticeApi.Features.Sessions;

/// <summary>Who may hold a session and when: an active therapist on every participant's care team, and everyone free.</summary>
internal sealed partial class SessionStore
{
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
}
