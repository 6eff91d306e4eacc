using FluentValidation;
using PracticeApi.Features.Couples;

namespace PracticeApi.Features.RepairWork;

/// <summary>A sign to look for, with its key.</summary>
/// <param name="Key">The sign's key.</param>
/// <param name="Text">The sign in English and Dutch.</param>
public sealed record AssessmentSign(string Key, LocalizedText Text);

/// <summary>The signs of trust that is damaged but repairable, and of trust that may be past repair (seed 003), and the
/// question to ask.</summary>
/// <param name="Repairable">Signs that trust can be repaired.</param>
/// <param name="Irreparable">Signs that trust is past repair.</param>
/// <param name="Question">The question for the therapist.</param>
public sealed record AssessmentSigns(IReadOnlyList<AssessmentSign> Repairable,
    IReadOnlyList<AssessmentSign> Irreparable, LocalizedText Question);

/// <param name="PartnerId">A partner of the couple.</param>
/// <param name="Answer">Why this partner works on the relationship, as the therapist sees it.</param>
public sealed record PartnerMotivation(Guid PartnerId, Motivation Answer);

/// <summary>Why a partner works on the relationship: from love and hope, from fear and obligation, or not clear
/// (seed 003).</summary>
public enum Motivation { LoveAndHope, FearAndObligation, Unclear }

/// <summary>The therapist's judgement of a couple's repair: repairable, uncertain, or time to consider letting
/// go.</summary>
public enum Outlook { Repairable, Uncertain, ConsiderLettingGo }

/// <param name="RepairableSigns">Keys of the repairable signs the therapist sees now.</param>
/// <param name="IrreparableSigns">Keys of the signs of trust past repair the therapist sees now.</param>
/// <param name="Motivations">Per partner, if assessed: working on it from love and hope, or from fear and
/// obligation.</param>
/// <param name="Outlook">The therapist's judgement: repairable, uncertain or consider_letting_go. Never computed from
/// the signs.</param>
/// <param name="AssessedOn">The day of the assessment (default today).</param>
/// <param name="Note">The therapist's note (at most 2,000 characters).</param>
public sealed record RepairAssessmentRequest(
    IReadOnlyList<string> RepairableSigns, IReadOnlyList<string> IrreparableSigns, IReadOnlyList<PartnerMotivation>? Motivations, Outlook Outlook,
    string? Note, DateOnly? AssessedOn);

/// <param name="Id">The assessment's id.</param>
/// <param name="CoupleId">The couple.</param>
/// <param name="AssessedOn">The day of the assessment.</param>
/// <param name="RepairableSigns">The repairable signs seen.</param>
/// <param name="IrreparableSigns">The signs of trust past repair seen.</param>
/// <param name="Motivations">Per partner, why they work on the relationship.</param>
/// <param name="Outlook">The therapist's outlook: repairable, uncertain or consider_letting_go.</param>
/// <param name="Note">The therapist's note.</param>
/// <param name="AssessedBy">The therapist.</param>
/// <param name="CreatedAt">When it was recorded (UTC).</param>
public sealed record RepairAssessmentResponse(
    Guid Id, Guid CoupleId, DateOnly AssessedOn, IReadOnlyList<string> RepairableSigns, IReadOnlyList<string> IrreparableSigns,
    IReadOnlyList<PartnerMotivation> Motivations, Outlook Outlook, string? Note, Guid? AssessedBy, DateTime CreatedAt);

/// <summary>Example lines for a trust contract and steps for a trigger plan, to start from and make the couple's
/// own.</summary>
/// <param name="Area">The area of life the agreement covers.</param>
/// <param name="Agreement">The suggested agreement.</param>
/// <param name="Measure">How keeping it could be seen.</param>
public sealed record ContractSuggestion(LocalizedText Area, LocalizedText Agreement, LocalizedText Measure);

/// <param name="MySteps">Suggestions for the steps a partner takes when triggered.</param>
/// <param name="WhatIAskOfYou">Suggestions for what to ask of the other partner.</param>
/// <param name="WhenYouAreTriggered">Suggestions for helping when the other partner is triggered.</param>
public sealed record TriggerPlanSuggestions(
    IReadOnlyList<LocalizedText> MySteps, IReadOnlyList<LocalizedText> WhatIAskOfYou, IReadOnlyList<LocalizedText> WhenYouAreTriggered);

/// <param name="TrustContract">Agreements to consider for the trust contract.</param>
/// <param name="TriggerPlan">Ideas for each partner's trigger plan.</param>
/// <param name="Reminder">A reminder for the therapist.</param>
public sealed record RepairSuggestions(IReadOnlyList<ContractSuggestion> TrustContract,
    TriggerPlanSuggestions TriggerPlan, LocalizedText Reminder);

internal sealed class RepairAssessmentValidator : AbstractValidator<RepairAssessmentRequest>
{
    public RepairAssessmentValidator(PracticeCalendar calendar)
    {
        var repairable = RepairGuidance.Signs.Repairable.Select(s => s.Key).ToHashSet();
        var irreparable = RepairGuidance.Signs.Irreparable.Select(s => s.Key).ToHashSet();
        RuleFor(r => r.RepairableSigns).NotNull().Must(s => s is null || (s.All(repairable.Contains) && s.Distinct()
            .Count() == s.Count))
            .WithMessage($"repairableSigns are distinct keys from: {string.Join(", ", repairable)}.");
        RuleFor(r => r.IrreparableSigns).NotNull().Must(s => s is null || (s.All(irreparable.Contains) && s.Distinct()
            .Count() == s.Count))
            .WithMessage($"irreparableSigns are distinct keys from: {string.Join(", ", irreparable)}.");
        RuleFor(r => r.Motivations).Must(m => m is null || (m.Count <= 2 && m.All(x => x is not null)))
            .WithMessage("motivations give at most one answer per partner.");
        RuleFor(r => r.Note).MaximumLength(2000);
        RuleFor(r => r.AssessedOn).Must(d => d is null || d <= calendar.Today.AddDays(1))
            .WithMessage("assessedOn cannot be in the future.");
    }
}
