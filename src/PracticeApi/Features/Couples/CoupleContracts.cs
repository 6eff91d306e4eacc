using FluentValidation;

namespace PracticeApi.Features.Couples;

public sealed record CreateCoupleRequest(
    Guid PartnerAId, Guid PartnerBId, string BreachType, string PartnerARole, string PartnerBRole, DateOnly? DisclosedOn, DateOnly? StartedOn);

/// <summary>Changes the repair case; status moves between active and paused here, closing is its own action.</summary>
public sealed record UpdateCoupleRequest(
    string BreachType, string PartnerARole, string PartnerBRole, DateOnly? DisclosedOn, DateOnly StartedOn, string Status);

public sealed record StepRequest(int Step, string? Note);

public sealed record BreachRequest(DateOnly OccurredOn, string Type, string? Note);

public sealed record SafetyScreeningRequest(Guid ClientId, bool AbuseOrDanger, bool UntreatedAddiction, string? Notes);

public sealed record CoupleResponse(
    Guid Id, Guid PartnerAId, string PartnerARole, Guid PartnerBId, string PartnerBRole, string BreachType, DateOnly? DisclosedOn,
    DateOnly StartedOn, string Status, int CurrentStep, LocalizedText CurrentStepName, int MonthsInRepair, ExpectedRecovery? ExpectedRecovery,
    bool SafetyHold, DateTime? ClosedAt, int Version, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record StepChangeResponse(Guid Id, int? FromStep, int ToStep, LocalizedText ToStepName, string? Note, Guid? ChangedBy, DateTime ChangedAt);

public sealed record BreachResponse(Guid Id, DateOnly OccurredOn, string Type, string? Note, Guid? RecordedBy, DateTime RecordedAt);

public sealed record SafetyScreeningResponse(
    Guid Id, Guid ClientId, bool AbuseOrDanger, bool UntreatedAddiction, string? Notes, Guid? ScreenedBy, DateTime ScreenedAt);

public sealed record CoupleListQuery : IPageQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    public Guid? ClientId { get; init; }
    public string? Status { get; init; }
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
        Id, PartnerAId, PartnerARole, PartnerBId, PartnerBRole, BreachType, DisclosedOn, StartedOn, Status, CurrentStep,
        RepairCase.StepName(CurrentStep), RepairCase.MonthsBetween(StartedOn, today), RepairCase.ExpectedRecoveryFor(BreachType),
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

    public StepChangeResponse ToResponse() => new(Id, FromStep, ToStep, RepairCase.StepName(ToStep), Note, ChangedBy, ChangedAt);
}

internal sealed record BreachRow
{
    public Guid Id { get; init; }
    public DateOnly OccurredOn { get; init; }
    public string BreachType { get; init; } = "";
    public string? Note { get; init; }
    public Guid? RecordedBy { get; init; }
    public DateTime RecordedAt { get; init; }

    public BreachResponse ToResponse() => new(Id, OccurredOn, BreachType, Note, RecordedBy, RecordedAt);
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

    public SafetyScreeningResponse ToResponse() => new(Id, ClientId, AbuseOrDanger, UntreatedAddiction, Notes, ScreenedBy, ScreenedAt);
}

internal static class CoupleRules
{
    public static void Case<T>(AbstractValidator<T> v, TimeProvider clock, Func<T, string> breachType, Func<T, string> roleA, Func<T, string> roleB,
        Func<T, DateOnly?> disclosedOn)
    {
        v.RuleFor(r => breachType(r)).Must(t => RepairCase.BreachTypes.Contains(t))
            .WithMessage($"breachType must be one of: {string.Join(", ", RepairCase.BreachTypes)}.").OverridePropertyName("breachType");
        v.RuleFor(r => roleA(r)).Must(t => RepairCase.Roles.Contains(t))
            .WithMessage($"partnerARole must be one of: {string.Join(", ", RepairCase.Roles)}.").OverridePropertyName("partnerARole");
        v.RuleFor(r => roleB(r)).Must(t => RepairCase.Roles.Contains(t))
            .WithMessage($"partnerBRole must be one of: {string.Join(", ", RepairCase.Roles)}.").OverridePropertyName("partnerBRole");
        v.RuleFor(r => roleB(r)).Must((r, b) => !RepairCase.Roles.Contains(roleA(r)) || !RepairCase.Roles.Contains(b) || RepairCase.IsValidRolePair(roleA(r), b))
            .WithMessage("the partners' roles must be breaching and hurt, or in_recovery and partner.").OverridePropertyName("partnerBRole");
        v.RuleFor(r => disclosedOn(r)).Must(d => d is null || d <= Today(clock))
            .WithMessage("disclosedOn cannot be in the future.").OverridePropertyName("disclosedOn");
    }

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}

internal sealed class CreateCoupleValidator : AbstractValidator<CreateCoupleRequest>
{
    public CreateCoupleValidator(TimeProvider clock)
    {
        RuleFor(r => r.PartnerAId).NotEmpty();
        RuleFor(r => r.PartnerBId).NotEmpty().NotEqual(r => r.PartnerAId).WithMessage("a couple is two different clients.");
        CoupleRules.Case(this, clock, r => r.BreachType, r => r.PartnerARole, r => r.PartnerBRole, r => r.DisclosedOn);
    }
}

internal sealed class UpdateCoupleValidator : AbstractValidator<UpdateCoupleRequest>
{
    public UpdateCoupleValidator(TimeProvider clock)
    {
        CoupleRules.Case(this, clock, r => r.BreachType, r => r.PartnerARole, r => r.PartnerBRole, r => r.DisclosedOn);
        RuleFor(r => r.Status).Must(s => s is CoupleStatuses.Active or CoupleStatuses.Paused)
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
    public BreachRequestValidator(TimeProvider clock)
    {
        RuleFor(r => r.Type).Must(t => RepairCase.BreachTypes.Contains(t))
            .WithMessage($"type must be one of: {string.Join(", ", RepairCase.BreachTypes)}.");
        RuleFor(r => r.OccurredOn).NotEmpty().Must(d => d <= CoupleRules.Today(clock)).WithMessage("occurredOn cannot be in the future.");
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
        RuleFor(q => q.Status).Must(s => s is null || CoupleStatuses.All.Contains(s)).WithMessage("status must be active, paused or closed.");
    }
}

