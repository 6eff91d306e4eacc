namespace PracticeApi.Features.Couples;

/// <summary>
/// The couple as other features read it: by id within the caller's caseload, or for the care team only; the columns a
/// couple row is read with. The operations that change a couple are
/// this feature's own (<see cref="OpenCouple"/>, <see cref="ChangeCouple"/>, <see cref="RecordOnCouple"/>).
/// </summary>
internal static class CoupleReads
{
    public const string Columns = """
        c.Id, c.PracticeId, c.PartnerAId, c.PartnerBId, c.PartnerARole, c.PartnerBRole, c.BreachType, c.DisclosedOn,
            c.StartedOn,
        c.Status, c.CurrentStep, c.SafetyHold, c.ClosedAt, c.Version, c.CreatedAt, c.UpdatedAt
        """;

    private static readonly string GetSql =
        $"SELECT {Columns} FROM Couples c WHERE c.Id = @Id AND c.PracticeId = @PracticeId AND {Caseload.Couple("c")}";

    private static readonly string CareTeamOnlySql =
        $"SELECT c.Id FROM Couples c WHERE c.Id = @Id AND c.PracticeId = @PracticeId AND {Caseload.CareTeamOfCouple("c")}";

    public static Task<CoupleRow?> FindAsync(DbSession c, Caller caller, Guid id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<CoupleRow>(GetSql, new { Id = id, caller.PracticeId, Caseload = caller.Caseload });

    /// <summary>
    /// Safety screenings (and the therapist's repair assessments) are for the care team of the partners only, admins
    /// included only when they are on it.
    /// </summary>
    internal static async Task<CoupleRow?> FindForCareTeamAsync(DbSession c, Caller caller, Guid id,
        CancellationToken ct)
    {
        if (caller.TherapistId is not { } member) return null;
        var onCareTeam = await c.QuerySingleOrDefaultAsync<Guid?>(CareTeamOnlySql, new { Id = id, caller.PracticeId,
            Member = member });
        return onCareTeam is null ? null : await FindAsync(c, caller, id, ct);
    }
}
