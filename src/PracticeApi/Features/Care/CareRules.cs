namespace PracticeApi.Features.Care;

/// <summary>Where a client stands: in care, or discharged.</summary>
public enum ClientStatus { Active, Discharged }

/// <summary>Where a couple's repair case stands.</summary>
public enum CoupleStatus { Active, Paused, Closed }

/// <summary>A couple as the care rules see it: who the partners are, whether the case is open, whether it is on
/// hold.</summary>
internal interface IHeldCouple
{
    Guid Id { get; }
    string Status { get; }
    bool SafetyHold { get; }
    IReadOnlyList<Guid> Partners { get; }
}

/// <summary>
/// The rules every feature checks before it touches a client's or a couple's care, written once and depending on no
/// feature: a client or couple out of the caller's practice or caseload is not found (404, like any id out of reach),
/// new clinical work is for clients in care and open couples only, and an erased record takes no personal data again.
/// The safety hold is <see cref="SafetyHold"/>, the caseload's SQL <see cref="Caseload"/>.
/// </summary>
internal static class CareRules
{
    private static readonly string ClientSql =
        $"SELECT c.Status, c.ErasedAt FROM Clients c WHERE c.Id = @Id AND c.PracticeId = @PracticeId AND {Caseload.Client("c.Id")}";

    private static readonly string CoupleSql = $"""
        SELECT c.Id, c.PartnerAId, c.PartnerBId, c.PartnerARole, c.PartnerBRole, c.Status, c.SafetyHold FROM Couples c
        WHERE c.Id = @Id AND c.PracticeId = @PracticeId AND {Caseload.Couple("c")}
        """;

    private sealed record ClientState
    {
        public string Status { get; init; } = "";
        public DateTime? ErasedAt { get; init; }
    }

    /// <summary>A couple open for new work (see <see cref="OpenCoupleAsync"/>): its partners and their roles.</summary>
    internal sealed record CareCouple : IHeldCouple
    {
        public Guid Id { get; init; }
        public Guid PartnerAId { get; init; }
        public Guid PartnerBId { get; init; }
        public string PartnerARole { get; init; } = "";
        public string PartnerBRole { get; init; } = "";
        public string Status { get; init; } = "";
        public bool SafetyHold { get; init; }
        public IReadOnlyList<Guid> Partners => [PartnerAId, PartnerBId];
    }

    /// <summary>Whether the client is in the caller's practice and caseload.</summary>
    public static async Task<bool> ClientVisibleAsync(DbSession c, Caller caller, Guid id) => await ClientAsync(c,
        caller, id) is not null;

    /// <summary>
    /// A client to add personal data to (a support person, a recovery entry): 404 outside the caller's practice and
    /// caseload, 409 client-erased once the record was erased.
    /// </summary>
    public static async Task<Failure?> CheckWritableAsync(DbSession c, Caller caller, Guid id) =>
        await ClientAsync(c, caller, id) switch
        {
            null => Failure.NotFound("client"),
            { ErasedAt: not null } => Erased(),
            _ => null,
        };

    /// <summary>An erased record stays erased: nobody writes personal data back into it or takes it into care
    /// again.</summary>
    public static Failure Erased() =>
        Failure.Conflict("client-erased", "Client record erased",
            "This client's record was erased; register the person as a new client if they return.");

    /// <summary>
    /// New clinical work (a couple, a session, an exercise, portal access) is for clients in care only: each must be on
    /// the caller's caseload (404 otherwise) and not discharged (409).
    /// </summary>
    public static async Task<Failure?> CheckInCareAsync(DbSession c, Caller caller, IEnumerable<Guid> clientIds)
    {
        foreach (var id in clientIds)
        {
            var client = await ClientAsync(c, caller, id);
            if (client is null) return Failure.NotFound("client");
            if (client.Status != ClientStatus.Active.Wire())
            {
                return Failure.Conflict("client-discharged", "Client is discharged",
                    "Reactivate the client before starting new work with them.");
            }
        }

        return null;
    }

    /// <summary>New work for a couple: it must be reachable, not closed, and both partners in care.</summary>
    public static async Task<Outcome<CareCouple>> OpenCoupleAsync(DbSession c, Caller caller, Guid id)
    {
        var couple = await CoupleAsync(c, caller, id);
        if (couple is null) return Failure.NotFound("couple");
        if (couple.Status == CoupleStatus.Closed.Wire()) return CoupleClosed();
        return await CheckInCareAsync(c, caller, couple.Partners) is { } notInCare ? notInCare : couple;
    }

    /// <summary>A couple in the caller's practice and caseload, whatever its status (null: not found).</summary>
    public static Task<CareCouple?> CoupleAsync(DbSession c, Caller caller, Guid id) =>
        c.QuerySingleOrDefaultAsync<CareCouple>(CoupleSql, new { Id = id, caller.PracticeId,
            Caseload = caller.Caseload });

    public static Failure CoupleClosed() =>
        Failure.Conflict("invalid-transition", "Couple is closed",
            "A closed couple cannot be changed or given new work.");

    private static Task<ClientState?> ClientAsync(DbSession c, Caller caller, Guid id) =>
        c.QuerySingleOrDefaultAsync<ClientState>(ClientSql, new { Id = id, caller.PracticeId,
            Caseload = caller.Caseload });

    private const string TherapistActiveSql = "SELECT IsActive FROM Therapists WHERE Id = @Id AND PracticeId = @PracticeId";

    /// <summary>
    /// The therapist belongs to the practice (404 otherwise, like any foreign id) and is active (409 otherwise; the
    /// problem's detail says what a deactivated therapist cannot do).
    /// </summary>
    public static async Task<Failure?> CheckTherapistActiveAsync(DbSession c, Guid practiceId, Guid? therapistId,
        string cannot, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<bool?>(TherapistActiveSql, new { Id = therapistId,
            PracticeId = practiceId }) switch
        {
            null => Failure.NotFound("therapist"),
            false => Failure.Conflict("therapist-inactive", "Therapist is deactivated",
                $"A deactivated therapist cannot {cannot}."),
            true => null,
        };
}
