using FluentValidation;

namespace PracticeApi.Features.Recovery;

/// <param name="Kind">sober_day (a day kept), setback (a lapse, with what happened and what was learnt) or meeting (a
/// support meeting attended).</param>
/// <param name="Date">The day (yyyy-MM-dd; default today in the practice's time zone); at most 30 days back, never
/// ahead.</param>
/// <param name="WhatHappened">For a setback: what happened, in the client's own words (required).</param>
/// <param name="WhatILearnt">For a setback: what the client takes from it.</param>
/// <param name="Meeting">For a meeting: which one (required), for example "AA Thursday group".</param>
public sealed record RecoveryEntryRequest(RecoveryKind Kind, DateOnly? Date, string? WhatHappened, string? WhatILearnt,
    string? Meeting);

/// <summary>What a recovery log entry records: a day kept, a setback, or a support meeting attended.</summary>
public enum RecoveryKind { SoberDay, Setback, Meeting }

/// <param name="Id">The entry's id.</param>
/// <param name="ClientId">The client whose log it is.</param>
/// <param name="Date">The day it is about.</param>
/// <param name="Kind">sober_day, setback or meeting.</param>
/// <param name="WhatHappened">What happened, in the client's words.</param>
/// <param name="WhatILearnt">What the client learnt from it.</param>
/// <param name="Meeting">The support meeting attended.</param>
/// <param name="CreatedAt">When it was written (UTC).</param>
public sealed record RecoveryEntryResponse(
    Guid Id, Guid ClientId, DateOnly Date, RecoveryKind Kind, string? WhatHappened, string? WhatILearnt, string? Meeting, DateTime CreatedAt);

/// <summary>Where recovery stands today. A setback starts the count of sober days again; it changes nothing in the
/// couple's progress.</summary>
/// <param name="SoberDays">Days since the last setback (or since the first entry), today included.</param>
/// <param name="SoberDaysLogged30">Sober days the client logged in the last 30 days.</param>
/// <param name="Setbacks90">Setbacks in the last 90 days.</param>
/// <param name="Meetings30">Support meetings attended in the last 30 days.</param>
/// <param name="LastSetbackOn">The day of the last setback, if any.</param>
public sealed record RecoverySummary(int SoberDays, DateOnly? LastSetbackOn, int SoberDaysLogged30, int Setbacks90,
    int Meetings30);

/// <summary>A page of the log with where recovery stands and whom it is shared with (the client's own choice, per
/// couple).</summary>
/// <param name="SharedWithPartner">Whether the log is shared with at least one partner.</param>
/// <param name="SharedWithCoupleIds">The couples whose other partner may read the log.</param>
/// <param name="ClientId">The client whose log it is.</param>
/// <param name="Summary">Where recovery stands.</param>
/// <param name="Items">The entries, newest first.</param>
/// <param name="NextCursor">Pass as cursor to fetch the next page; null on the last page.</param>
public sealed record RecoveryLogPage(Guid ClientId, bool SharedWithPartner, IReadOnlyList<Guid> SharedWithCoupleIds,
    RecoverySummary Summary, IReadOnlyList<RecoveryEntryResponse> Items, string? NextCursor);

/// <summary>Shares the log with the other partner of one couple, or stops sharing it there.</summary>
/// <param name="CoupleId">The couple (not closed) whose other partner may read the log; in no other couple is it
/// shared.</param>
/// <param name="SharedWithPartner">True to share the log with that partner, false to stop.</param>
public sealed record RecoverySharingRequest(Guid CoupleId, bool SharedWithPartner);

/// <summary>Whether the log is shared with the partner in one couple.</summary>
/// <param name="CoupleId">The couple.</param>
/// <param name="PartnerId">The partner who may read the log, or not.</param>
/// <param name="SharedWithPartner">Whether they may.</param>
/// <param name="SharedAt">Since when (UTC).</param>
public sealed record RecoverySharingResponse(Guid CoupleId, Guid PartnerId, bool SharedWithPartner, DateTime? SharedAt);

internal sealed class RecoveryEntryValidator : AbstractValidator<RecoveryEntryRequest>
{
    public RecoveryEntryValidator(PracticeCalendar calendar)
    {
        // UTC days with a day's slack either side: the store checks the practice's own day.
        RuleFor(r => r.Date).Must(d => d is null || (d <= calendar.Today.AddDays(1)
            && d >= calendar.Today.AddDays(-31)))
            .WithMessage("date is at most 30 days back and never ahead.");
        RuleFor(r => r.WhatHappened).NotEmpty().When(r => r.Kind == RecoveryKind.Setback)
            .WithMessage("whatHappened is required for a setback.");
        RuleFor(r => r.WhatHappened).Null().When(r => r.Kind != RecoveryKind.Setback)
            .WithMessage("whatHappened belongs to a setback.");
        RuleFor(r => r.WhatILearnt).Null().When(r => r.Kind != RecoveryKind.Setback)
            .WithMessage("whatILearnt belongs to a setback.");
        RuleFor(r => r.Meeting).NotEmpty().When(r => r.Kind == RecoveryKind.Meeting)
            .WithMessage("meeting is required for a meeting.");
        RuleFor(r => r.Meeting).Null().When(r => r.Kind != RecoveryKind.Meeting)
            .WithMessage("meeting belongs to a meeting.");
        RuleFor(r => r.WhatHappened).MaximumLength(2000);
        RuleFor(r => r.WhatILearnt).MaximumLength(2000);
        RuleFor(r => r.Meeting).MaximumLength(200);
    }
}

internal sealed record RecoveryEntryRow
{
    public Guid Id { get; init; }
    public Guid ClientId { get; init; }
    public DateOnly EntryDate { get; init; }
    public string Kind { get; init; } = "";
    public string? WhatHappened { get; init; }
    public string? WhatILearnt { get; init; }
    public string? Meeting { get; init; }
    public DateTime CreatedAt { get; init; }

    public RecoveryEntryResponse ToResponse() => new(Id, ClientId, EntryDate, ClosedSets.Parse<RecoveryKind>(Kind),
        WhatHappened, WhatILearnt, Meeting, CreatedAt);
}

/// <summary>A day and kind of entry, for summaries and progress (no text).</summary>
internal sealed record RecoveryDay
{
    public Guid ClientId { get; init; }
    public DateOnly EntryDate { get; init; }
    public string Kind { get; init; } = "";
}
