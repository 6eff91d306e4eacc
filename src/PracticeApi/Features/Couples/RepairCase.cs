namespace PracticeApi.Features.Couples;

/// <param name="En">The English text.</param>
/// <param name="Nl">The Dutch text.</param>
public sealed record LocalizedText(string En, string Nl);

/// <param name="MinMonths">The usual minimum, in months.</param>
/// <param name="MaxMonths">The usual maximum, in months; null when open-ended.</param>
public sealed record ExpectedRecovery(int MinMonths, int? MaxMonths);

/// <summary>The kind of breach of trust a couple works on.</summary>
public enum BreachType
{
    RepeatedSmallBreaches, LiesOrSecrets, FinancialSecrets, EmotionalAffair, PhysicalAffair, HiddenAddiction, RepeatedBreaches, Other,
}

/// <summary>A partner's role: who broke trust and who was hurt, or, in addiction work, who is in recovery and their
/// partner.</summary>
public enum PartnerRole { Breaching, Hurt, InRecovery, Partner }

/// <summary>The repair model of the source material: seven steps, and how long repair usually takes per kind of
/// breach.</summary>
public static class RepairCase
{
    /// <summary>The roles of a couple are either the one who broke trust and the one who was hurt, or addiction
    /// work.</summary>
    public static bool IsValidRolePair(PartnerRole a, PartnerRole b) =>
        (a, b) is (PartnerRole.Breaching, PartnerRole.Hurt) or (PartnerRole.Hurt, PartnerRole.Breaching)
            or (PartnerRole.InRecovery, PartnerRole.Partner) or (PartnerRole.Partner, PartnerRole.InRecovery);

    public static readonly IReadOnlyList<LocalizedText> Steps =
    [
        new("Acknowledge the hurt and take responsibility", "De pijn erkennen en verantwoordelijkheid nemen"),
        new("Be fully open", "Volledige openheid geven"),
        new("Understand what lay underneath", "Begrijpen wat eronder lag"),
        new("Make concrete agreements and set boundaries", "Concrete afspraken maken en grenzen stellen"),
        new("Show consistent behaviour over time", "Consistent gedrag laten zien, dag na dag"),
        new("Make room for emotions", "Ruimte maken voor emoties"),
        new("Build new trust together", "Samen nieuw vertrouwen opbouwen"),
    ];

    public static LocalizedText StepName(int step) => Steps[step - 1];

    /// <summary>
    /// Usual recovery windows: small breaches 3–6 months, an emotional affair 6–12, a physical affair 12–24 or more,
    /// repeated breaches longer still (no upper bound). No window is given for the other kinds.
    /// </summary>
    public static ExpectedRecovery? ExpectedRecoveryFor(string breachType) => breachType switch
    {
        "repeated_small_breaches" => new(3, 6),
        "emotional_affair" => new(6, 12),
        "physical_affair" => new(12, 24),
        "repeated_breaches" => new(24, null),
        _ => null,
    };

    public static int MonthsBetween(DateOnly from, DateOnly to)
    {
        var months = (to.Year - from.Year) * 12 + to.Month - from.Month - (to.Day < from.Day ? 1 : 0);
        return Math.Max(0, months);
    }
}
