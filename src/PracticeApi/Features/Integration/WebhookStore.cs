using System.Security.Cryptography;

namespace PracticeApi.Features.Integration;

internal sealed class WebhookStore(Db db, AuditLog audit, TimeProvider clock, WebhookTargets targets,
    FeedHorizon horizon)
{
    private const string InsertSql = """
        INSERT INTO WebhookSubscriptions (Id, PracticeId, Url, Events, Secret, CreatedBy, CreatedAt) VALUES (@Id,
            @PracticeId, @Url, @Events, @Secret, @CreatedBy, @Now)
        """;

    private static readonly string ListSql = $"""
        SELECT Id, Url, Events, CreatedAt FROM WebhookSubscriptions
        WHERE PracticeId = @PracticeId AND DeletedAt IS NULL AND Id > @After ORDER BY Id {SqlDialect.Limit}
        """;

    private const string ExistsSql = "SELECT Id FROM WebhookSubscriptions WHERE Id = @Id AND PracticeId = @PracticeId AND DeletedAt IS NULL";

    private const string DeleteSql = "UPDATE WebhookSubscriptions SET DeletedAt = @Now WHERE Id = @Id AND PracticeId = @PracticeId AND DeletedAt IS NULL";

    private const string AbandonSql = """
        UPDATE WebhookDeliveries SET Status = 'failed', NextAttemptAt = NULL, LastError = 'subscription deleted'
        WHERE PracticeId = @PracticeId AND SubscriptionId = @Id AND Status = 'pending'
        """;

    private static readonly string DeliveriesSql = $"""
        SELECT d.Id, d.EventId, e.Type AS EventType, d.Status, d.Attempts, d.NextAttemptAt, d.LastStatusCode,
            d.LastError, d.CreatedAt, d.DeliveredAt, e.Payload
        FROM WebhookDeliveries d JOIN OutboxEvents e ON e.Id = d.EventId
        WHERE d.PracticeId = @PracticeId AND d.SubscriptionId = @SubscriptionId AND d.Id > @After AND (@Status IS NULL
            OR d.Status = @Status)
        ORDER BY d.Id {SqlDialect.Limit}
        """;

    private const string AttemptsSql = """
        SELECT DeliveryId, AttemptedAt, StatusCode, Error, DurationMs FROM WebhookAttempts
            WHERE PracticeId = @PracticeId AND DeliveryId IN @Ids ORDER BY AttemptedAt
        """;

    private const string RedeliverSql = """
        UPDATE WebhookDeliveries SET Status = 'pending', NextAttemptAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND SubscriptionId = @SubscriptionId
        """;

    // Position: Seq on SQLite (commit order), rowversion on SQL Server (read below the horizon, see FeedHorizon).
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string FeedSqlite = $"""
        SELECT Position AS Seq, Id, Type, OccurredAt, Payload FROM OutboxEvents
        WHERE PracticeId = @PracticeId AND Position > @After AND Position < @Horizon ORDER BY Position {SqlDialect.Limit}
        """;

    [SqlDialectOnly(DatabaseProvider.SqlServer)]
    private const string FeedSqlServer = $"""
        SELECT CAST(Position AS BIGINT) AS Seq, Id, Type, OccurredAt, Payload FROM OutboxEvents
        WHERE PracticeId = @PracticeId AND Position > CAST(@After AS BINARY(8))
            AND Position < CAST(@Horizon AS BINARY(8))
        ORDER BY Position {SqlDialect.Limit}
        """;

    private sealed record SubscriptionRow
    {
        public Guid Id { get; init; }
        public string Url { get; init; } = "";
        public string Events { get; init; } = "";
        public DateTime CreatedAt { get; init; }

        public WebhookResponse ToResponse() => new(Id, Url, EventList(Events), CreatedAt);
    }

    private sealed record DeliveryRow
    {
        public Guid Id { get; init; }
        public Guid EventId { get; init; }
        public string EventType { get; init; } = "";
        public string Status { get; init; } = "";
        public int Attempts { get; init; }
        public DateTime? NextAttemptAt { get; init; }
        public int? LastStatusCode { get; init; }
        public string? LastError { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime? DeliveredAt { get; init; }
        public string Payload { get; init; } = "{}";
    }

    private sealed record AttemptRow
    {
        public Guid DeliveryId { get; init; }
        public DateTime AttemptedAt { get; init; }
        public int? StatusCode { get; init; }
        public string? Error { get; init; }
        public int DurationMs { get; init; }
    }

    private sealed record FeedRow
    {
        public long Seq { get; init; }
        public Guid Id { get; init; }
        public string Type { get; init; } = "";
        public DateTime OccurredAt { get; init; }
        public string Payload { get; init; } = "{}";
    }

    public async Task<Outcome<CreatedWebhookResponse>> CreateAsync(Caller caller, WebhookRequest request,
        CancellationToken ct)
    {
        if (await targets.CheckAsync(request.Url, ct) is { } refused) return Failure.Invalid("url", refused);
        var id = EntityIds.New();
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.BeginWriteAsync(ct);
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, request.Url, Events = "," + string.Join(",",
                request.Events.Select(e => e.Wire())) + ",", Secret = secret, CreatedBy = caller.ActorId, Now = now,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "webhook", id));
        await c.CommitAsync();
        return new CreatedWebhookResponse(id, request.Url, request.Events.Select(e => e.Wire()).ToList(), now, secret);
    }

    public async Task<IReadOnlyList<WebhookResponse>> ListAsync(Caller caller, IdPageQuery query, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return (await c.QueryAsync<SubscriptionRow>(ListSql, new
        {
            caller.PracticeId, After = Cursor.After(query.Cursor), Limit = query.EffectiveLimit() + 1,
        })).Select(r => r.ToResponse()).ToList();
    }

    public async Task<bool> DeleteAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var args = new { Id = id, caller.PracticeId, Now = clock.GetUtcNow().UtcDateTime };
        if (await c.ExecuteAsync(DeleteSql, args) == 0) return false;
        await c.ExecuteAsync(AbandonSql, args);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Delete, "webhook", id));
        await c.CommitAsync();
        return true;
    }

    public async Task<Page<DeliveryResponse>?> DeliveriesAsync(Caller caller, Guid subscriptionId,
        DeliveryListQuery query, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (await c.QuerySingleOrDefaultAsync<Guid?>(ExistsSql, new { Id = subscriptionId, caller.PracticeId }) is null)
        {
            return null;
        }

        var limit = query.EffectiveLimit();
        var rows = await c.QueryAsync<DeliveryRow>(DeliveriesSql, new
        {
            caller.PracticeId, SubscriptionId = subscriptionId, After = Cursor.After(
                query.Cursor), Status = query.Status?.Wire(), Limit = limit + 1,
        });
        var ids = rows.Take(limit).Select(r => r.Id).ToList();
        // The page hands out event ids, which name clients: audited like any read of them.
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "webhook_delivery", subscriptionId,
            rows.Take(limit).SelectMany(r => Outbox.ClientIdsOf(StoredJson.Read<EventEnvelope>(r.Payload).Data))
                .Distinct().ToList(), Detail: "list"), ct);
        var attempts = ids.Count == 0
            ? Array.Empty<AttemptRow>().ToLookup(a => a.DeliveryId)
            : (await c.QueryAsync<AttemptRow>(AttemptsSql, new { caller.PracticeId,
                Ids = ids })).ToLookup(a => a.DeliveryId);
        return Cursor.ToPage(rows, limit, r => [r.Id.ToString()], r => new DeliveryResponse(r.Id, r.EventId,
            ClosedSets.Parse<EventType>(r.EventType), ClosedSets.Parse<DeliveryStatus>(
                r.Status), r.Attempts, r.NextAttemptAt,
            r.LastStatusCode, r.LastError, r.CreatedAt, r.DeliveredAt, attempts[r.Id].Select(a => new WebhookAttempt(
                a.AttemptedAt, a.StatusCode, a.Error, a.DurationMs)).ToList()));
    }

    public async Task<bool> RedeliverAsync(Caller caller, Guid subscriptionId, Guid deliveryId, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (await c.QuerySingleOrDefaultAsync<Guid?>(ExistsSql, new { Id = subscriptionId, caller.PracticeId }) is null)
        {
            return false;
        }

        var changed = await c.ExecuteAsync(RedeliverSql, new
        {
            Id = deliveryId, caller.PracticeId, SubscriptionId = subscriptionId, Now = clock.GetUtcNow().UtcDateTime,
        });
        if (changed == 0) return false;
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "webhook_delivery", deliveryId,
            Detail: "redeliver"));
        await c.CommitAsync();
        return true;
    }

    /// <summary>The practice's events after a position, in the order they were committed.</summary>
    public async Task<FeedPage> FeedAsync(Caller caller, FeedQuery query, CancellationToken ct)
    {
        var after = query.After is null ? 0 : long.Parse(query.After);
        var limit = query.Limit ?? Cursor.DefaultLimit;
        await using var c = await db.BeginReadAsync(ct);
        var below = await horizon.ReadAsync(c, ct);
        var sql = c.Provider == DatabaseProvider.SqlServer ? FeedSqlServer : FeedSqlite;
        var rows = await c.QueryAsync<FeedRow>(sql, new { caller.PracticeId, After = after, Horizon = below,
            Limit = limit + 1 });
        var kept = rows.Take(limit).ToList();
        var items = kept.Select(r => new FeedEvent(r.Id, ClosedSets.Parse<EventType>(r.Type), r.OccurredAt,
            StoredJson.Read<EventEnvelope>(r.Payload)
            .Data)).ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "change_feed", null,
            items.SelectMany(e => Outbox.ClientIdsOf(e.Data)).Distinct().ToList(), Detail: "events"), ct);
        return new FeedPage(items, (kept.Count > 0 ? kept[^1].Seq : after)
            .ToString(System.Globalization.CultureInfo.InvariantCulture), rows.Count > limit);
    }

    private static IReadOnlyList<string> EventList(string events) => events.Split(',',
        StringSplitOptions.RemoveEmptyEntries);
}
