namespace PracticeApi.Features.Calendar;

/// <summary>A therapist's calendar feed: the address a calendar app subscribes to.</summary>
/// <param name="TherapistId">Whose sessions the feed shows.</param>
/// <param name="Url">The subscription address, which holds the feed's secret: given once, when the feed is made; null
/// when read later.</param>
/// <param name="CreatedAt">When this feed was made (UTC); a new one ends the previous one.</param>
public sealed record CalendarFeedResponse(Guid TherapistId, string? Url, DateTime CreatedAt);

internal sealed record CalendarFeedRow
{
    public Guid Id { get; init; }
    public Guid PracticeId { get; init; }
    public Guid TherapistId { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>A session as the feed shows it: when, what kind, how, its state and version, and who (for initials
/// only).</summary>
internal sealed record FeedSessionRow
{
    public Guid Id { get; init; }
    public string Kind { get; init; } = "";
    public string Modality { get; init; } = "";
    public DateTime StartsAt { get; init; }
    public DateTime EndsAt { get; init; }
    public string Status { get; init; } = "";
    public int Version { get; init; }
    public DateTime UpdatedAt { get; init; }
}

internal sealed record FeedParticipantRow
{
    public Guid SessionId { get; init; }
    public Guid ClientId { get; init; }
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
}
