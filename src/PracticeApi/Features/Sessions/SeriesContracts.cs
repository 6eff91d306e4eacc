using FluentValidation;

namespace PracticeApi.Features.Sessions;

/// <summary>
/// A series of sessions every <c>everyWeeks</c> weeks at the same local time in the practice's time zone (09:00 stays
/// 09:00 across daylight-saving changes), for <c>count</c> occurrences or until a date (inclusive). At most 52
/// occurrences.
/// </summary>
/// <param name="ClientId">The client, for individual sessions (give clientId or coupleId).</param>
/// <param name="CoupleId">The couple, for couple sessions.</param>
/// <param name="TherapistId">The therapist.</param>
/// <param name="Kind">intake, individual, couple or family.</param>
/// <param name="Modality">in_person, video or phone.</param>
/// <param name="StartsAt">The first session's start (UTC).</param>
/// <param name="DurationMinutes">Each session's length in minutes.</param>
/// <param name="EveryWeeks">Weeks between sessions (1–4).</param>
/// <param name="Count">How many sessions (give count or until).</param>
/// <param name="Until">The last day a session may fall on (inclusive).</param>
/// <param name="SkipConflicts">True skips occurrences that clash with the therapist's other sessions; false refuses the
/// series.</param>
/// <param name="SafetyOverrideReason">Required for couple sessions while the couple is on safety hold (staff only);
/// audited.</param>
public sealed record CreateSeriesRequest(
    Guid? ClientId, Guid? CoupleId, Guid? TherapistId, SessionKind Kind, SessionModality Modality, DateTime StartsAt, int DurationMinutes, int EveryWeeks,
    int? Count, DateOnly? Until, bool SkipConflicts = false, string? SafetyOverrideReason = null);

/// <summary>An occurrence that could not be booked: the therapist or a client already has a session then.</summary>
/// <param name="StartsAt">The occurrence skipped.</param>
/// <param name="Reason">Why it was skipped.</param>
/// <param name="ConflictingSessionId">The session it clashed with.</param>
public sealed record SeriesConflict(DateTime StartsAt, string Reason, Guid? ConflictingSessionId);

/// <param name="Id">The series' id.</param>
/// <param name="TherapistId">The therapist.</param>
/// <param name="ClientId">The client, for individual sessions.</param>
/// <param name="CoupleId">The couple, for couple sessions.</param>
/// <param name="EveryWeeks">Weeks between sessions.</param>
/// <param name="LocalStartTime">The local start time (HH:mm) every session keeps.</param>
/// <param name="TimeZone">The practice's time zone.</param>
/// <param name="Sessions">The sessions scheduled.</param>
/// <param name="Skipped">Occurrences skipped for a conflict.</param>
/// <param name="CreatedAt">When (UTC).</param>
public sealed record SeriesResponse(
    Guid Id, Guid TherapistId, Guid? ClientId, Guid? CoupleId, int EveryWeeks, string LocalStartTime, string TimeZone,
    IReadOnlyList<SessionResponse> Sessions, IReadOnlyList<SeriesConflict> Skipped, DateTime CreatedAt);

/// <summary>Cancels the occurrence <c>fromSessionId</c> and every later scheduled one.</summary>
/// <param name="FromSessionId">The first occurrence to cancel.</param>
/// <param name="Reason">Why.</param>
/// <param name="ByClient">True when the client cancelled.</param>
public sealed record CancelSeriesRequest(Guid FromSessionId, string Reason, bool ByClient);

/// <summary>
/// Moves the occurrence <c>fromSessionId</c> to <c>startsAt</c> and every later scheduled one by the same number of
/// days, to the same new local time.
/// </summary>
/// <param name="FromSessionId">The first occurrence to move.</param>
/// <param name="StartsAt">Its new start.</param>
/// <param name="DurationMinutes">The new length in minutes.</param>
/// <param name="SafetyOverrideReason">Required for a couple's series while the couple is on safety hold (staff only),
/// as for booking or moving a single couple session; audited as an override.</param>
public sealed record RescheduleSeriesRequest(Guid FromSessionId, DateTime StartsAt, int DurationMinutes,
    string? SafetyOverrideReason = null);

internal sealed class CreateSeriesValidator : AbstractValidator<CreateSeriesRequest>
{
    public const int MaxOccurrences = 52;

    public CreateSeriesValidator()
    {
        RuleFor(r => r.ClientId).Must((r, c) => (c is null) != (r.CoupleId is null))
            .WithMessage("give exactly one of clientId and coupleId.");
        RuleFor(r => r.Kind).Must((r, k) => k != SessionKind.Couple || r.CoupleId is not null)
            .WithMessage("a couple session needs a coupleId.")
            .Must((r, k) => k != SessionKind.Individual || r.ClientId is not null)
            .WithMessage("an individual session needs a clientId.");
        SessionRules.Schedule(this, r => r.StartsAt, r => r.DurationMinutes, _ => null);
        RuleFor(r => r.EveryWeeks).InclusiveBetween(1, 4);
        RuleFor(r => r.SafetyOverrideReason).MaximumLength(1000);
        RuleFor(r => r.Count).Must((r, c) => (c is null) != (r.Until is null))
            .WithMessage("give exactly one of count and until.")
            .InclusiveBetween(1, MaxOccurrences);
        RuleFor(r => r.Until).Must((r,
            until) => until is null || until.Value.ToDateTime(TimeOnly.MaxValue) >= r.StartsAt)
            .WithMessage("until must not be before the first session.")
            .Must((r,
            until) => until is null || until.Value.ToDateTime(TimeOnly.MinValue) <= r.StartsAt.AddDays(7 * Math.Max(1,
            r.EveryWeeks) * (MaxOccurrences - 1)))
            .WithMessage($"a series holds at most {MaxOccurrences} sessions.")
            .When(r => r.StartsAt.Year is >= 2000 and <= 2200 && r.EveryWeeks is >= 1 and <= 4);
    }
}

internal sealed class CancelSeriesValidator : AbstractValidator<CancelSeriesRequest>
{
    public CancelSeriesValidator()
    {
        RuleFor(r => r.FromSessionId).NotEmpty();
        RuleFor(r => r.Reason).Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("reason is required.")
            .MaximumLength(500);
    }
}

internal sealed class RescheduleSeriesValidator : AbstractValidator<RescheduleSeriesRequest>
{
    public RescheduleSeriesValidator()
    {
        RuleFor(r => r.FromSessionId).NotEmpty();
        RuleFor(r => r.StartsAt).Must(s => s.Year is >= 2000 and <= 2200)
            .WithMessage("startsAt must be a UTC time such as 2026-03-01T09:00:00Z.");
        RuleFor(r => r.DurationMinutes).InclusiveBetween(SessionRules.MinMinutes, SessionRules.MaxMinutes)
            .WithMessage($"durationMinutes must be {SessionRules.MinMinutes} to {SessionRules.MaxMinutes}.");
    }
}
