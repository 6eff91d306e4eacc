namespace PracticeApi.Features.Clients;

/// <summary>Rules other features check a client against: in care, writable, visible to the caller.</summary>
internal sealed partial class ClientStore
{
    /// <summary>
    /// A client to add personal data to (a support person, a recovery entry): 404 outside the caller's practice and
    /// caseload, 409 client-erased once the record was erased.
    /// </summary>
    public static async Task<Failure?> CheckWritableAsync(DbSession c, Caller caller, Guid id, CancellationToken ct) =>
        await FindAsync(c, caller, id, ct) switch
        {
            null => Failure.NotFound("client"),
            { ErasedAt: not null } => Erased(),
            _ => null,
        };

    // An erased record stays erased: nobody writes personal data back into it or takes it into care again.
    private static Failure Erased() =>
        Failure.Conflict("client-erased", "Client record erased", "This client's record was erased; register the person as a new client if they return.");

    /// <summary>
    /// New clinical work (a couple, a session, an exercise, portal access) is for clients in care only: each must be on the
    /// caller's caseload (404 otherwise, like any id out of reach) and not discharged (409).
    /// </summary>
    public static async Task<Failure?> CheckInCareAsync(DbSession c, Caller caller, IEnumerable<Guid> clientIds, CancellationToken ct)
    {
        foreach (var id in clientIds)
        {
            var client = await FindAsync(c, caller, id, ct);
            if (client is null) return Failure.NotFound("client");
            if (client.Status != ClientStatuses.Active)
            {
                return Failure.Conflict("client-discharged", "Client is discharged", "Reactivate the client before starting new work with them.");
            }
        }

        return null;
    }

    public static Task<ClientRow?> FindAsync(DbSession c, Caller caller, Guid id, CancellationToken ct) =>
        FindAsync(c, caller.PracticeId, caller.CaseloadTherapistId, id, ct);

    private static async Task<ClientRow?> FindAsync(DbSession c, Guid practiceId, Guid? caseload, Guid id, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<ClientRow>(GetSql, new { Id = id, PracticeId = practiceId, Caseload = caseload });
}
