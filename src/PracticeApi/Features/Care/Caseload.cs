namespace PracticeApi.Features.Care;

/// <summary>
/// The caseload rule, written once and placed in the WHERE clause of every query that touches client data.
/// @Caseload is null for admins and integration tokens (the whole practice) and the therapist's id otherwise.
/// </summary>
internal static class Caseload
{
    /// <summary>The client in <paramref name="clientColumn"/> is on the caller's caseload.</summary>
    public static string Client(string clientColumn) =>
        $"(@Caseload IS NULL OR EXISTS (SELECT 1 FROM CareTeam ct WHERE ct.PracticeId = @PracticeId AND ct.ClientId = {clientColumn} AND ct.TherapistId = @Caseload))";

    /// <summary>A couple is visible only when both partners are on the caller's caseload.</summary>
    public static string Couple(string alias) => $"{Client($"{alias}.PartnerAId")} AND {Client($"{alias}.PartnerBId")}";

    /// <summary>A session is visible only when every participant is on the caller's caseload.</summary>
    public static string Session(string alias) => $"""
        (@Caseload IS NULL OR NOT EXISTS (
            SELECT 1 FROM SessionClients sv WHERE sv.SessionId = {alias}.Id AND NOT EXISTS (
                SELECT 1 FROM CareTeam ct WHERE ct.PracticeId = @PracticeId AND ct.ClientId = sv.ClientId AND ct.TherapistId = @Caseload)))
        """;

    /// <summary>Care-team-only data (safety screenings): even admins must be on the care team of both partners.</summary>
    public static string CareTeamOfCouple(string alias) => $"""
        EXISTS (SELECT 1 FROM CareTeam ca WHERE ca.PracticeId = @PracticeId AND ca.ClientId = {alias}.PartnerAId AND ca.TherapistId = @Member)
        AND EXISTS (SELECT 1 FROM CareTeam cb WHERE cb.PracticeId = @PracticeId AND cb.ClientId = {alias}.PartnerBId AND cb.TherapistId = @Member)
        """;
}
