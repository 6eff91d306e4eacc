using FluentValidation;

namespace PracticeApi.Features.Consents;

/// <summary>A consent a client gives: recorded by staff from a paper or spoken consent, or given by the client through
/// the portal.</summary>
/// <param name="Kind">treatment; ehr_sharing (with the EHR integration named by recipientId); person_sharing (with the
/// person of the client's support network named by recipientId); or portal_use.</param>
/// <param name="TextVersion">The version of the consent text agreed to, as the practice names its texts (e.g. 2026-01),
/// 1 to 50 characters.</param>
/// <param name="RecipientId">For ehr_sharing: the integration token's or SMART client's id; for person_sharing: the
/// support person's id; left out for the other kinds.</param>
/// <param name="Via">How it was given: paper or verbal, when staff record it; left out through the portal (it is given
/// there).</param>
public sealed record ConsentRequest(ConsentKind Kind, string TextVersion, Guid? RecipientId, ConsentVia? Via);

/// <summary>Taking a consent back; it takes effect at once.</summary>
/// <param name="Via">How it was withdrawn: paper or verbal, when staff record it; left out through the portal.</param>
public sealed record WithdrawConsentRequest(ConsentVia? Via);

/// <summary>What a consent is for: treatment, sharing with an EHR, sharing with a person, or using the
/// portal.</summary>
public enum ConsentKind { Treatment, EhrSharing, PersonSharing, PortalUse }

/// <summary>How staff recorded a consent or its withdrawal (through the portal it is the portal's own).</summary>
public enum ConsentVia { Paper, Verbal }

/// <summary>How a consent or its withdrawal was recorded: by the client through the portal, or by staff from paper or
/// from what the client said.</summary>
public enum ConsentChannel { Portal, Paper, Verbal }

/// <summary>A consent as given, and withdrawn if it was.</summary>
/// <param name="Id">The consent's id.</param>
/// <param name="ClientId">Whose consent.</param>
/// <param name="Kind">What it is for.</param>
/// <param name="RecipientId">With whom it shares: the integration or SMART client, or the support person.</param>
/// <param name="RecipientName">The recipient's name when the consent was given.</param>
/// <param name="TextVersion">The version of the text agreed to.</param>
/// <param name="GivenAt">When it was given (UTC).</param>
/// <param name="GivenBy">Who recorded it: the staff member, or the client through the portal.</param>
/// <param name="GivenVia">How it was given.</param>
/// <param name="WithdrawnAt">When it was withdrawn (UTC); null while in force.</param>
/// <param name="WithdrawnBy">Who recorded the withdrawal.</param>
/// <param name="WithdrawnVia">How it was withdrawn.</param>
/// <param name="Active">Whether it is in force.</param>
public sealed record ConsentResponse(
    Guid Id, Guid ClientId, ConsentKind Kind, Guid? RecipientId, string? RecipientName, string TextVersion, DateTime GivenAt, Guid? GivenBy,
    ConsentChannel GivenVia, DateTime? WithdrawnAt, Guid? WithdrawnBy, ConsentChannel? WithdrawnVia, bool Active);

internal static class ConsentRules
{
    /// <summary>Sharing consents name whom they share with: an integration (ehr_sharing) or a person of the client's
    /// support network (person_sharing).</summary>
    public static bool NamesRecipient(ConsentKind kind) => kind is ConsentKind.EhrSharing or ConsentKind.PersonSharing;
}

internal sealed record ConsentRow
{
    public Guid Id { get; init; }
    public Guid ClientId { get; init; }
    public string Kind { get; init; } = "";
    public Guid? RecipientId { get; init; }
    public string? RecipientName { get; init; }
    public string TextVersion { get; init; } = "";
    public DateTime GivenAt { get; init; }
    public Guid? GivenBy { get; init; }
    public string GivenVia { get; init; } = "";
    public DateTime? WithdrawnAt { get; init; }
    public Guid? WithdrawnBy { get; init; }
    public string? WithdrawnVia { get; init; }

    public ConsentResponse ToResponse() => new(Id, ClientId, ClosedSets.Parse<ConsentKind>(Kind), RecipientId,
        RecipientName, TextVersion, GivenAt,
        GivenBy, ClosedSets.Parse<ConsentChannel>(GivenVia), WithdrawnAt, WithdrawnBy,
        WithdrawnVia is null ? null : ClosedSets.Parse<ConsentChannel>(WithdrawnVia), WithdrawnAt is null);
}

internal sealed class ConsentRequestValidator : AbstractValidator<ConsentRequest>
{
    public ConsentRequestValidator()
    {
        RuleFor(r => r.TextVersion).NotEmpty().MaximumLength(50);
        RuleFor(r => r.RecipientId).NotNull().When(r => ConsentRules.NamesRecipient(r.Kind))
            .WithMessage("recipientId names the integration (ehr_sharing) or the support person (person_sharing).");
        RuleFor(r => r.RecipientId).Null().When(r => !ConsentRules.NamesRecipient(r.Kind))
            .WithMessage("recipientId is only for ehr_sharing and person_sharing.");
    }
}
