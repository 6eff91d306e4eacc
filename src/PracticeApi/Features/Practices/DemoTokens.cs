namespace PracticeApi.Features.Practices;

/// <summary>
/// The tokens a newcomer needs to explore the demo practice, shown once at start: the admin's, a therapist's, Sanne's
/// portal, and Lotte's, whose partner Daan shares his recovery log with her.
/// </summary>
public sealed record DemoTokens(
    string Admin, string Therapist, string Partner, Guid InfidelityCoupleId, Guid AddictionCoupleId, Guid PartnerClientId, string RecoveryPartner);
