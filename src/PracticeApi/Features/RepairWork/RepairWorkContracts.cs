using System.Globalization;
using FluentValidation;

namespace PracticeApi.Features.RepairWork;

// ---- Trust contract ----

/// <param name="LineId">Keep a line's id to adjust it in a new version; leave it out for a new line.</param>
public sealed record ContractLine(Guid? LineId, string Area, string Agreement, string Measure);

/// <param name="SafetyOverrideReason">Required while the couple is on safety hold (staff only); audited.</param>
public sealed record TrustContractRequest(IReadOnlyList<ContractLine> Lines, string? SafetyOverrideReason = null);

/// <param name="SafetyOverrideReason">Required while the couple is on safety hold (staff only); audited.</param>
public sealed record AgreementRequest(Guid ClientId, string? SafetyOverrideReason = null);

public sealed record LineRating(Guid LineId, string Rating, string? Comment);

public sealed record LineDecision(Guid LineId, string Decision);

/// <param name="Month">The month evaluated, yyyy-MM.</param>
public sealed record EvaluationRequest(Guid ClientId, string Month, IReadOnlyList<LineRating> Ratings, IReadOnlyList<LineDecision>? Decisions);

public sealed record Agreement(Guid ClientId, DateTime AgreedAt);

public sealed record EvaluationResponse(
    Guid Id, int Version, Guid ClientId, string Month, IReadOnlyList<LineRating> Ratings, IReadOnlyList<LineDecision> Decisions, DateTime SubmittedAt);

public sealed record TrustContractResponse(
    Guid CoupleId, int Version, IReadOnlyList<ContractLine> Lines, IReadOnlyList<Agreement> Agreements, bool AgreedByBoth,
    IReadOnlyList<EvaluationResponse> Evaluations, Guid? CreatedBy, DateTime CreatedAt);

// ---- Trigger plan, episodes, milestones ----

public sealed record PartnerTriggerPlan(Guid ClientId, string? MyTriggers, string? MySteps, string? WhatIAskOfYou, string? WhenYouAreTriggered);

/// <param name="SafetyOverrideReason">Required while the couple is on safety hold (staff only); audited.</param>
public sealed record TriggerPlanRequest(IReadOnlyList<PartnerTriggerPlan> Partners, string? SafetyOverrideReason = null);

public sealed record TriggerPlanResponse(Guid CoupleId, IReadOnlyList<PartnerTriggerPlan> Partners, int Version, Guid? UpdatedBy, DateTime UpdatedAt);

public sealed record TriggerEpisodeRequest(Guid ClientId, DateTime OccurredAt, int Intensity, string? Trigger, string? WhatHelped);

public sealed record TriggerEpisodeResponse(
    Guid Id, Guid ClientId, DateTime OccurredAt, int Intensity, string? Trigger, string? WhatHelped, Guid? RecordedBy, DateTime RecordedAt);

public sealed record MilestoneRequest(string Title, DateOnly OccurredOn, string? Note);

public sealed record MilestoneResponse(Guid Id, string Title, DateOnly OccurredOn, string? Note, Guid? RecordedBy, string RecordedByKind, DateTime RecordedAt);

internal static class ContractRatings
{
    public const string Kept = "kept";
    public static readonly string[] Ratings = [Kept, "partly_kept", "broken"];
    public static readonly string[] Decisions = ["keep", "adjust", "drop"];
}

internal sealed class TrustContractValidator : AbstractValidator<TrustContractRequest>
{
    public TrustContractValidator()
    {
        RuleFor(r => r.Lines).NotEmpty().Must(l => l is null || l.Count <= 30).WithMessage("a contract has 1 to 30 lines.")
            .Must(l => l is null || l.Where(x => x?.LineId is not null).Select(x => x.LineId).Distinct().Count() == l.Count(x => x?.LineId is not null))
            .WithMessage("a line id appears once.");
        RuleForEach(r => r.Lines).ChildRules(l =>
        {
            l.RuleFor(x => x.Area).NotEmpty().MaximumLength(200);
            l.RuleFor(x => x.Agreement).NotEmpty().MaximumLength(1000);
            l.RuleFor(x => x.Measure).NotEmpty().MaximumLength(1000);
        });
    }
}

internal sealed class AgreementValidator : AbstractValidator<AgreementRequest>
{
    public AgreementValidator() => RuleFor(r => r.ClientId).NotEmpty();
}

internal sealed class EvaluationValidator : AbstractValidator<EvaluationRequest>
{
    public EvaluationValidator()
    {
        RuleFor(r => r.ClientId).NotEmpty();
        RuleFor(r => r.Month).Must(m => DateOnly.TryParseExact(m + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            .WithMessage("month must be written yyyy-MM.");
        RuleFor(r => r.Ratings).NotEmpty().Must(r => r is null || r.Select(x => x.LineId).Distinct().Count() == r.Count)
            .WithMessage("rate each line once.");
        RuleForEach(r => r.Ratings).ChildRules(x =>
        {
            x.RuleFor(y => y.Rating).Must(v => ContractRatings.Ratings.Contains(v)).WithMessage("rating must be kept, partly_kept or broken.");
            x.RuleFor(y => y.Comment).MaximumLength(1000);
        });
        RuleFor(r => r.Decisions).Must(d => d is null || d.Select(x => x.LineId).Distinct().Count() == d.Count).WithMessage("decide on each line once.");
        RuleForEach(r => r.Decisions).ChildRules(x =>
            x.RuleFor(y => y.Decision).Must(v => ContractRatings.Decisions.Contains(v)).WithMessage("decision must be keep, adjust or drop."));
    }
}

internal sealed class TriggerPlanValidator : AbstractValidator<TriggerPlanRequest>
{
    public TriggerPlanValidator()
    {
        RuleFor(r => r.Partners).NotEmpty().Must(p => p is null || (p.Count <= 2 && p.Select(x => x.ClientId).Distinct().Count() == p.Count))
            .WithMessage("the plan has a part for each partner, once.");
        RuleForEach(r => r.Partners).ChildRules(p =>
        {
            p.RuleFor(x => x.MyTriggers).MaximumLength(4000);
            p.RuleFor(x => x.MySteps).MaximumLength(4000);
            p.RuleFor(x => x.WhatIAskOfYou).MaximumLength(4000);
            p.RuleFor(x => x.WhenYouAreTriggered).MaximumLength(4000);
        });
    }
}

internal sealed class TriggerEpisodeValidator : AbstractValidator<TriggerEpisodeRequest>
{
    public TriggerEpisodeValidator(TimeProvider clock)
    {
        RuleFor(r => r.ClientId).NotEmpty();
        RuleFor(r => r.Intensity).InclusiveBetween(1, 10).WithMessage("intensity is 1 (mild) to 10 (overwhelming).");
        RuleFor(r => r.OccurredAt).Must(t => t <= clock.GetUtcNow().UtcDateTime.AddMinutes(5) && t.Year >= 2000).WithMessage("occurredAt cannot be in the future.");
        RuleFor(r => r.Trigger).MaximumLength(2000);
        RuleFor(r => r.WhatHelped).MaximumLength(2000);
    }
}

internal sealed class MilestoneValidator : AbstractValidator<MilestoneRequest>
{
    public MilestoneValidator()
    {
        RuleFor(r => r.Title).NotEmpty().MaximumLength(200);
        RuleFor(r => r.OccurredOn).NotEmpty();
        RuleFor(r => r.Note).MaximumLength(2000);
    }
}

