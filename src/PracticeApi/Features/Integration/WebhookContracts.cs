using FluentValidation;

namespace PracticeApi.Features.Integration;

/// <param name="Url">An https URL that receives the events (http only for loopback in development).</param>
/// <param name="Events">The event types to receive (at least one).</param>
public sealed record WebhookRequest(string Url, IReadOnlyList<EventType> Events);

/// <summary>The signing secret (whsec_…) is in this response once and never again.</summary>
/// <param name="Id">The subscription's id.</param>
/// <param name="Url">Where events are posted.</param>
/// <param name="Events">The event types sent to it.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="Secret">The signing secret (Standard Webhooks, whsec_...); shown in this response only, store it
/// now.</param>
public sealed record CreatedWebhookResponse(Guid Id, string Url, IReadOnlyList<string> Events, DateTime CreatedAt,
    string Secret);

/// <param name="Id">The subscription's id.</param>
/// <param name="Url">Where events are posted.</param>
/// <param name="Events">The event types sent to it.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
public sealed record WebhookResponse(Guid Id, string Url, IReadOnlyList<string> Events, DateTime CreatedAt);

/// <param name="AttemptedAt">When the attempt was made (UTC).</param>
/// <param name="StatusCode">The receiver's HTTP status, if it answered.</param>
/// <param name="Error">Why the attempt failed, if it did.</param>
/// <param name="DurationMs">How long the attempt took, in milliseconds.</param>
public sealed record WebhookAttempt(DateTime AttemptedAt, int? StatusCode, string? Error, int DurationMs);

/// <param name="Id">The delivery's id.</param>
/// <param name="EventId">The event delivered (the webhook-id header).</param>
/// <param name="EventType">The event's type.</param>
/// <param name="Status">pending, delivered or failed (failed after the last retry: a dead letter that can be
/// redelivered).</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="NextAttemptAt">When the next attempt is due (UTC).</param>
/// <param name="LastStatusCode">The receiver's status on the last attempt.</param>
/// <param name="LastError">The last attempt's error.</param>
/// <param name="CreatedAt">When the delivery was queued (UTC).</param>
/// <param name="DeliveredAt">When the receiver accepted it (UTC).</param>
/// <param name="AttemptLog">Every attempt, oldest first.</param>
public sealed record DeliveryResponse(
    Guid Id, Guid EventId, EventType EventType, DeliveryStatus Status, int Attempts, DateTime? NextAttemptAt, int? LastStatusCode, string? LastError,
    DateTime CreatedAt, DateTime? DeliveredAt, IReadOnlyList<WebhookAttempt> AttemptLog);

/// <summary>A subscription's deliveries, oldest first; <c>status=failed</c> lists the dead letters (each can be
/// redelivered).</summary>
public sealed record DeliveryListQuery : IPageQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    /// <summary>pending, delivered or failed (given up after every retry, or abandoned with its
    /// subscription).</summary>
    public OneOf<DeliveryStatus>? Status { get; init; }
}

internal sealed class DeliveryListQueryValidator : AbstractValidator<DeliveryListQuery>
{
    public DeliveryListQueryValidator()
    {
        this.ApplyPaging();
    }
}

/// <param name="Id">The event's id (the same as the webhook-id of its deliveries).</param>
/// <param name="Type">The event's type, such as session.completed.</param>
/// <param name="OccurredAt">When it happened (UTC).</param>
/// <param name="Data">The event's payload: ids and facts, never clinical text.</param>
public sealed record FeedEvent(Guid Id, EventType Type, DateTime OccurredAt, IReadOnlyDictionary<string, object?> Data);

public sealed record FeedQuery
{
    public int? Limit { get; init; }
    public string? After { get; init; }
}

/// <param name="NextCursor">Where to continue: pass it as ?after= next time (it is returned even when nothing new
/// came).</param>
/// <param name="Items">The events after the cursor, oldest first.</param>
/// <param name="HasMore">True when more events wait: ask again at once.</param>
public sealed record FeedPage(IReadOnlyList<FeedEvent> Items, string NextCursor, bool HasMore);

internal sealed class WebhookRequestValidator : AbstractValidator<WebhookRequest>
{
    public WebhookRequestValidator()
    {
        RuleFor(r => r.Url).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.Events).NotEmpty().Must(e => e is null || e.Distinct().Count() == e.Count)
            .WithMessage("list each event once.");
    }
}

internal sealed class FeedQueryValidator : AbstractValidator<FeedQuery>
{
    public FeedQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxLimit);
        RuleFor(q => q.After).Must(a => a is null || (long.TryParse(a, out var seq) && seq >= 0))
            .WithMessage("after must be a cursor the feed returned.");
    }
}

/// <summary>Where a webhook delivery stands.</summary>
public enum DeliveryStatus { Pending, Delivered, Failed }
