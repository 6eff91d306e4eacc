using System.Globalization;
using FluentValidation;

namespace PracticeApi.Features.RepairWork;

// ---- Trust contract ----

/// <param name="LineId">Keep a line's id to adjust it in a new version; leave it out for a new line.</param>
/// <param name="Area">The area of life the agreement covers.</param>
/// <param name="Agreement">What the partners agree.</param>
/// <param name="Measure">How keeping it can be seen.</param>
public sealed record ContractLine(Guid? LineId, string Area, string Agreement, string Measure);

/// <param name="SafetyOverrideReason">Required while the couple is on safety hold (staff only); audited.</param>
/// <param name="Lines">The agreements (at least one); a line keeps its lineId across versions.</param>
public sealed record TrustContractRequest(IReadOnlyList<ContractLine> Lines, string? SafetyOverrideReason = null);

/// <param name="SafetyOverrideReason">Required while the couple is on safety hold (staff only); audited.</param>
/// <param name="ClientId">The partner who agrees to the current contract.</param>
public sealed record AgreementRequest(Guid ClientId, string? SafetyOverrideReason = null);

/// <param name="LineId">The contract line.</param>
/// <param name="Rating">kept, partly_kept or broken.</param>
/// <param name="Comment">A comment.</param>
public sealed record LineRating(Guid LineId, Rating Rating, string? Comment);

/// <summary>How a line of the trust contract was kept this month.</summary>
public enum Rating { Kept, PartlyKept, Broken }

/// <summary>What the partners decide about a line after evaluating it.</summary>
public enum Decision { Keep, Adjust, Drop }

/// <param name="LineId">The contract line.</param>
/// <param name="Decision">keep, adjust or drop.</param>
public sealed record LineDecision(Guid LineId, Decision Decision);

/// <param name="Month">The month evaluated, yyyy-MM.</param>
/// <param name="ClientId">The partner evaluating.</param>
/// <param name="Ratings">A rating for each line of the contract.</param>
/// <param name="Decisions">Per line, what to do next: keep, adjust or drop.</param>
public sealed record EvaluationRequest(Guid ClientId, string Month, IReadOnlyList<LineRating> Ratings,
    IReadOnlyList<LineDecision>? Decisions);

/// <param name="ClientId">The partner who agreed.</param>
/// <param name="AgreedAt">When (UTC).</param>
public sealed record Agreement(Guid ClientId, DateTime AgreedAt);

/// <param name="Id">The evaluation's id.</param>
/// <param name="Version">The contract version evaluated.</param>
/// <param name="ClientId">The partner who evaluated.</param>
/// <param name="Month">The month evaluated (yyyy-MM).</param>
/// <param name="Ratings">A rating per line.</param>
/// <param name="Decisions">A decision per line.</param>
/// <param name="SubmittedAt">When (UTC).</param>
public sealed record EvaluationResponse(
    Guid Id, int Version, Guid ClientId, string Month, IReadOnlyList<LineRating> Ratings, IReadOnlyList<LineDecision> Decisions, DateTime SubmittedAt);

/// <param name="CoupleId">The couple.</param>
/// <param name="Version">The contract's version; a change makes a new version that both partners agree to
/// again.</param>
/// <param name="Lines">The agreements.</param>
/// <param name="Agreements">Which partners agreed to this version, and when.</param>
/// <param name="AgreedByBoth">True once both partners agreed to this version.</param>
/// <param name="Evaluations">The monthly evaluations of this version.</param>
/// <param name="CreatedBy">Who wrote this version.</param>
/// <param name="CreatedAt">When (UTC).</param>
public sealed record TrustContractResponse(
    Guid CoupleId, int Version, IReadOnlyList<ContractLine> Lines, IReadOnlyList<Agreement> Agreements, bool AgreedByBoth,
    IReadOnlyList<EvaluationResponse> Evaluations, Guid? CreatedBy, DateTime CreatedAt);

// ---- Trigger plan, episodes, milestones ----

/// <param name="ClientId">The partner whose plan it is.</param>
/// <param name="MyTriggers">What triggers them.</param>
/// <param name="MySteps">What they do when triggered.</param>
/// <param name="WhatIAskOfYou">What they ask of the other partner.</param>
/// <param name="WhenYouAreTriggered">What they do when the other partner is triggered.</param>
public sealed record PartnerTriggerPlan(Guid ClientId, string? MyTriggers, string? MySteps, string? WhatIAskOfYou,
    string? WhenYouAreTriggered);

/// <param name="SafetyOverrideReason">Required while the couple is on safety hold (staff only); audited.</param>
/// <param name="Partners">Each partner's plan.</param>
public sealed record TriggerPlanRequest(IReadOnlyList<PartnerTriggerPlan> Partners,
    string? SafetyOverrideReason = null);

/// <param name="CoupleId">The couple.</param>
/// <param name="Partners">Each partner's plan.</param>
/// <param name="Version">The concurrency version; send it as If-Match to change the plan.</param>
/// <param name="UpdatedBy">Who last changed it.</param>
/// <param name="UpdatedAt">When (UTC).</param>
public sealed record TriggerPlanResponse(Guid CoupleId, IReadOnlyList<PartnerTriggerPlan> Partners, int Version,
    Guid? UpdatedBy, DateTime UpdatedAt);

/// <param name="ClientId">The partner who was triggered.</param>
/// <param name="OccurredAt">When (UTC).</param>
/// <param name="Intensity">How strong, 1–10.</param>
/// <param name="Trigger">What set it off.</param>
/// <param name="WhatHelped">What helped.</param>
public sealed record TriggerEpisodeRequest(Guid ClientId, DateTime OccurredAt, int Intensity, string? Trigger,
    string? WhatHelped);

/// <param name="Id">The episode's id.</param>
/// <param name="ClientId">The partner who was triggered.</param>
/// <param name="OccurredAt">When (UTC).</param>
/// <param name="Intensity">How strong, 1–10.</param>
/// <param name="Trigger">What set it off.</param>
/// <param name="WhatHelped">What helped.</param>
/// <param name="RecordedBy">Who recorded it.</param>
/// <param name="RecordedAt">When it was recorded (UTC).</param>
public sealed record TriggerEpisodeResponse(
    Guid Id, Guid ClientId, DateTime OccurredAt, int Intensity, string? Trigger, string? WhatHelped, Guid? RecordedBy, DateTime RecordedAt);

/// <param name="Title">What was reached (at most 200 characters).</param>
/// <param name="OccurredOn">The day (yyyy-MM-dd).</param>
/// <param name="Note">A note (at most 2,000 characters).</param>
public sealed record MilestoneRequest(string Title, DateOnly OccurredOn, string? Note);

/// <param name="Id">The milestone's id.</param>
/// <param name="Title">What was reached.</param>
/// <param name="OccurredOn">The day.</param>
/// <param name="Note">A note.</param>
/// <param name="RecordedBy">Who recorded it.</param>
/// <param name="RecordedByKind">Who recorded it: the therapist (staff), or a partner through the portal.</param>
/// <param name="RecordedAt">When it was recorded (UTC).</param>
public sealed record MilestoneResponse(Guid Id, string Title, DateOnly OccurredOn, string? Note, Guid? RecordedBy,
    MilestoneRecorder RecordedByKind, DateTime RecordedAt);

/// <summary>Who recorded a milestone: the therapist (staff), or a partner through the portal.</summary>
public enum MilestoneRecorder { Therapist, Partner }

internal sealed class TrustContractValidator : AbstractValidator<TrustContractRequest>
{
    public TrustContractValidator()
    {
        RuleFor(r => r.Lines).NotEmpty().Must(l => l is null || l.Count <= 30)
            .WithMessage("a contract has 1 to 30 lines.")
            .Must(l => l is null || l.Where(x => x?.LineId is not null).Select(x => x.LineId).Distinct()
            .Count() == l.Count(x => x?.LineId is not null))
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
        RuleFor(r => r.Month).Must(m => DateOnly.TryParseExact(m + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture,
            DateTimeStyles.None, out _))
            .WithMessage("month must be written yyyy-MM.");
        RuleFor(r => r.Ratings).NotEmpty().Must(r => r is null || r.Select(x => x.LineId).Distinct().Count() == r.Count)
            .WithMessage("rate each line once.");
        RuleForEach(r => r.Ratings).ChildRules(x =>
        {
            x.RuleFor(y => y.Comment).MaximumLength(1000);
        });
        RuleFor(r => r.Decisions).Must(d => d is null || d.Select(x => x.LineId).Distinct().Count() == d.Count)
            .WithMessage("decide on each line once.");
    }
}

internal sealed class TriggerPlanValidator : AbstractValidator<TriggerPlanRequest>
{
    public TriggerPlanValidator()
    {
        RuleFor(r => r.Partners).NotEmpty().Must(p => p is null || (p.Count <= 2 && p.Select(x => x.ClientId).Distinct()
            .Count() == p.Count))
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
        RuleFor(r => r.OccurredAt).Must(t => t <= clock.GetUtcNow().UtcDateTime.AddMinutes(5) && t.Year >= 2000)
            .WithMessage("occurredAt cannot be in the future.");
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

