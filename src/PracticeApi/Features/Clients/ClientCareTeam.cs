using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Clients;

/// <summary>The therapists who treat a client: replaced as a whole, each active and of the practice.</summary>
internal sealed class ClientCareTeam(Db db, AuditLog audit, Outbox outbox, TimeProvider clock)
{
    private const string KnownTherapistsSql = "SELECT COUNT(*) FROM Therapists WHERE PracticeId = @PracticeId AND Id IN @Ids";
    private const string DeleteCareTeamSql = "DELETE FROM CareTeam WHERE PracticeId = @PracticeId AND ClientId = @ClientId";

    // The therapist only if active in this practice: no row means unknown or deactivated.
    private const string InsertCareTeamSql = """
        INSERT INTO CareTeam (PracticeId, ClientId, TherapistId)
        SELECT @PracticeId, @ClientId, Id FROM Therapists WHERE PracticeId = @PracticeId AND Id = @TherapistId
            AND IsActive = 1
        """;

    public async Task<Outcome<ClientResponse>> SetAsync(Caller caller, Guid id, IReadOnlyList<Guid> therapistIds,
        int? expected, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var current = await ClientReads.FindAsync(c, caller, id);
        if (current is null) return Failure.NotFound("client");
        if (expected is not null && expected != current.Version) return Failure.Stale;
        if (current.ErasedAt is not null) return CareRules.Erased();
        await c.ExecuteAsync(DeleteCareTeamSql, new { caller.PracticeId, ClientId = id });
        if (await AddAsync(c, caller.PracticeId, id, therapistIds) is { } teamProblem) return teamProblem;
        await ClientDetails.BumpAsync(c, caller.PracticeId, id, current.Version, null, clock.GetUtcNow().UtcDateTime);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "client", id, [id], Detail: "care team"));
        await outbox.PublishAsync(c, caller.PracticeId, EventType.ClientUpdated, "clientId", id, [id], ct);
        // The caller may have left the care team: answer with what was written, read as the whole practice.
        var updated = await ClientReads.LoadAsync(c, caller.PracticeId, caseload: null, id, ct);
        await c.CommitAsync();
        return updated!;
    }

    /// <summary>
    /// Adds the care team, taking only the practice's active therapists. Every therapist must belong to the practice
    /// (404 otherwise, like any foreign id) and be active (409): when one is not, says which problem it is, and the
    /// caller rolls the change back.
    /// </summary>
    public static async Task<Failure?> AddAsync(DbWrite c, Guid practiceId, Guid clientId, IEnumerable<Guid> team)
    {
        var ids = team.Distinct().ToList();
        if (ids.Count == 0) return null;
        var added = 0;
        // Prepared once per connection and bound by position, once per therapist (a care team is a few).
        await using (var insert = c.Repeated(InsertCareTeamSql, "PracticeId", "ClientId", "TherapistId"))
        {
            foreach (var therapist in ids) added += await insert.ExecuteAsync(practiceId, clientId, therapist);
        }

        if (added == ids.Count) return null;
        var known = await c.ExecuteScalarAsync<int>(KnownTherapistsSql, new { PracticeId = practiceId, Ids = ids });
        return known != ids.Count
            ? Failure.NotFound("therapist")
            : Failure.Conflict("therapist-inactive", "Therapist is deactivated",
                "A deactivated therapist cannot join a care team.");
    }
}
