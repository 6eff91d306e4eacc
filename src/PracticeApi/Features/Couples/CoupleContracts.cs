using FluentValidation;

namespace PracticeApi.Features.Couples;

/// <param name="PartnerAId">Partner A, an active client of the practice.</param>
/// <param name="PartnerBId">Partner B, another active client.</param>
/// <param name="BreachType">The kind of breach of trust the couple works on.</param>
/// <param name="PartnerARole">Partner A's role: breaching, hurt, in_recovery or partner.</param>
/// <param name="PartnerBRole">Partner B's role: breaching, hurt, in_recovery or partner.</param>
/// <param name="DisclosedOn">When the breach came to light, if known.</param>
/// <param name="StartedOn">When repair work started (yyyy-MM-dd); left out, today.</param>
public sealed record CreateCoupleRequest(
    Guid PartnerAId, Guid PartnerBId, BreachType BreachType, PartnerRole PartnerARole, PartnerRole PartnerBRole, DateOnly? DisclosedOn,
    DateOnly? StartedOn);

/// <summary>Changes the repair case; status moves between active and paused here, closing is its own action.</summary>
/// <param name="BreachType">The kind of breach of trust the couple works on.</param>
/// <param name="PartnerARole">Partner A's role: breaching, hurt, in_recovery or partner.</param>
/// <param name="PartnerBRole">Partner B's role: breaching, hurt, in_recovery or partner.</param>
/// <param name="DisclosedOn">When the breach came to light, if known.</param>
/// <param name="StartedOn">When repair work started.</param>
/// <param name="Status">active or paused; a couple is closed by its own action (POST /couples/{id}/close), which ends
/// its open work.</param>
public sealed record UpdateCoupleRequest(
    BreachType BreachType, PartnerRole PartnerARole, PartnerRole PartnerBRole, DateOnly? DisclosedOn, DateOnly StartedOn,
    CoupleStatus Status);

/// <param name="Step">The step to move to (1–7).</param>
/// <param name="Note">Why (at most 2,000 characters).</param>
public sealed record StepRequest(int Step, string? Note);

/// <param name="OccurredOn">When it happened (yyyy-MM-dd).</param>
/// <param name="Type">The kind of breach.</param>
/// <param name="Note">What happened (at most 2,000 characters).</param>
public sealed record BreachRequest(DateOnly OccurredOn, BreachType Type, string? Note);

/// <param name="ClientId">The partner screened (individually, out of the other's hearing).</param>
/// <param name="AbuseOrDanger">True when there is violence, coercion or danger; the couple is then held from conjoint
/// work.</param>
/// <param name="UntreatedAddiction">True when an addiction is untreated; the couple is then held from conjoint
/// work.</param>
/// <param name="Notes">The therapist's notes from the screening.</param>
public sealed record SafetyScreeningRequest(Guid ClientId, bool AbuseOrDanger, bool UntreatedAddiction, string? Notes);

/// <param name="Id">The couple's id.</param>
/// <param name="PartnerAId">Partner A.</param>
/// <param name="PartnerARole">Partner A's role: breaching, hurt, in_recovery or partner.</param>
/// <param name="PartnerBId">Partner B.</param>
/// <param name="PartnerBRole">Partner B's role: breaching, hurt, in_recovery or partner.</param>
/// <param name="BreachType">The kind of breach of trust the couple works on.</param>
/// <param name="DisclosedOn">When the breach came to light, if known.</param>
/// <param name="StartedOn">When repair work started.</param>
/// <param name="Status">active, paused or closed.</param>
/// <param name="CurrentStep">The step of the seven-step repair model the couple is at (1–7).</param>
/// <param name="CurrentStepName">That step's name in English and Dutch.</param>
/// <param name="MonthsInRepair">Whole months since repair started.</param>
/// <param name="ExpectedRecovery">How long repair usually takes for this kind of breach, in months.</param>
/// <param name="SafetyHold">True while a screening found danger or an untreated addiction: conjoint work waits.</param>
/// <param name="ClosedAt">When the couple's work was closed (UTC).</param>
/// <param name="Version">The concurrency version; send it as If-Match to change the couple.</param>
/// <param name="CreatedAt">When the record was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record CoupleResponse(
    Guid Id, Guid PartnerAId, PartnerRole PartnerARole, Guid PartnerBId, PartnerRole PartnerBRole, BreachType BreachType, DateOnly? DisclosedOn,
    DateOnly StartedOn, CoupleStatus Status, int CurrentStep, LocalizedText CurrentStepName, int MonthsInRepair, ExpectedRecovery? ExpectedRecovery,
    bool SafetyHold, DateTime? ClosedAt, int Version, DateTime CreatedAt, DateTime UpdatedAt);

/// <param name="Id">The change's id.</param>
/// <param name="FromStep">The step before (null for the start).</param>
/// <param name="ToStep">The step after.</param>
/// <param name="ToStepName">The new step's name in English and Dutch.</param>
/// <param name="Note">Why the step changed.</param>
/// <param name="ChangedBy">The therapist who changed it.</param>
/// <param name="ChangedAt">When (UTC).</param>
public sealed record StepChangeResponse(Guid Id, int? FromStep, int ToStep, LocalizedText ToStepName, string? Note,
    Guid? ChangedBy, DateTime ChangedAt);

/// <param name="Id">The breach's id.</param>
/// <param name="OccurredOn">When it happened.</param>
/// <param name="Type">The kind of breach.</param>
/// <param name="Note">What happened, as recorded.</param>
/// <param name="RecordedBy">The therapist who recorded it.</param>
/// <param name="RecordedAt">When it was recorded (UTC).</param>
public sealed record BreachResponse(Guid Id, DateOnly OccurredOn, BreachType Type, string? Note, Guid? RecordedBy,
    DateTime RecordedAt);

/// <param name="Id">The screening's id.</param>
/// <param name="ClientId">The partner screened.</param>
/// <param name="AbuseOrDanger">Whether violence, coercion or danger was found.</param>
/// <param name="UntreatedAddiction">Whether an untreated addiction was found.</param>
/// <param name="Notes">The therapist's notes.</param>
/// <param name="ScreenedBy">The therapist who screened.</param>
/// <param name="ScreenedAt">When it was recorded (UTC).</param>
public sealed record SafetyScreeningResponse(
    Guid Id, Guid ClientId, bool AbuseOrDanger, bool UntreatedAddiction, string? Notes, Guid? ScreenedBy, DateTime ScreenedAt);

public sealed record CoupleListQuery : IPageQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    public Guid? ClientId { get; init; }
    public OneOf<CoupleStatus>? Status { get; init; }
    public bool? SafetyHold { get; init; }
}

internal sealed record CoupleRow : IHeldCouple
{
    public Guid Id { get; init; }
    public Guid PracticeId { get; init; }
    public Guid PartnerAId { get; init; }
    public Guid PartnerBId { get; init; }
    public string PartnerARole { get; init; } = "";
    public string PartnerBRole { get; init; } = "";
    public string BreachType { get; init; } = "";
    public DateOnly? DisclosedOn { get; init; }
    public DateOnly StartedOn { get; init; }
    public string Status { get; init; } = "";
    public int CurrentStep { get; init; }
    public bool SafetyHold { get; init; }
    public DateTime? ClosedAt { get; init; }
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public IReadOnlyList<Guid> Partners => [PartnerAId, PartnerBId];

    public CoupleResponse ToResponse(DateOnly today) => new(
        Id, PartnerAId, ClosedSets.Parse<PartnerRole>(PartnerARole), PartnerBId, ClosedSets.Parse<PartnerRole>(
            PartnerBRole),
        ClosedSets.Parse<BreachType>(BreachType), DisclosedOn, StartedOn, ClosedSets.Parse<CoupleStatus>(Status), CurrentStep,
        RepairCase.StepName(CurrentStep), RepairCase.MonthsBetween(StartedOn,
            today), RepairCase.ExpectedRecoveryFor(BreachType),
        SafetyHold, ClosedAt, Version, CreatedAt, UpdatedAt);
}

internal sealed record StepChangeRow
{
    public Guid Id { get; init; }
    public int? FromStep { get; init; }
    public int ToStep { get; init; }
    public string? Note { get; init; }
    public Guid? ChangedBy { get; init; }
    public DateTime ChangedAt { get; init; }

    public StepChangeResponse ToResponse() => new(Id, FromStep, ToStep, RepairCase.StepName(ToStep), Note,
        ChangedBy, ChangedAt);
}

internal sealed record BreachRow
{
    public Guid Id { get; init; }
    public DateOnly OccurredOn { get; init; }
    public string BreachType { get; init; } = "";
    public string? Note { get; init; }
    public Guid? RecordedBy { get; init; }
    public DateTime RecordedAt { get; init; }

    public BreachResponse ToResponse() => new(Id, OccurredOn, ClosedSets.Parse<BreachType>(BreachType), Note,
        RecordedBy, RecordedAt);
}

internal sealed record ScreeningRow
{
    public Guid Id { get; init; }
    public Guid ClientId { get; init; }
    public bool AbuseOrDanger { get; init; }
    public bool UntreatedAddiction { get; init; }
    public string? Notes { get; init; }
    public Guid? ScreenedBy { get; init; }
    public DateTime ScreenedAt { get; init; }

    public bool RaisesConcern => AbuseOrDanger || UntreatedAddiction;

    public SafetyScreeningResponse ToResponse() => new(Id, ClientId, AbuseOrDanger, UntreatedAddiction, Notes,
        ScreenedBy, ScreenedAt);
}

internal static class CoupleRules
{
    public static void Case<T>(AbstractValidator<T> v, PracticeCalendar calendar, Func<T, PartnerRole> roleA, Func<T,
        PartnerRole> roleB, Func<T, DateOnly?> disclosedOn)
    {
        v.RuleFor(r => roleB(r)).Must((r, b) => RepairCase.IsValidRolePair(roleA(r), b))
            .WithMessage("the partners' roles must be breaching and hurt, or in_recovery and partner.")
            .OverridePropertyName("partnerBRole");
        v.RuleFor(r => disclosedOn(r)).Must(d => d is null || d <= calendar.Today)
            .WithMessage("disclosedOn cannot be in the future.").OverridePropertyName("disclosedOn");
    }
}

internal sealed class CreateCoupleValidator : AbstractValidator<CreateCoupleRequest>
{
    public CreateCoupleValidator(PracticeCalendar calendar)
    {
        RuleFor(r => r.PartnerAId).NotEmpty();
        RuleFor(r => r.PartnerBId).NotEmpty().NotEqual(r => r.PartnerAId)
            .WithMessage("a couple is two different clients.");
        CoupleRules.Case(this, calendar, r => r.PartnerARole, r => r.PartnerBRole, r => r.DisclosedOn);
    }
}

internal sealed class UpdateCoupleValidator : AbstractValidator<UpdateCoupleRequest>
{
    public UpdateCoupleValidator(PracticeCalendar calendar)
    {
        CoupleRules.Case(this, calendar, r => r.PartnerARole, r => r.PartnerBRole, r => r.DisclosedOn);
        RuleFor(r => r.Status).Must(s => s is CoupleStatus.Active or CoupleStatus.Paused)
            .WithMessage("status must be 'active' or 'paused'; close a couple with POST /couples/{id}/close.");
    }
}

internal sealed class StepRequestValidator : AbstractValidator<StepRequest>
{
    public StepRequestValidator()
    {
        RuleFor(r => r.Step).InclusiveBetween(1, 7).WithMessage("step must be 1 to 7.");
        RuleFor(r => r.Note).MaximumLength(2000);
    }
}

internal sealed class BreachRequestValidator : AbstractValidator<BreachRequest>
{
    public BreachRequestValidator(PracticeCalendar calendar)
    {
        // Today as the practice lives it: just after midnight in Amsterdam, today is already tomorrow in UTC's terms.
        RuleFor(r => r.OccurredOn).NotEmpty().Must(d => d <= calendar.Today)
            .WithMessage("occurredOn cannot be in the future.");
        RuleFor(r => r.Note).MaximumLength(2000);
    }
}

internal sealed class SafetyScreeningValidator : AbstractValidator<SafetyScreeningRequest>
{
    public SafetyScreeningValidator()
    {
        RuleFor(r => r.ClientId).NotEmpty();
        RuleFor(r => r.Notes).MaximumLength(4000);
    }
}

internal sealed class CoupleListQueryValidator : AbstractValidator<CoupleListQuery>
{
    public CoupleListQueryValidator()
    {
        this.ApplyPaging();
    }
}

