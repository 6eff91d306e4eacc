using PracticeApi.Features.Couples;

namespace PracticeApi.Features.RepairWork;

/// <summary>
/// Who may work on a couple's repair: staff through the caseload, and each partner through the portal, acting only as
/// themselves. One place for the rule every repair-work route shares.
/// </summary>
internal static class CoupleAccess
{
    private const string PartnerSql = """
        SELECT c.Id, c.PracticeId, c.PartnerAId, c.PartnerBId, c.PartnerARole, c.PartnerBRole, c.BreachType,
            c.DisclosedOn, c.StartedOn,
               c.Status, c.CurrentStep, c.SafetyHold, c.ClosedAt, c.Version, c.CreatedAt, c.UpdatedAt
        FROM Couples c
        WHERE c.Id = @Id AND c.PracticeId = @PracticeId AND (c.PartnerAId = @ClientId OR c.PartnerBId = @ClientId)
        """;

    public static async Task<CoupleRow?> FindAsync(DbSession c, Caller caller, Guid coupleId, CancellationToken ct) =>
        caller.IsPortal
            ? await c.QuerySingleOrDefaultAsync<CoupleRow>(PartnerSql, new { Id = coupleId, caller.PracticeId,
                caller.ClientId })
            : await CoupleReads.FindAsync(c, caller, coupleId, ct);

    /// <summary>
    /// A couple whose repair work a request changes: reachable as <see cref="FindAsync"/> finds it (404 otherwise) and
    /// not closed (409: a closed couple's record is kept as it was). Every repair-work write starts here.
    /// </summary>
    public static async Task<Outcome<CoupleRow>> FindForChangeAsync(DbSession c, Caller caller, Guid coupleId,
        CancellationToken ct) =>
        await FindAsync(c, caller, coupleId, ct) switch
        {
            null => Failure.NotFound("couple"),
            var couple when couple.Status == CoupleStatus.Closed.Wire() => CareRules.CoupleClosed(),
            var couple => couple,
        };

    /// <summary>The partner a request speaks for: a partner of this couple, and through the portal only the
    /// caller.</summary>
    public static Failure? CheckActingPartner(Caller caller, CoupleRow couple, Guid clientId)
    {
        if (caller.IsPortal
            && clientId != caller.ClientId) return Failure.Forbidden("Through the portal you act only as yourself.");
        return couple.Partners.Contains(clientId) ? null : Failure.NotFound("client among this couple's partners");
    }
}
