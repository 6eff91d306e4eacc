using FluentValidation;
using PracticeApi.Features.Clients;

namespace PracticeApi.Features.Sessions;

/// <param name="SafetyOverrideReason">Books a couple session while the couple is on safety hold (staff only;
/// audited).</param>
/// <param name="ClientId">The client, for an individual session (give clientId or coupleId).</param>
/// <param name="CoupleId">The couple, for a couple session.</param>
/// <param name="TherapistId">The therapist.</param>
/// <param name="Kind">intake, individual, couple or family.</param>
/// <param name="Modality">in_person, video or phone.</param>
/// <param name="StartsAt">The start (UTC, or with an offset).</param>
/// <param name="DurationMinutes">The length in minutes (10–480).</param>
/// <param name="Identifiers">Identifiers in other systems, such as the EHR's appointment number.</param>
public sealed record CreateSessionRequest(
    Guid? ClientId, Guid? CoupleId, Guid? TherapistId, SessionKind Kind, SessionModality Modality, DateTime StartsAt, int DurationMinutes,
    IReadOnlyList<Identifier>? Identifiers, string? SafetyOverrideReason = null);

/// <summary>Reschedules or changes a scheduled session; identifiers are replaced when given and kept when
/// omitted.</summary>
/// <param name="SafetyOverrideReason">Reschedules a couple session while the couple is on safety hold (staff only;
/// audited).</param>
/// <param name="TherapistId">The therapist.</param>
/// <param name="Kind">intake, individual, couple or family.</param>
/// <param name="Modality">in_person, video or phone.</param>
/// <param name="StartsAt">The start (UTC, or with an offset).</param>
/// <param name="DurationMinutes">The length in minutes (10–480).</param>
/// <param name="Identifiers">Identifiers in other systems; replaces the list.</param>
public sealed record UpdateSessionRequest(
    Guid? TherapistId, SessionKind Kind, SessionModality Modality, DateTime StartsAt, int DurationMinutes, IReadOnlyList<Identifier>? Identifiers,
    string? SafetyOverrideReason = null);

/// <param name="ClientId">A participant of the session.</param>
/// <param name="Attended">Whether they attended.</param>
public sealed record Attendance(Guid ClientId, bool Attended);

/// <summary>A session note: <c>soap</c> (subjective, objective, assessment, plan), <c>dap</c> (data, assessment, plan)
/// or <c>free</c> (text).</summary>
/// <param name="Format">soap, dap or free.</param>
/// <param name="Sections">The note's sections, keyed by the format's section names.</param>
public sealed record SessionNote(NoteFormat Format, IReadOnlyDictionary<string, string> Sections);

/// <param name="Attendance">Who attended, per participant.</param>
/// <param name="Note">The session note (optional; it can be written later).</param>
public sealed record CompleteSessionRequest(IReadOnlyList<Attendance> Attendance, SessionNote? Note);

/// <param name="Reason">Why (at most 500 characters).</param>
/// <param name="ByClient">True when the client cancelled.</param>
public sealed record CancelSessionRequest(string Reason, bool ByClient);

/// <param name="ClientId">A participant.</param>
/// <param name="Attended">Whether they attended; null until the session is completed.</param>
public sealed record Participant(Guid ClientId, bool? Attended);

/// <param name="Reason">Why.</param>
/// <param name="ByClient">True when the client cancelled.</param>
/// <param name="CancelledAt">When (UTC).</param>
public sealed record Cancellation(string Reason, bool ByClient, DateTime CancelledAt);

/// <summary>Who signed a note and when: a signed note never changes; corrections are addenda.</summary>
/// <param name="SignedBy">The therapist who signed.</param>
/// <param name="SignedAt">When (UTC).</param>
public sealed record NoteSignature(Guid SignedBy, DateTime SignedAt);

/// <summary>A correction or addition to a session's note, kept beside it for good.</summary>
/// <param name="Id">The addendum's id.</param>
/// <param name="AuthorId">The therapist who wrote it.</param>
/// <param name="Text">The addendum.</param>
/// <param name="CreatedAt">When (UTC).</param>
public sealed record NoteAddendum(Guid Id, Guid AuthorId, string Text, DateTime CreatedAt);

/// <param name="Text">The addendum (at most 10,000 characters).</param>
public sealed record AddendumRequest(string Text);

/// <param name="NoteSignature">Null while the note is unsigned (and where the note is not shown).</param>
/// <param name="NoteAddenda">In the order written; empty where the note is not shown.</param>
/// <param name="Id">The session's id.</param>
/// <param name="TherapistId">The therapist.</param>
/// <param name="ClientId">The client, for an individual session.</param>
/// <param name="CoupleId">The couple, for a couple session.</param>
/// <param name="Kind">intake, individual, couple or family.</param>
/// <param name="Modality">in_person, video or phone.</param>
/// <param name="StartsAt">The start (UTC).</param>
/// <param name="EndsAt">The end (UTC).</param>
/// <param name="DurationMinutes">The length in minutes.</param>
/// <param name="Status">scheduled, completed, cancelled, late_cancelled or no_show.</param>
/// <param name="Participants">Who takes part, with attendance once completed.</param>
/// <param name="Note">The session note, for those who may read it.</param>
/// <param name="Cancellation">Why and when it was cancelled.</param>
/// <param name="CompletedAt">When it was completed (UTC).</param>
/// <param name="Identifiers">Identifiers in other systems.</param>
/// <param name="SeriesId">The series it belongs to.</param>
/// <param name="Version">The concurrency version; send it as If-Match to change the session.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record SessionResponse(
    Guid Id, Guid TherapistId, Guid? ClientId, Guid? CoupleId, SessionKind Kind, SessionModality Modality, DateTime StartsAt,
    DateTime EndsAt, int DurationMinutes, SessionStatus Status, IReadOnlyList<Participant> Participants, SessionNote? Note, NoteSignature? NoteSignature,
    IReadOnlyList<NoteAddendum> NoteAddenda, Cancellation? Cancellation, DateTime? CompletedAt, IReadOnlyList<Identifier> Identifiers, Guid? SeriesId,
    int Version, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>A completed session whose note waits for its therapist's signature.</summary>
/// <param name="SessionId">The completed session.</param>
/// <param name="TherapistId">The therapist who should sign.</param>
/// <param name="StartsAt">When the session started (UTC).</param>
/// <param name="CompletedAt">When it was completed (UTC).</param>
/// <param name="DaysWaiting">Days since completion.</param>
public sealed record UnsignedNote(Guid SessionId, Guid TherapistId, DateTime StartsAt, DateTime CompletedAt,
    int DaysWaiting);

public sealed record UnsignedNoteQuery : IPageQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    public Guid? TherapistId { get; init; }
}

public sealed record SessionListQuery : IPageQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    public Guid? TherapistId { get; init; }
    public Guid? ClientId { get; init; }
    public Guid? CoupleId { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public OneOf<SessionStatus>? Status { get; init; }
}

/// <summary>What a session is: an intake, or work with one client, a couple or a family.</summary>
public enum SessionKind { Intake, Individual, Couple, Family }

/// <summary>Where it takes place: in the practice, by video or by phone.</summary>
public enum SessionModality { InPerson, Video, Phone }

/// <summary>How a session's note is written: SOAP, DAP or free text.</summary>
public enum NoteFormat { Soap, Dap, Free }

internal static class SessionRules
{

    public static readonly IReadOnlyDictionary<string, string[]> NoteSections = new Dictionary<string, string[]>
    {
        ["soap"] = ["subjective", "objective", "assessment", "plan"],
        ["dap"] = ["data", "assessment", "plan"],
        ["free"] = ["text"],
    };

    public const int MinMinutes = 10;
    public const int MaxMinutes = 480;

    public static void Schedule<T>(AbstractValidator<T> v, Func<T, DateTime> startsAt, Func<T, int> minutes,
        Func<T, IReadOnlyList<Identifier>?> identifiers)
    {
        v.RuleFor(r => startsAt(r)).Must(s => s.Year is >= 2000 and <= 2200)
            .WithMessage("startsAt must be a UTC time such as 2026-03-01T09:00:00Z.")
            .OverridePropertyName("startsAt");
        v.RuleFor(r => minutes(r)).InclusiveBetween(MinMinutes, MaxMinutes)
            .WithMessage($"durationMinutes must be {MinMinutes} to {MaxMinutes}.")
            .OverridePropertyName("durationMinutes");
        ClientRules.Identifiers(v, identifiers);
    }
}

internal sealed class CreateSessionValidator : AbstractValidator<CreateSessionRequest>
{
    public CreateSessionValidator()
    {
        RuleFor(r => r.ClientId).Must((r, c) => (c is null) != (r.CoupleId is null))
            .WithMessage("give exactly one of clientId and coupleId.");
        RuleFor(r => r.Kind).Must((r, k) => k != SessionKind.Couple || r.CoupleId is not null)
            .WithMessage("a couple session needs a coupleId.")
            .Must((r, k) => k != SessionKind.Individual || r.ClientId is not null)
            .WithMessage("an individual session needs a clientId.");
        SessionRules.Schedule(this, r => r.StartsAt, r => r.DurationMinutes, r => r.Identifiers);
        RuleFor(r => r.SafetyOverrideReason).MaximumLength(1000);
    }
}

internal sealed class UpdateSessionValidator : AbstractValidator<UpdateSessionRequest>
{
    public UpdateSessionValidator()
    {
        SessionRules.Schedule(this, r => r.StartsAt, r => r.DurationMinutes, r => r.Identifiers);
        RuleFor(r => r.SafetyOverrideReason).MaximumLength(1000);
    }
}

internal sealed class AddendumValidator : AbstractValidator<AddendumRequest>
{
    public const int MaxLength = 10_000;

    public AddendumValidator() =>
        RuleFor(r => r.Text).Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("text is required.")
            .MaximumLength(MaxLength);
}

internal sealed class UnsignedNoteQueryValidator : AbstractValidator<UnsignedNoteQuery>
{
    public UnsignedNoteQueryValidator() => this.ApplyPaging(cursorParts: 2);
}

internal sealed class CompleteSessionValidator : AbstractValidator<CompleteSessionRequest>
{
    public CompleteSessionValidator()
    {
        RuleFor(r => r.Attendance).NotNull().Must(a => a is null || a.Select(x => x.ClientId).Distinct()
            .Count() == a.Count)
            .WithMessage("attendance lists each participant once.");
        When(r => r.Note is not null, () =>
        {
            RuleFor(r => r.Note!.Sections).NotNull().Custom((sections, context) =>
            {
                var note = context.InstanceToValidate.Note!;
                if (sections is null || !SessionRules.NoteSections.TryGetValue(note.Format.Wire(),
                    out var expected)) return;
                foreach (var unknown in sections.Keys.Except(expected))
                {
                    context.AddFailure($"note.sections.{unknown}",
                        $"'{unknown}' is not a section of a {note.Format.Wire()} note ({string.Join(", ", expected)}).");
                }

                foreach (var missing in expected.Where(e => !sections.TryGetValue(e,
                    out var text) || string.IsNullOrWhiteSpace(text)))
                {
                    context.AddFailure($"note.sections.{missing}",
                        $"a {note.Format.Wire()} note needs its '{missing}' section.");
                }

                foreach (var (key, text) in sections.Where(s => s.Value?.Length > 20_000))
                {
                    context.AddFailure($"note.sections.{key}", "a section holds at most 20000 characters.");
                }
            });
        });
    }
}

internal sealed class CancelSessionValidator : AbstractValidator<CancelSessionRequest>
{
    public CancelSessionValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
}

internal sealed class SessionListQueryValidator : AbstractValidator<SessionListQuery>
{
    public SessionListQueryValidator()
    {
        this.ApplyPaging(cursorParts: 2);
        RuleFor(q => q.From).WithinWindow();
        RuleFor(q => q.To).WithinWindow();
        RuleFor(q => q.To).Must((q, to) => q.From is null || to is null || to > q.From)
            .WithMessage("to must be after from.");
    }
}

/// <summary>Where a session stands; a client's cancellation within 24 hours of the start is late_cancelled.</summary>
public enum SessionStatus { Scheduled, Completed, Cancelled, LateCancelled, NoShow }
