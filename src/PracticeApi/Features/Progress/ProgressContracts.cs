using FluentValidation;
using PracticeApi.Features.Couples;

namespace PracticeApi.Features.Progress;

/// <param name="Rate">answered / due, from 0 to 1; null when nothing was due.</param>
/// <param name="Due">Check-ins that were due.</param>
/// <param name="Answered">Of those, how many were answered.</param>
public sealed record Adherence(int Due, int Answered, double? Rate);

/// <param name="ClientId">The partner.</param>
/// <param name="Role">Their role in the couple: breaching, hurt, in_recovery or partner.</param>
/// <param name="Last14Days">Adherence over the last 14 days.</param>
/// <param name="Last30Days">Adherence over the last 30 days.</param>
/// <param name="CurrentStreak">Days in a row with every due check-in answered.</param>
public sealed record PartnerProgress(Guid ClientId, PartnerRole Role, Adherence Last14Days, Adherence Last30Days,
    int CurrentStreak);

/// <param name="WeekStart">The Monday of the week.</param>
/// <param name="ClientId">The partner.</param>
/// <param name="Sunny">Check-ins with a sunny mood.</param>
/// <param name="Cloudy">Check-ins with a cloudy mood.</param>
/// <param name="Stormy">Check-ins with a stormy mood.</param>
public sealed record MoodWeek(DateOnly WeekStart, Guid ClientId, int Sunny, int Cloudy, int Stormy);

/// <param name="WeekStart">The Monday of the week.</param>
/// <param name="Episodes">Trigger episodes recorded that week.</param>
/// <param name="MeanIntensity">Their mean intensity (1–10); null without episodes.</param>
public sealed record TriggerWeek(DateOnly WeekStart, int Episodes, double? MeanIntensity);

/// <param name="ClientId">The partner.</param>
/// <param name="Trust">Their trust rating that week (0–10).</param>
/// <param name="Connection">Their connection rating that week (0–10).</param>
public sealed record PartnerRating(Guid ClientId, double Trust, double Connection);

/// <summary>A week of the weekly trust and connection rating: each partner's rating (their mean if they rated twice)
/// and the gap between the partners when both rated.</summary>
/// <param name="WeekStart">The Monday of the week.</param>
/// <param name="Partners">Each partner's ratings that week.</param>
/// <param name="TrustGap">The difference between the partners' trust ratings, when both rated.</param>
/// <param name="ConnectionGap">The difference between their connection ratings, when both rated.</param>
public sealed record TrustWeek(DateOnly WeekStart, IReadOnlyList<PartnerRating> Partners, double? TrustGap,
    double? ConnectionGap);

/// <summary>A partner's recovery log as it stands on the last day of the window (only partners who keep one).</summary>
/// <param name="ClientId">The partner who keeps the log.</param>
/// <param name="Recovery">Where their recovery stands.</param>
public sealed record PartnerRecovery(Guid ClientId, Recovery.RecoverySummary Recovery);

/// <summary>A partner's scores on one outcome measure within the window, oldest first.</summary>
/// <param name="ClientId">The partner.</param>
/// <param name="Key">The measure's key.</param>
/// <param name="Name">The measure's name.</param>
/// <param name="Scores">Each score's time, total and band.</param>
public sealed record PartnerMeasure(Guid ClientId, string Key, string Name, IReadOnlyList<MeasureScorePoint> Scores);

/// <param name="TakenAt">When it was taken (UTC).</param>
/// <param name="Total">The total.</param>
/// <param name="Band">The severity band, if the measure has bands.</param>
public sealed record MeasureScorePoint(DateTime TakenAt, int Total, string? Band);

/// <param name="Month">The month evaluated (yyyy-MM).</param>
/// <param name="Ratings">How many line ratings were given.</param>
/// <param name="Kept">Lines rated kept.</param>
/// <param name="PartlyKept">Lines rated partly kept.</param>
/// <param name="Broken">Lines rated broken.</param>
public sealed record ContractMonth(string Month, int Ratings, int Kept, int PartlyKept, int Broken);

/// <param name="Position">before_window, within_window, beyond_window, or unknown when the breach type has no expected
/// window.</param>
/// <param name="CurrentStep">The current step (1–7).</param>
/// <param name="CurrentStepName">Its name in English and Dutch.</param>
/// <param name="MonthsInRepair">Whole months since repair started.</param>
/// <param name="ExpectedRecovery">How long repair usually takes for this kind of breach.</param>
public sealed record RepairTimeline(int CurrentStep, LocalizedText CurrentStepName, int MonthsInRepair,
    ExpectedRecovery? ExpectedRecovery, string Position);

/// <param name="Key">What was reached, such as contract_agreed.</param>
/// <param name="Title">The milestone in English and Dutch.</param>
/// <param name="ReachedOn">The day it was reached.</param>
public sealed record ComputedMilestone(string Key, LocalizedText Title, DateOnly ReachedOn);

/// <param name="CoupleId">The couple.</param>
/// <param name="From">First day of the window.</param>
/// <param name="To">Last day of the window.</param>
/// <param name="Partners">Each partner's adherence and streak.</param>
/// <param name="SharedStreak">Days in a row on which both partners answered.</param>
/// <param name="MoodByWeek">Each partner's check-in moods per week.</param>
/// <param name="TriggersByWeek">Trigger episodes per week with their mean intensity.</param>
/// <param name="ContractByMonth">The monthly trust-contract evaluations: how many lines were kept, partly kept or
/// broken.</param>
/// <param name="Timeline">Where the couple stands in the repair model.</param>
/// <param name="Milestones">Milestones reached, computed from the record.</param>
/// <param name="TrustByWeek">The weekly trust and connection ratings and the gap between the partners.</param>
/// <param name="Recovery">The recovery logs of partners who keep one.</param>
/// <param name="Measures">Both partners' outcome measure scores in the window, per partner and measure.</param>
public sealed record ProgressResponse(
    Guid CoupleId, DateOnly From, DateOnly To, IReadOnlyList<PartnerProgress> Partners, int SharedStreak, IReadOnlyList<MoodWeek> MoodByWeek,
    IReadOnlyList<TriggerWeek> TriggersByWeek, IReadOnlyList<ContractMonth> ContractByMonth, RepairTimeline Timeline,
    IReadOnlyList<ComputedMilestone> Milestones, IReadOnlyList<TrustWeek> TrustByWeek, IReadOnlyList<PartnerRecovery> Recovery,
    IReadOnlyList<PartnerMeasure> Measures);

/// <param name="Kind">What the alert is about.</param>
/// <param name="Data">The numbers behind the alert.</param>
/// <param name="CoupleId">The couple the alert is about; null for the caller's own to-do (unsigned_notes).</param>
/// <param name="Reason">Why the alert was raised, in words, in the request's language (Accept-Language nl or
/// en).</param>
public sealed record AlertResponse(Guid? CoupleId, AlertKind Kind, string Reason, IReadOnlyDictionary<string,
    object?> Data);

/// <summary>What an alert is about: a partner's safety screening holds conjoint work, a new breach of trust, a partner
/// making fewer than half of their check-ins, trigger episodes not decreasing, six months without a step forward, a
/// setback in recovery, a critical answer on an outcome measure, or the caller's own session notes waiting for their
/// signature.</summary>
public enum AlertKind
{
    SafetyConcern, NewBreach, LowAdherence, TriggersNotDecreasing, NoStepProgress, RecoverySetback, CriticalAnswer,
    UnsignedNotes,
}

/// <param name="From">First day (default: eight weeks before to).</param>
/// <param name="To">Last day (default: today in the practice's time zone).</param>
public sealed record ProgressQuery(DateOnly? From, DateOnly? To);

internal sealed class ProgressQueryValidator : AbstractValidator<ProgressQuery>
{
    public ProgressQueryValidator()
    {
        RuleFor(q => q.From).WithinWindow();
        RuleFor(q => q.To).WithinWindow();
        RuleFor(q => q.To).Must((q, to) => q.From is null || to is null || to >= q.From)
            .WithMessage("to must not be before from.");
        RuleFor(q => q.From).Must((q, from) => from is null || q.To is null
            || q.To.Value.DayNumber - from.Value.DayNumber <= 366)
            .WithMessage("a progress window spans at most a year.");
    }
}

