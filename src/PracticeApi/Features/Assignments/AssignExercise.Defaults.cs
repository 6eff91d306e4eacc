using PracticeApi.Features.Exercises;

namespace PracticeApi.Features.Assignments;

/// <summary>What an assignment gets when the request leaves it out: visibility, respondents by role, number of
/// occurrences.</summary>
internal sealed partial class AssignExercise
{
    /// <summary>The letter of responsibility and the reply to it are read in session first: the therapist releases
    /// them.</summary>
    private static Visibility DefaultVisibility(string templateKey) =>
        templateKey is BuiltInCatalogue.LetterKey or BuiltInCatalogue.ReplyKey
            ? Visibility.TherapistRelease : Visibility.Private;

    // After a hidden addiction the partner in recovery takes the breaching partner's exercises (the letter of
    // responsibility) and the loved one the hurt partner's (seed 000, 004).
    private static string DefaultRespondents(string audience, CareRules.CareCouple couple) =>
        ClosedSets.Parse<Audience>(audience) switch
    {
        Audience.RoleBreaching => HasRole(couple, "breaching") || !HasRole(couple,
            "in_recovery") ? "breaching" : "in_recovery",
        Audience.RoleHurt => HasRole(couple, "hurt") || !HasRole(couple, "partner") ? "hurt" : "partner",
        Audience.CoupleJoint => CreateAssignmentValidator.Together,
        _ => "both",
    };

    private static bool HasRole(CareRules.CareCouple couple, string role) => couple.PartnerARole == role
        || couple.PartnerBRole == role;

    private static int? DefaultCount(string cadence) => cadence switch
    {
        "daily" => 30,
        "weekly" => 12,
        "monthly" => 6,
        _ => null,
    };

    private static Outcome<IReadOnlyList<Guid>> ResolveRespondents(CareRules.CareCouple couple, string respondents)
    {
        if (respondents is "both" or CreateAssignmentValidator.Together) return couple.Partners.ToList();
        if (Guid.TryParse(respondents, out var one))
        {
            return couple.Partners.Contains(one)
                ? new List<Guid> { one }
                : Failure.Invalid("respondents", "the respondent must be one of the couple's partners.");
        }

        var byRole = new List<Guid>();
        if (couple.PartnerARole == respondents) byRole.Add(couple.PartnerAId);
        if (couple.PartnerBRole == respondents) byRole.Add(couple.PartnerBId);
        return byRole.Count > 0
            ? byRole
            : Failure.Invalid("respondents", $"neither partner has the role '{respondents}' in this couple.");
    }
}
