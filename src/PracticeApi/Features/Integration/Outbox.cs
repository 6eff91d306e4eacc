using System.Text.Json.Serialization;

namespace PracticeApi.Features.Integration;

public static class EventTypes
{
    public const string ClientCreated = "client.created";
    public const string ClientUpdated = "client.updated";
    public const string SessionScheduled = "session.scheduled";
    public const string SessionUpdated = "session.updated";
    public const string SessionCancelled = "session.cancelled";
    public const string SessionCompleted = "session.completed";
    public const string AssignmentCreated = "assignment.created";
    public const string AssignmentCancelled = "assignment.cancelled";
    public const string ResponseSubmitted = "response.submitted";
    public const string CoupleSafetyHoldChanged = "couple.safety_hold_changed";
    public const string ClientErased = "client.erased";
    public const string OccurrenceDue = "assignment.occurrence_due";
    public const string OccurrenceMissed = "assignment.occurrence_missed";
    public const string InvoiceIssued = "invoice.issued";
    public const string InvoicePaid = "invoice.paid";
    public const string InvoiceOverdue = "invoice.overdue";
    public const string SessionReminderDue = "session.reminder_due";
    public const string MeasureCriticalItem = "measure.critical_item";

    public static readonly IReadOnlyList<string> All = ClosedSets.Names<EventType>();
}

/// <summary>A kind of event a webhook subscribes to (the names of <see cref="EventTypes"/>).</summary>
public enum EventType
{
    [JsonStringEnumMemberName(EventTypes.ClientCreated)] ClientCreated,
    [JsonStringEnumMemberName(EventTypes.ClientUpdated)] ClientUpdated,
    [JsonStringEnumMemberName(EventTypes.SessionScheduled)] SessionScheduled,
    [JsonStringEnumMemberName(EventTypes.SessionUpdated)] SessionUpdated,
    [JsonStringEnumMemberName(EventTypes.SessionCancelled)] SessionCancelled,
    [JsonStringEnumMemberName(EventTypes.SessionCompleted)] SessionCompleted,
    [JsonStringEnumMemberName(EventTypes.AssignmentCreated)] AssignmentCreated,
    [JsonStringEnumMemberName(EventTypes.AssignmentCancelled)] AssignmentCancelled,
    [JsonStringEnumMemberName(EventTypes.ResponseSubmitted)] ResponseSubmitted,
    [JsonStringEnumMemberName(EventTypes.CoupleSafetyHoldChanged)] CoupleSafetyHoldChanged,
    [JsonStringEnumMemberName(EventTypes.ClientErased)] ClientErased,
    [JsonStringEnumMemberName(EventTypes.OccurrenceDue)] OccurrenceDue,
    [JsonStringEnumMemberName(EventTypes.OccurrenceMissed)] OccurrenceMissed,
    [JsonStringEnumMemberName(EventTypes.InvoiceIssued)] InvoiceIssued,
    [JsonStringEnumMemberName(EventTypes.InvoicePaid)] InvoicePaid,
    [JsonStringEnumMemberName(EventTypes.InvoiceOverdue)] InvoiceOverdue,
    [JsonStringEnumMemberName(EventTypes.SessionReminderDue)] SessionReminderDue,
    [JsonStringEnumMemberName(EventTypes.MeasureCriticalItem)] MeasureCriticalItem,
}

/// <summary>The event as delivered and polled: ids, types and times only, never clinical text.</summary>
public sealed record EventEnvelope(string Type, DateTime Timestamp, IReadOnlyDictionary<string, object?> Data);

/// <summary>
/// The transactional outbox: an event is written in the same transaction as the change that caused it, together with
/// one pending delivery per matching webhook subscription, so a committed change always fires and a crash loses
/// nothing.
/// </summary>
public sealed class Outbox(TimeProvider clock)
{
    private const string InsertEventSql = """
        INSERT INTO OutboxEvents (Id, PracticeId, Type, OccurredAt, Payload) VALUES (@Id, @PracticeId, @Type,
            @OccurredAt, @Payload)
        """;

    internal const string SubscribersSql = """
        SELECT Id FROM WebhookSubscriptions WHERE PracticeId = @PracticeId AND DeletedAt IS NULL
            AND Events LIKE @Pattern
        """;

    private const string InsertDeliverySql = """
        INSERT INTO WebhookDeliveries (Id, PracticeId, SubscriptionId, EventId, Status, Attempts,
            NextAttemptAt, CreatedAt)
        VALUES (@Id, @PracticeId, @SubscriptionId, @EventId, 'pending', 0, @Now, @Now)
        """;

    public async Task PublishAsync(DbWrite c, Guid practiceId, EventType kind, IReadOnlyDictionary<string, object?> data,
        CancellationToken ct)
    {
        var type = kind.Wire();
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow().UtcDateTime;
        // Commands prepared once per connection and bound by position (every change publishes inside the write it
        // commits with).
        await using (var insertEvent = c.Repeated(InsertEventSql, "Id", "PracticeId", "Type", "OccurredAt", "Payload"))
        {
            await insertEvent.ExecuteAsync(id, practiceId, type, now, StoredJson.Write(new EventEnvelope(type,
                now, data)));
        }

        List<Guid> subscribers;
        await using (var query = c.Repeated(SubscribersSql, "PracticeId", "Pattern"))
        {
            subscribers = await query.ReadAllAsync([practiceId, $"%,{type},%"], row => row.Id(0), ct);
        }

        if (subscribers.Count == 0) return;
        await using var insertDelivery = c.Repeated(InsertDeliverySql, "Id", "PracticeId", "SubscriptionId",
            "EventId", "Now");
        foreach (var subscriber in subscribers) await insertDelivery.ExecuteAsync(EntityIds.New(), practiceId,
            subscriber, id, now);
    }

    /// <summary>The clients an event names (its data.clientIds), for auditing whoever reads it.</summary>
    public static IEnumerable<Guid> ClientIdsOf(IReadOnlyDictionary<string, object?> data) =>
        data.TryGetValue("clientIds",
            out var value)
            && value is System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } ids
            ? ids.EnumerateArray().Select(i => i.TryGetGuid(out var g) ? g : Guid.Empty)
                .Where(g => g != Guid.Empty).ToList()
            : [];

    public Task PublishAsync(DbWrite c, Guid practiceId, EventType type, string idName, Guid id,
        IEnumerable<Guid>? clientIds, CancellationToken ct, params (string Key, object? Value)[] more)
    {
        var data = new Dictionary<string, object?> { [idName] = id };
        if (clientIds is not null) data["clientIds"] = clientIds.Distinct().ToList();
        foreach (var (key, value) in more) data[key] = value;
        return PublishAsync(c, practiceId, type, data, ct);
    }
}
