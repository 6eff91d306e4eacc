namespace PracticeApi.Features.Care;

/// <summary>
/// The caseload rule, written once and placed in the WHERE clause of every query that touches client data.
/// @Caseload (<see cref="Caller.Caseload"/>) is null for admins and unbound integration tokens (the whole practice); a
/// therapist's id, whose care teams it sees; or a consent-bound integration's id, which sees the clients whose
/// ehr_sharing consent names it and is not withdrawn. Withdrawal takes effect with the next query.
/// </summary>
internal static class Caseload
{
    private static string Sees(string clientColumn) => $"""
        (EXISTS (SELECT 1 FROM CareTeam ct WHERE ct.PracticeId = @PracticeId AND ct.ClientId = {clientColumn} AND ct.TherapistId = @Caseload)
         OR EXISTS (SELECT 1 FROM Consents cs WHERE cs.PracticeId = @PracticeId AND cs.RecipientId = @Caseload AND cs.ClientId = {clientColumn}
                    AND cs.Kind = 'ehr_sharing' AND cs.WithdrawnAt IS NULL))
        """;

    /// <summary>The client in <paramref name="clientColumn"/> is on the caller's caseload.</summary>
    public static string Client(string clientColumn) => $"(@Caseload IS NULL OR {Sees(clientColumn)})";

    /// <summary>A couple is visible only when both partners are on the caller's caseload.</summary>
    public static string Couple(string alias) => $"{Client($"{alias}.PartnerAId")} AND {Client($"{alias}.PartnerBId")}";

    /// <summary>A session is visible only when every participant is on the caller's caseload.</summary>
    public static string Session(string alias) => $"""
        (@Caseload IS NULL OR NOT EXISTS (
            SELECT 1 FROM SessionClients sv WHERE sv.SessionId = {alias}.Id AND NOT {Sees("sv.ClientId")}))
        """;

    /// <summary>Care-team-only data (safety screenings): even admins must be on the care team of both
    /// partners.</summary>
    public static string CareTeamOfCouple(string alias) => $"""
        EXISTS (SELECT 1 FROM CareTeam ca WHERE ca.PracticeId = @PracticeId AND ca.ClientId = {alias}.PartnerAId AND ca.TherapistId = @Member)
        AND EXISTS (SELECT 1 FROM CareTeam cb WHERE cb.PracticeId = @PracticeId AND cb.ClientId = {alias}.PartnerBId AND cb.TherapistId = @Member)
        """;
}
