namespace PracticeApi.Features.Integration;

/// <summary>
/// Delivers pending webhook deliveries from the outbox (Standard Webhooks: webhook-id, webhook-timestamp,
/// webhook-signature = v1,base64(HMAC-SHA256(secret, id.timestamp.body))). One instance at a time holds a subscription
/// (a lease renewed with every saved outcome) and sends its deliveries one after the other in event order; a refused
/// one holds the line for <see cref="InLineAttempts"/> attempts, then retries on its own schedule (about 28 hours) and
/// is dead-lettered (<c>failed</c>, redeliverable) when that runs out.
/// </summary>
internal sealed partial class WebhookDispatcher(Db db, TimeProvider clock, WebhookSender sender, FeedHorizon horizon,
    IConfiguration configuration, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    /// <summary>Waits after each failed attempt: about 28 hours in all before a delivery is given up.</summary>
    public static readonly TimeSpan[] Backoff =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(8), TimeSpan.FromHours(12),
    ];

    // Subscriptions claimed per pass, and sent to in parallel; each one's deliveries go out one at a time in event
    // order.
    private const int SubscriptionsPerPass = 64;
    private const int Parallelism = 16;
    private const int DeliveriesPerSubscription = 200;

    /// <summary>
    /// A delivery refused this many times leaves the line: from then on it is retried on its own schedule and later
    /// events to its subscription no longer wait for it (so a refused event holds the others back for one retry step at
    /// most).
    /// </summary>
    public const int InLineAttempts = 2;

    // One atomic statement takes subscriptions with due deliveries that no live lease holds: one instance at a time
    // sends to a subscription, so its events arrive in order whatever the number of instances. On SQL Server
    // subscriptions another instance is claiming are skipped (READPAST) and the taken ones locked until the statement
    // commits.
    private const string ClaimSql = $"""
        UPDATE WebhookSubscriptions SET DispatchOwner = @Owner, DispatchUntil = @Until
        WHERE Id IN (
            SELECT s.Id FROM WebhookSubscriptions s {SqlDialect.SkipLocked}
            WHERE s.DeletedAt IS NULL AND (s.DispatchUntil IS NULL OR s.DispatchUntil < @Now)
              AND EXISTS (
                  SELECT 1 FROM WebhookDeliveries d
                  WHERE d.PracticeId = s.PracticeId AND d.SubscriptionId = s.Id AND d.Status = 'pending'
                      AND d.NextAttemptAt <= @Now)
            ORDER BY s.DispatchUntil, s.Id {SqlDialect.Limit})
          AND DeletedAt IS NULL AND (DispatchUntil IS NULL OR DispatchUntil < @Now)
        """;

    private const string ClaimedSql = "SELECT Id, PracticeId, Url, Secret FROM WebhookSubscriptions WHERE DispatchOwner = @Owner";

    // A subscription's waiting deliveries in event order: by the change feed's position, below its horizon (on SQL
    // Server an event a transaction still open would place earlier is not passed).
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string WaitingSqlite = $"""
        SELECT d.Id, d.Attempts, d.NextAttemptAt, e.Id AS EventId, e.Position AS Sequence, e.Payload
        FROM WebhookDeliveries d JOIN OutboxEvents e ON e.Id = d.EventId
        WHERE d.PracticeId = @PracticeId AND d.SubscriptionId = @SubscriptionId AND d.Status = 'pending'
            AND e.Position < @Horizon
        ORDER BY e.Position {SqlDialect.Limit}
        """;

    [SqlDialectOnly(DatabaseProvider.SqlServer)]
    private const string WaitingSqlServer = $"""
        SELECT d.Id, d.Attempts, d.NextAttemptAt, e.Id AS EventId, CAST(e.Position AS BIGINT) AS Sequence, e.Payload
        FROM WebhookDeliveries d JOIN OutboxEvents e ON e.Id = d.EventId
        WHERE d.PracticeId = @PracticeId AND d.SubscriptionId = @SubscriptionId AND d.Status = 'pending'
            AND e.Position < CAST(@Horizon AS BINARY(8))
        ORDER BY e.Position {SqlDialect.Limit}
        """;

    private const string RecordSql = """
        INSERT INTO WebhookAttempts (Id, PracticeId, DeliveryId, AttemptedAt, StatusCode, Error, DurationMs)
        VALUES (@AttemptId, @PracticeId, @Id, @Now, @StatusCode, @Error, @DurationMs)
        """;

    private const string OutcomeSql = """
        UPDATE WebhookDeliveries SET Status = @Status, Attempts = Attempts + 1, NextAttemptAt = @Next,
            LastStatusCode = @StatusCode, LastError = @Error, DeliveredAt = @DeliveredAt
        WHERE Id = @Id AND Status = 'pending'
        """;

    // Saved with each outcome: the lease lasts one attempt more from here, and 0 rows means another instance holds it
    // now.
    private const string RenewSql = "UPDATE WebhookSubscriptions SET DispatchUntil = @Until WHERE Id = @Id AND DispatchOwner = @Owner";

    private const string ReleaseSql = "UPDATE WebhookSubscriptions SET DispatchOwner = NULL, DispatchUntil = NULL WHERE Id = @Id AND DispatchOwner = @Owner";

    internal sealed record SubscriptionRow
    {
        public Guid Id { get; init; }
        public Guid PracticeId { get; init; }
        public string Url { get; init; } = "";
        public string Secret { get; init; } = "";
    }

    internal sealed record DueRow
    {
        public Guid Id { get; init; }
        public int Attempts { get; init; }
        public DateTime? NextAttemptAt { get; init; }
        public Guid EventId { get; init; }
        public long Sequence { get; init; }
        public string Payload { get; init; } = "{}";
    }

    private readonly TimeSpan _poll = TimeSpan.FromMilliseconds(configuration.GetValue(
        "Webhooks:PollMilliseconds", 2000));
    private readonly bool _enabled = configuration.GetValue("Webhooks:DispatcherEnabled", true);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _enabled ? Infrastructure.PollingLoop.RunAsync(DeliverDueAsync, _poll, e => LogPollFailed(logger, e.GetType()
            .Name), stoppingToken) : Task.CompletedTask;

    /// <summary>
    /// One pass: claims the subscriptions with due deliveries that no other instance holds, and sends each one's
    /// deliveries one at a time in event order (subscriptions in parallel), saving every outcome as soon as it is
    /// known, with the lease renewed. A crash re-sends at most the delivery in flight per subscription, once the lease
    /// runs out. Returns how many deliveries were attempted.
    /// </summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        // A fresh owner per pass: only this pass's claims are read back, whatever an earlier pass left behind.
        var owner = $"{_instance}:{Guid.NewGuid():N}";
        var now = clock.GetUtcNow().UtcDateTime;
        List<SubscriptionRow> subscriptions;
        long below;
        await using (var c = await db.BeginWriteAsync(ct))
        {
            var claimed = await c.ExecuteAsync(ClaimSql, new { Owner = owner, Until = now + Lease, Now = now,
                Limit = SubscriptionsPerPass });
            if (claimed == 0) return 0;
            subscriptions = await c.QueryAsync<SubscriptionRow>(ClaimedSql, new { Owner = owner });
            below = await horizon.ReadAsync(c, ct);
            await c.CommitAsync();
        }

        var attempted = 0;
        await Parallel.ForEachAsync(subscriptions, new ParallelOptions { MaxDegreeOfParallelism = Parallelism,
            CancellationToken = ct },
            async (subscription, token) => Interlocked.Add(ref attempted, await SendInOrderAsync(subscription, owner,
                below, token)));
        return attempted;
    }

    private async Task<int> SendInOrderAsync(SubscriptionRow subscription, string owner, long below,
        CancellationToken ct)
    {
        var attempted = 0;
        try
        {
            List<DueRow> waiting;
            await using (var c = await db.BeginReadAsync(ct))
            {
                waiting = await c.QueryAsync<DueRow>(
                    c.Provider == DatabaseProvider.SqlServer ? WaitingSqlServer : WaitingSqlite,
                    new { subscription.PracticeId, SubscriptionId = subscription.Id, Horizon = below, Limit = DeliveriesPerSubscription });
            }

            foreach (var delivery in waiting)
            {
                var inLine = delivery.Attempts < InLineAttempts;
                if (delivery.NextAttemptAt > clock.GetUtcNow().UtcDateTime)
                {
                    // Waiting for its retry: while still in line, the later ones wait with it.
                    if (inLine) break;
                    continue;
                }

                var attempt = await sender.AttemptAsync(subscription, delivery, ct);
                attempted++;
                if (!await SaveAsync(subscription, owner, attempt,
                    ct)) return attempted; // another instance holds it now
                if (!attempt.Delivered && inLine) break;
            }
        }
        finally
        {
            await db.ExecuteAsync(ReleaseSql, new { subscription.Id, Owner = owner }, CancellationToken.None);
        }

        return attempted;
    }

    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// How long a claim on a subscription lasts from its last saved outcome: one attempt's timeout plus a minute. A
    /// crashed instance's subscriptions come free after it.
    /// </summary>
    public TimeSpan Lease => sender.Timeout + TimeSpan.FromSeconds(60);

    /// <summary>
    /// Saves one attempt and its outcome, and renews the claim, in one transaction. False when the claim was lost (this
    /// instance stalled past its lease and another took the subscription): then this pass sends nothing more to it.
    /// </summary>
    private async Task<bool> SaveAsync(SubscriptionRow subscription, string owner, WebhookSender.Attempt attempt,
        CancellationToken ct)
    {
        var delivery = attempt.Delivery;
        var number = delivery.Attempts + 1;
        var givenUp = !attempt.Delivered && number > Backoff.Length;
        await using var c = await db.BeginWriteAsync(CancellationToken.None);
        await c.ExecuteAsync(RecordSql, new
        {
            AttemptId = Guid.CreateVersion7(), subscription.PracticeId, delivery.Id, Now = attempt.At, attempt.StatusCode, attempt.Error, attempt.DurationMs,
        });
        await c.ExecuteAsync(OutcomeSql, new
        {
            delivery.Id, Status = attempt.Delivered ? "delivered" : givenUp ? "failed" : "pending",
            Next = attempt.Delivered || givenUp ? (DateTime?)null : attempt.At + Backoff[number - 1],
            attempt.StatusCode, attempt.Error, DeliveredAt = attempt.Delivered ? attempt.At : (DateTime?)null,
        });
        var held = await c.ExecuteAsync(RenewSql, new { subscription.Id, Owner = owner, Until = clock.GetUtcNow()
            .UtcDateTime + Lease }) == 1;
        await c.CommitAsync();
        return held && !ct.IsCancellationRequested;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook dispatch pass failed: {ExceptionType}")]
    private static partial void LogPollFailed(ILogger logger, string exceptionType);
}
