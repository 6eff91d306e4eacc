using FluentValidation;

namespace PracticeApi.Features.Integration;

public sealed record WebhookRequest(string Url, IReadOnlyList<string> Events);

/// <summary>The signing secret (whsec_…) is in this response once and never again.</summary>
public sealed record CreatedWebhookResponse(Guid Id, string Url, IReadOnlyList<string> Events, DateTime CreatedAt, string Secret);

public sealed record WebhookResponse(Guid Id, string Url, IReadOnlyList<string> Events, DateTime CreatedAt);

public sealed record WebhookAttempt(DateTime AttemptedAt, int? StatusCode, string? Error, int DurationMs);

public sealed record DeliveryResponse(
    Guid Id, Guid EventId, string EventType, string Status, int Attempts, DateTime? NextAttemptAt, int? LastStatusCode, string? LastError,
    DateTime CreatedAt, DateTime? DeliveredAt, IReadOnlyList<WebhookAttempt> AttemptLog);

/// <summary>A subscription's deliveries, oldest first; <c>status=failed</c> lists the dead letters (each can be redelivered).</summary>
public sealed record DeliveryListQuery : IPageQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    /// <summary>pending, delivered or failed (given up after every retry, or abandoned with its subscription).</summary>
    public string? Status { get; init; }
}

internal static class DeliveryStatuses
{
    public static readonly string[] All = ["pending", "delivered", "failed"];
}

internal sealed class DeliveryListQueryValidator : AbstractValidator<DeliveryListQuery>
{
    public DeliveryListQueryValidator()
    {
        this.ApplyPaging();
        RuleFor(q => q.Status).Must(s => s is null || DeliveryStatuses.All.Contains(s)).WithMessage($"status must be one of: {string.Join(", ", DeliveryStatuses.All)}.");
    }
}

public sealed record FeedEvent(Guid Id, string Type, DateTime OccurredAt, IReadOnlyDictionary<string, object?> Data);

public sealed record FeedQuery
{
    public int? Limit { get; init; }
    public string? After { get; init; }
}

/// <param name="NextCursor">Where to continue: pass it as ?after= next time (it is returned even when nothing new came).</param>
public sealed record FeedPage(IReadOnlyList<FeedEvent> Items, string NextCursor, bool HasMore);

internal sealed class WebhookRequestValidator : AbstractValidator<WebhookRequest>
{
    public WebhookRequestValidator()
    {
        RuleFor(r => r.Url).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.Events).NotEmpty().Must(e => e is null || e.Distinct().Count() == e.Count).WithMessage("list each event once.");
        RuleForEach(r => r.Events).Must(e => EventTypes.All.Contains(e)).WithMessage($"unknown event; known events: {string.Join(", ", EventTypes.All)}.");
    }
}

internal sealed class FeedQueryValidator : AbstractValidator<FeedQuery>
{
    public FeedQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxLimit);
        RuleFor(q => q.After).Must(a => a is null || (long.TryParse(a, out var seq) && seq >= 0)).WithMessage("after must be a cursor the feed returned.");
    }
}

