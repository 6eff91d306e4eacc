using System.Globalization;
using System.Text.Json;
using FluentValidation;

namespace PracticeApi.Features.Assignments;

/// <param name="Respondents">both (each answers), together (one shared record of a talk held together: either partner
/// writes it, it counts for both and both see it), breaching, hurt, in_recovery, partner, or one client id; defaults
/// follow the template's audience (together for joint exercises).</param>
/// <param name="DueTime">HH:mm in the practice's time zone; default 21:00.</param>
/// <param name="Visibility">For couples: private, shared, mutual_reveal or therapist_release. Default private;
/// therapist_release for the letter of responsibility and the reply to it, which are read in session first.</param>
/// <param name="SafetyOverrideReason">Required to assign a conjoint exercise to a couple on safety hold;
/// audited.</param>
/// <param name="TemplateId">The exercise template (built-in or the practice's own); the assignment takes its current
/// version.</param>
/// <param name="ClientId">The client, for an individual assignment (give clientId or coupleId).</param>
/// <param name="CoupleId">The couple, for a couple assignment (give clientId or coupleId).</param>
/// <param name="Cadence">once, daily, weekly or monthly; left out, the template's default cadence.</param>
/// <param name="StartsOn">The first day (yyyy-MM-dd); left out, today in the practice's time zone.</param>
/// <param name="EndsOn">The last day (inclusive), if the assignment should end on a date.</param>
/// <param name="Occurrences">How many occurrences, if the assignment should end after a number.</param>
/// <param name="Note">A note to the respondents (at most 2,000 characters).</param>
public sealed record CreateAssignmentRequest(
    Guid TemplateId, Guid? ClientId, Guid? CoupleId, string? Respondents, Cadence? Cadence, DateOnly? StartsOn, DateOnly? EndsOn,
    int? Occurrences, string? DueTime, string? Note, Visibility? Visibility, string? SafetyOverrideReason) : IScheduleRequest;

/// <param name="Id">The assignment's id.</param>
/// <param name="TemplateId">The exercise template.</param>
/// <param name="TemplateVersion">The template version the assignment uses (later template changes do not alter
/// it).</param>
/// <param name="ClientId">The client, for an individual assignment.</param>
/// <param name="CoupleId">The couple, for a couple assignment.</param>
/// <param name="Respondents">Who answers: both, together, breaching, hurt, in_recovery or partner (for a couple); the
/// client for an individual assignment.</param>
/// <param name="RespondentIds">The clients who answer, resolved from respondents.</param>
/// <param name="Cadence">once, daily, weekly or monthly.</param>
/// <param name="StartsOn">The first day (yyyy-MM-dd).</param>
/// <param name="EndsOn">The last day, if set.</param>
/// <param name="Occurrences">How many occurrences, if limited.</param>
/// <param name="DueTime">Local time of day (HH:mm) an occurrence is due, in the practice's time zone.</param>
/// <param name="Note">The therapist's note to the respondents.</param>
/// <param name="Visibility">Who sees an answer: private, shared, mutual_reveal or therapist_release.</param>
/// <param name="Status">active, completed or cancelled.</param>
/// <param name="SafetyOverrideReason">Why the therapist assigned work while the couple was on safety hold.</param>
/// <param name="CreatedBy">The therapist who assigned it; null when a program did.</param>
/// <param name="CancelledAt">When it was cancelled (UTC).</param>
/// <param name="Version">The concurrency version; send it as If-Match to change the assignment.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record AssignmentResponse(
    Guid Id, Guid TemplateId, int TemplateVersion, Guid? ClientId, Guid? CoupleId, string Respondents, IReadOnlyList<Guid> RespondentIds,
    Cadence Cadence, DateOnly StartsOn, DateOnly? EndsOn, int? Occurrences, string DueTime, string? Note, Visibility Visibility, AssignmentStatus Status,
    string? SafetyOverrideReason, Guid? CreatedBy, DateTime? CancelledAt, int Version, DateTime CreatedAt, DateTime UpdatedAt);

/// <param name="Date">The occurrence's day (yyyy-MM-dd) in the practice's time zone.</param>
/// <param name="DueAt">When the answer is due (UTC): the assignment's due time on that day.</param>
/// <param name="RespondentId">The partner or client who answers this occurrence.</param>
/// <param name="Status">upcoming, done, late or missed.</param>
/// <param name="ResponseId">The answer, once given.</param>
/// <param name="AnsweredAt">When the answer was submitted (UTC).</param>
public sealed record OccurrenceResponse(DateOnly Date, DateTime DueAt, Guid RespondentId, OccurrenceStatus Status,
    Guid? ResponseId, DateTime? AnsweredAt);

/// <summary>
/// What a partner has to do for one assignment: today's occurrence if not answered yet, and the unanswered ones of the
/// last two weeks (an answer after the due time is still taken, as late).
/// </summary>
/// <param name="AssignmentId">The assignment the work belongs to.</param>
/// <param name="TemplateId">The exercise template the assignment uses.</param>
/// <param name="Today">Today's occurrence, while it is not answered yet.</param>
/// <param name="Overdue">Earlier occurrences still unanswered; an answer is still taken, marked late.</param>
public sealed record DueWork(Guid AssignmentId, Guid TemplateId, IReadOnlyList<OccurrenceResponse> Today,
    IReadOnlyList<OccurrenceResponse> Overdue);

/// <param name="RespondentId">Who answers; through the portal it is always the caller and may be left out.</param>
/// <param name="OccurrenceDate">Which occurrence (yyyy-MM-dd); left out, the latest occurrence that has begun in the
/// practice's time zone (today's, for a daily exercise).</param>
/// <param name="Answers">An object keyed by the template's field keys.</param>
public sealed record CreateResponseRequest(Guid? RespondentId, DateOnly? OccurrenceDate, JsonElement Answers);

/// <param name="Feedback">The therapist's feedback, if any.</param>
/// <param name="ReviewedBy">The therapist who reviewed the answer.</param>
/// <param name="ReviewedAt">When it was reviewed (UTC).</param>
public sealed record ReviewResponse(string? Feedback, Guid? ReviewedBy, DateTime? ReviewedAt);

/// <param name="Id">The answer's id.</param>
/// <param name="AssignmentId">The assignment answered.</param>
/// <param name="RespondentId">Who answered.</param>
/// <param name="OccurrenceDate">The occurrence answered (yyyy-MM-dd).</param>
/// <param name="Revision">1 for the first answer to an occurrence; each correction adds one.</param>
/// <param name="Answers">The answers, keyed by the template's field keys.</param>
/// <param name="SubmittedAt">When this revision was submitted (UTC).</param>
/// <param name="Review">The therapist's review, once given.</param>
/// <param name="ReleasedAt">When the therapist released the answer to the other partner.</param>
public sealed record ResponseResponse(
    Guid Id, Guid AssignmentId, Guid RespondentId, DateOnly OccurrenceDate, int Revision, JsonElement Answers, DateTime SubmittedAt,
    ReviewResponse? Review, DateTime? ReleasedAt);

/// <param name="Feedback">The therapist's feedback to the respondent (optional).</param>
/// <param name="Release">True releases the answer to the other partner, where the exercise's visibility waits for the
/// therapist.</param>
public sealed record ReviewRequest(string? Feedback, bool Release);

public sealed record AssignmentListQuery : IPageQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    public Guid? ClientId { get; init; }
    public Guid? CoupleId { get; init; }
    public OneOf<AssignmentStatus>? Status { get; init; }
    public Guid? TemplateId { get; init; }
}

internal sealed record AssignmentRow
{
    public Guid Id { get; init; }
    public Guid TemplateId { get; init; }
    public int TemplateVersion { get; init; }
    public Guid? ClientId { get; init; }
    public Guid? CoupleId { get; init; }
    public string Respondents { get; init; } = "";
    public string Cadence { get; init; } = "";
    public DateOnly StartsOn { get; init; }
    public DateOnly? EndsOn { get; init; }
    public int? Occurrences { get; init; }
    public string DueTime { get; init; } = "";
    public DateTime LastDueAt { get; init; }
    public string? Note { get; init; }
    public string Visibility { get; init; } = "";
    public string Status { get; init; } = "";
    public string? SafetyOverrideReason { get; init; }
    public Guid? CreatedBy { get; init; }
    public DateTime? CancelledAt { get; init; }
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public IReadOnlyList<DateOnly> Dates => Schedule.Dates(Cadence, StartsOn, EndsOn, Occurrences);

    public TimeOnly Due => TimeOnly.ParseExact(DueTime, "HH:mm", CultureInfo.InvariantCulture);

    /// <summary>An active assignment whose last occurrence is past due has run its course.</summary>
    public string EffectiveStatus(DateTime now) => Status == AssignmentStatus.Active.Wire() && LastDueAt < now
        ? AssignmentStatus.Completed.Wire() : Status;

    /// <param name="caller">A safety override's reason is the care team's: a partner's portal never sees it (nor that
    /// there was one).</param>
    public AssignmentResponse ToResponse(IEnumerable<Guid> respondents, DateTime now, Caller caller) => new(
        Id, TemplateId, TemplateVersion, ClientId, CoupleId, Respondents, respondents.ToList(), ClosedSets.Parse<Cadence>(Cadence), StartsOn, EndsOn, Occurrences, DueTime,
        Note, ClosedSets.Parse<Visibility>(Visibility), ClosedSets.Parse<AssignmentStatus>(EffectiveStatus(now)), caller.IsPortal
            ? null : SafetyOverrideReason, CreatedBy, CancelledAt, Version, CreatedAt, UpdatedAt);
}

internal sealed record ResponseRow
{
    public Guid Id { get; init; }
    public Guid AssignmentId { get; init; }
    public Guid RespondentId { get; init; }
    public DateOnly OccurrenceDate { get; init; }
    public int Revision { get; init; }
    public string Answers { get; init; } = "{}";
    public DateTime SubmittedAt { get; init; }
    public string? Feedback { get; init; }
    public Guid? ReviewedBy { get; init; }
    public DateTime? ReviewedAt { get; init; }
    public DateTime? ReleasedAt { get; init; }

    /// <param name="withReview">Feedback is for the respondent and the care team, not for the partner.</param>
    public ResponseResponse ToResponse(bool withReview = true) => new(
        Id, AssignmentId, RespondentId, OccurrenceDate, Revision, JsonDocument.Parse(Answers)
            .RootElement.Clone(), SubmittedAt,
        withReview && ReviewedAt is not null ? new ReviewResponse(Feedback, ReviewedBy, ReviewedAt) : null, ReleasedAt);
}

/// <summary>Who sees a partner's answer: only them, both partners, both once both answered, or the partner once the
/// therapist releases it.</summary>
public enum Visibility { Private, Shared, MutualReveal, TherapistRelease }

internal static class Visibilities
{
    /// <summary>
    /// Whether a partner may see this response of the other, given which occurrences they answered themselves and
    /// whether the couple's sharing is held (a partner's latest safety screening reports abuse or danger): then shared
    /// and mutual-reveal answers stay with their author until the hold is lifted; a therapist's release still counts.
    /// </summary>
    public static bool PartnerMaySee(string visibility, ResponseRow response, IReadOnlySet<DateOnly> ownAnswered,
        bool sharingHeld) => ClosedSets.Parse<Visibility>(visibility) switch
    {
        Visibility.Shared => !sharingHeld,
        Visibility.MutualReveal => !sharingHeld && ownAnswered.Contains(response.OccurrenceDate),
        Visibility.TherapistRelease => response.ReleasedAt is not null,
        _ => false,
    };
}

internal sealed class CreateAssignmentValidator : AbstractValidator<CreateAssignmentRequest>
{
    public static readonly string[] RespondentWords = ["both", Together, "breaching", "hurt", "in_recovery", "partner"];

    /// <summary>One shared record per occurrence, written by either partner.</summary>
    public const string Together = "together";

    public CreateAssignmentValidator()
    {
        RuleFor(r => r.TemplateId).NotEmpty();
        RuleFor(r => r.ClientId).Must((r, c) => (c is null) != (r.CoupleId is null))
            .WithMessage("give exactly one of clientId and coupleId.");
        RuleFor(r => r.Respondents).Must(x => x is null || RespondentWords.Contains(x) || Guid.TryParse(x, out _))
            .WithMessage($"respondents must be one of {string.Join(", ", RespondentWords)}, or a client id.");
        this.RuleForSchedule();
        RuleFor(r => r.Note).MaximumLength(2000);
        RuleFor(r => r.Visibility).Must(v => v is null or Visibility.Private).When(r => r.ClientId is not null)
            .WithMessage("visibility applies to couples only.");
        RuleFor(r => r.SafetyOverrideReason).MaximumLength(1000);
    }
}

internal sealed class CreateResponseValidator : AbstractValidator<CreateResponseRequest>
{
    public CreateResponseValidator() =>
        RuleFor(r => r.Answers).Must(a => a.ValueKind == JsonValueKind.Object)
            .WithMessage("answers must be an object keyed by field.");
}

internal sealed class ReviewRequestValidator : AbstractValidator<ReviewRequest>
{
    public ReviewRequestValidator()
    {
        RuleFor(r => r.Feedback).MaximumLength(4000);
        RuleFor(r => r).Must(r => r.Release || !string.IsNullOrWhiteSpace(r.Feedback))
            .WithMessage("give feedback, release the response, or both.").OverridePropertyName("feedback");
    }
}

internal sealed class AssignmentListQueryValidator : AbstractValidator<AssignmentListQuery>
{
    public AssignmentListQueryValidator()
    {
        this.ApplyPaging();
    }
}

/// <summary>Where an assignment stands.</summary>
public enum AssignmentStatus { Active, Completed, Cancelled }
