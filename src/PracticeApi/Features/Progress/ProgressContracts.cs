using FluentValidation;
using PracticeApi.Features.Couples;

namespace PracticeApi.Features.Progress;

/// <param name="Rate">answered / due, from 0 to 1; null when nothing was due.</param>
public sealed record Adherence(int Due, int Answered, double? Rate);

public sealed record PartnerProgress(Guid ClientId, string Role, Adherence Last14Days, Adherence Last30Days, int CurrentStreak);

public sealed record MoodWeek(DateOnly WeekStart, Guid ClientId, int Sunny, int Cloudy, int Stormy);

public sealed record TriggerWeek(DateOnly WeekStart, int Episodes, double? MeanIntensity);

public sealed record PartnerRating(Guid ClientId, double Trust, double Connection);

/// <summary>A week of the weekly trust and connection rating: each partner's rating (their mean if they rated twice) and the
/// gap between the partners when both rated.</summary>
public sealed record TrustWeek(DateOnly WeekStart, IReadOnlyList<PartnerRating> Partners, double? TrustGap, double? ConnectionGap);

/// <summary>A partner's recovery log as it stands on the last day of the window (only partners who keep one).</summary>
public sealed record PartnerRecovery(Guid ClientId, Recovery.RecoverySummary Recovery);

public sealed record ContractMonth(string Month, int Ratings, int Kept, int PartlyKept, int Broken);

/// <param name="Position">before_window, within_window, beyond_window, or unknown when the breach type has no expected window.</param>
public sealed record RepairTimeline(int CurrentStep, LocalizedText CurrentStepName, int MonthsInRepair, ExpectedRecovery? ExpectedRecovery, string Position);

public sealed record ComputedMilestone(string Key, LocalizedText Title, DateOnly ReachedOn);

public sealed record ProgressResponse(
    Guid CoupleId, DateOnly From, DateOnly To, IReadOnlyList<PartnerProgress> Partners, int SharedStreak, IReadOnlyList<MoodWeek> MoodByWeek,
    IReadOnlyList<TriggerWeek> TriggersByWeek, IReadOnlyList<ContractMonth> ContractByMonth, RepairTimeline Timeline,
    IReadOnlyList<ComputedMilestone> Milestones, IReadOnlyList<TrustWeek> TrustByWeek, IReadOnlyList<PartnerRecovery> Recovery);

/// <param name="Kind">safety_concern, new_breach, low_adherence, triggers_not_decreasing, no_step_progress or recovery_setback.</param>
/// <param name="Data">The numbers behind the alert.</param>
/// <param name="CoupleId">The couple the alert is about; null for the caller's own to-do (unsigned_notes).</param>
public sealed record AlertResponse(Guid? CoupleId, string Kind, string Reason, IReadOnlyDictionary<string, object?> Data);

/// <param name="From">First day (default: eight weeks before to).</param>
/// <param name="To">Last day (default: today in the practice's time zone).</param>
public sealed record ProgressQuery(DateOnly? From, DateOnly? To);

internal sealed class ProgressQueryValidator : AbstractValidator<ProgressQuery>
{
    public ProgressQueryValidator()
    {
        RuleFor(q => q.From).WithinWindow();
        RuleFor(q => q.To).WithinWindow();
        RuleFor(q => q.To).Must((q, to) => q.From is null || to is null || to >= q.From).WithMessage("to must not be before from.");
        RuleFor(q => q.From).Must((q, from) => from is null || q.To is null || q.To.Value.DayNumber - from.Value.DayNumber <= 366)
            .WithMessage("a progress window spans at most a year.");
    }
}

