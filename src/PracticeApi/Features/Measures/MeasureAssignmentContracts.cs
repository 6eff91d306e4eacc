using FluentValidation;

namespace PracticeApi.Features.Measures;

/// <summary>A measure assigned to a client, as an exercise is: once, or on a cadence.</summary>
/// <param name="MeasureId">The version of the measure the client takes (later versions do not alter the
/// assignment).</param>
/// <param name="Cadence">once, daily, weekly or monthly.</param>
/// <param name="StartsOn">The first day (yyyy-MM-dd); left out, today in the practice's time zone.</param>
/// <param name="EndsOn">The last day (inclusive), if the assignment should end on a date.</param>
/// <param name="Occurrences">How many occurrences, if the assignment should end after a number.</param>
/// <param name="DueTime">HH:mm in the practice's time zone an occurrence is due; left out, 21:00.</param>
/// <param name="Note">A note to the client (at most 2,000 characters).</param>
public sealed record AssignMeasureRequest(Guid MeasureId, Cadence Cadence, DateOnly? StartsOn, DateOnly? EndsOn,
    int? Occurrences, string? DueTime, string? Note) : IScheduleRequest
{
    Cadence? IScheduleRequest.Cadence => Cadence;
}

/// <summary>How an assignment's occurrences stand now.</summary>
/// <param name="Done">Taken by the due time.</param>
/// <param name="Late">Taken after the due time.</param>
/// <param name="Missed">Not taken, and the due time has passed.</param>
/// <param name="Upcoming">Not due yet.</param>
public sealed record OccurrenceCounts(int Done, int Late, int Missed, int Upcoming);

/// <summary>A measure assigned to a client.</summary>
/// <param name="Id">The assignment's id; a score names it to answer an occurrence.</param>
/// <param name="ClientId">Who takes the measure.</param>
/// <param name="MeasureId">The version of the measure taken.</param>
/// <param name="Key">The measure's key.</param>
/// <param name="Name">The measure's name.</param>
/// <param name="Cadence">once, daily, weekly or monthly.</param>
/// <param name="StartsOn">The first day.</param>
/// <param name="EndsOn">The last day, if set.</param>
/// <param name="Occurrences">How many occurrences, if limited.</param>
/// <param name="DueTime">Local time of day (HH:mm) an occurrence is due.</param>
/// <param name="Note">The therapist's note to the client.</param>
/// <param name="Status">active, completed (the last occurrence is past due) or cancelled.</param>
/// <param name="Counts">How the occurrences stand now.</param>
/// <param name="NextDueAt">When the next occurrence not taken yet is due (UTC), or null.</param>
/// <param name="CreatedBy">Who assigned it.</param>
/// <param name="CreatedAt">When it was assigned (UTC).</param>
/// <param name="CancelledAt">When it was cancelled (UTC).</param>
public sealed record MeasureAssignmentResponse(
    Guid Id, Guid ClientId, Guid MeasureId, string Key, string Name, Cadence Cadence, DateOnly StartsOn, DateOnly? EndsOn, int? Occurrences,
    string DueTime, string? Note, Assignments.AssignmentStatus Status,
    OccurrenceCounts Counts, DateTime? NextDueAt, Guid? CreatedBy, DateTime CreatedAt, DateTime? CancelledAt);

/// <summary>A measure I am to take: an occurrence of an assignment not taken yet, today's or of the last two
/// weeks.</summary>
/// <param name="AssignmentId">Send it with the answers, to count them for this occurrence.</param>
/// <param name="MeasureId">The version of the measure to take.</param>
/// <param name="Name">The measure's name.</param>
/// <param name="Date">The occurrence (yyyy-MM-dd); send it as occurrenceDate for an earlier one.</param>
/// <param name="DueAt">When it is due (UTC).</param>
/// <param name="Status">upcoming (due later today) or missed (past due: it is still taken, as late).</param>
public sealed record DueMeasure(Guid AssignmentId, Guid MeasureId, string Name, DateOnly Date, DateTime DueAt,
    OccurrenceStatus Status);

internal sealed class AssignMeasureValidator : AbstractValidator<AssignMeasureRequest>
{
    public AssignMeasureValidator()
    {
        RuleFor(r => r.MeasureId).NotEmpty();
        this.RuleForSchedule();
        RuleFor(r => r.Note).MaximumLength(2000);
    }
}
