using FluentValidation;

namespace PracticeApi.Features.Records;

/// <summary>Who asked for the erasure (the client, a legal representative...) and how.</summary>
/// <param name="RequestedBy">Who asked, and how (such as by e-mail).</param>
public sealed record ErasureRequestBody(string RequestedBy);

/// <summary>The admin's confirmation: the client's id, typed again.</summary>
/// <param name="ConfirmClientId">The client's id again, to confirm the erasure.</param>
public sealed record ExecuteErasureBody(Guid ConfirmClientId);

/// <summary>Why the practice refuses: another person's significant interest (WGBO art. 7:455), a legal hold, or
/// otherwise.</summary>
/// <param name="Reason">The legal ground for refusing.</param>
/// <param name="Explanation">The explanation for the client.</param>
public sealed record RefuseErasureBody(RefusalReason Reason, string Explanation);

/// <summary>The legal ground for refusing an erasure.</summary>
public enum RefusalReason { SignificantInterestOfAnother, LegalHold, Other }

/// <param name="Id">The request's id.</param>
/// <param name="ClientId">The client whose record is to be erased.</param>
/// <param name="RequestedBy">Who asked, and how.</param>
/// <param name="RequestedAt">When the request was recorded (UTC).</param>
/// <param name="RecordedBy">The staff member who recorded it.</param>
/// <param name="Status">requested, refused or executed.</param>
/// <param name="RefusalReason">Why it was refused.</param>
/// <param name="Explanation">The explanation given to the client with a refusal.</param>
/// <param name="DecidedBy">Who decided.</param>
/// <param name="DecidedAt">When (UTC).</param>
public sealed record ErasureRequestResponse(
    Guid Id, Guid ClientId, string RequestedBy, DateTime RequestedAt, Guid RecordedBy, ErasureStatus Status, RefusalReason? RefusalReason, string? Explanation,
    Guid? DecidedBy, DateTime? DecidedAt);

public sealed record ErasureListQuery : IPageQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    public OneOf<ErasureStatus>? Status { get; init; }
}

/// <summary>A discharged client's record that the retention period (WGBO art. 7:454, 20 years after the last change)
/// has run out for.</summary>
/// <param name="ClientId">The discharged client whose record passed its retention period.</param>
/// <param name="LastChangedAt">When the record last changed (UTC).</param>
/// <param name="DueSince">The day the retention period ended.</param>
public sealed record RetentionDue(Guid ClientId, DateTime LastChangedAt, DateOnly DueSince);

internal static class ErasureRules
{
    public const int RetentionYears = 20;
}

internal sealed class ErasureRequestValidator : AbstractValidator<ErasureRequestBody>
{
    public ErasureRequestValidator() =>
        RuleFor(r => r.RequestedBy).Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("requestedBy is required.")
            .MaximumLength(200);
}

internal sealed class ExecuteErasureValidator : AbstractValidator<ExecuteErasureBody>
{
    public ExecuteErasureValidator() => RuleFor(r => r.ConfirmClientId).NotEmpty()
        .WithMessage("confirmClientId must repeat the client's id.");
}

internal sealed class RefuseErasureValidator : AbstractValidator<RefuseErasureBody>
{
    public RefuseErasureValidator()
    {
        RuleFor(r => r.Explanation).Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("explanation is required.")
            .MaximumLength(2000);
    }
}

internal sealed class ErasureListQueryValidator : AbstractValidator<ErasureListQuery>
{
    public ErasureListQueryValidator()
    {
        this.ApplyPaging(cursorParts: 2);
    }
}

/// <summary>Where an erasure request stands.</summary>
public enum ErasureStatus { Requested, Refused, Executed }
