using System.Globalization;
using FluentValidation;

namespace PracticeApi.Infrastructure;

/// <summary>How often an assignment comes due.</summary>
public enum Cadence { Once, Daily, Weekly, Monthly }

/// <summary>A request that sets a schedule: how often, from and until when (or how many times), and the time it is
/// due.</summary>
public interface IScheduleRequest
{
    Cadence? Cadence { get; }
    DateOnly? StartsOn { get; }
    DateOnly? EndsOn { get; }
    int? Occurrences { get; }
    string? DueTime { get; }
}

public static class ScheduleRules
{
    /// <summary>The rules every schedule keeps, for an exercise's assignment and a measure's alike.</summary>
    public static void RuleForSchedule<T>(this AbstractValidator<T> validator) where T : IScheduleRequest
    {
        validator.RuleFor(r => r.EndsOn).Must((r, end) => end is null || r.StartsOn is null || end >= r.StartsOn)
            .WithMessage("endsOn must not be before startsOn.");
        validator.RuleFor(r => r.Occurrences).InclusiveBetween(1, Schedule.MaxOccurrences);
        validator.RuleFor(r => r.Occurrences).Null().When(r => r.EndsOn is not null)
            .WithMessage("give endsOn or occurrences, not both.");
        validator.RuleFor(r => r.DueTime)
            .Must(t => t is null || TimeOnly.TryParseExact(t, "HH:mm", CultureInfo.InvariantCulture,
            DateTimeStyles.None, out _))
            .WithMessage("dueTime must be HH:mm, such as 21:00.");
    }
}

/// <summary>Where one occurrence stands: not due yet, answered on time or late, or past due unanswered.</summary>
public enum OccurrenceStatus { Upcoming, Done, Late, Missed }

/// <summary>When an assignment is due: its dates follow from the cadence, start and end (or count).</summary>
public static class Schedule
{
    public const int MaxOccurrences = 400;

    /// <summary>How far back an occurrence not answered yet is still offered as due work (an answer then counts as
    /// late).</summary>
    public const int OverdueDays = 14;

    /// <summary>
    /// The occurrence an answer is for: the one asked for, or without one a one-off's only occurrence or the latest
    /// that has begun (today's check-in); never one that is not on the schedule or not open yet.
    /// </summary>
    public static Outcome<DateOnly> Occurrence(IReadOnlyList<DateOnly> dates, DateOnly? asked, DateOnly today)
    {
        var date = asked
            ?? (dates.Count == 1 ? dates[0] : dates.LastOrDefault(
            d => d <= today) is { DayNumber: > 0 } open ? open : null);
        if (date is null) return Failure.Invalid("occurrenceDate", "no occurrence of this assignment has begun yet.");
        if (!dates.Contains(date.Value)) return Failure.Invalid("occurrenceDate",
            "occurrenceDate is not one of this assignment's occurrences.");
        if (date.Value > today) return Failure.Invalid("occurrenceDate", "this occurrence is not open yet.");
        return date.Value;
    }

    public static IReadOnlyList<DateOnly> Dates(string cadence, DateOnly startsOn, DateOnly? endsOn, int? occurrences)
    {
        if (cadence == Cadence.Once.Wire()) return [startsOn];
        var dates = new List<DateOnly>();
        for (var i = 0; i < MaxOccurrences; i++)
        {
            var date = cadence switch
            {
                "daily" => startsOn.AddDays(i),
                "weekly" => startsOn.AddDays(7 * i),
                _ => startsOn.AddMonths(i),
            };
            if (endsOn is { } end && date > end) break;
            if (occurrences is { } count && i >= count) break;
            dates.Add(date);
        }

        return dates;
    }

    /// <summary>
    /// done: answered by the due time; late: answered after it; missed: not answered and the due time has passed;
    /// upcoming: not answered yet and not yet due.
    /// </summary>
    public static OccurrenceStatus Status(DateTime dueAt, DateTime? firstAnsweredAt, DateTime now) =>
        firstAnsweredAt switch
        {
            { } answered when answered <= dueAt => OccurrenceStatus.Done,
            not null => OccurrenceStatus.Late,
            null when now > dueAt => OccurrenceStatus.Missed,
            _ => OccurrenceStatus.Upcoming,
        };
}
