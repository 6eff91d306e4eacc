using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using PracticeApi.Infrastructure.Data;

namespace PracticeApi.Features.Integration;

/// <summary>
/// Delivers pending webhook deliveries from the outbox (Standard Webhooks: webhook-id, webhook-timestamp,
/// webhook-signature = v1,base64(HMAC-SHA256(secret, id.timestamp.body))). Failed attempts back off exponentially for
/// more than 24 hours; a delivery is claimed with a lease, so a crash or restart only delays it.
/// </summary>
public sealed partial class WebhookDispatcher(Db db, TimeProvider clock, WebhookTargets targets, IConfiguration configuration, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    /// <summary>Waits after each failed attempt: about 28 hours in all before a delivery is given up.</summary>
    public static readonly TimeSpan[] Backoff =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(8), TimeSpan.FromHours(12),
    ];

    // Deliveries claimed per pass. Within a pass each subscription's deliveries go out one at a time in event order, and
    // subscriptions in parallel; the outcomes are written together at the end of the pass.
    private const int BatchSize = 500;
    private const int Parallelism = 16;

    // One atomic statement takes due deliveries that no live lease holds; on SQL Server rows another instance is
    // claiming are skipped (READPAST) and the taken ones locked until the statement commits. A delivery waits while an
    // earlier event's delivery to the same subscription waits for its retry, so each subscription gets its events in order.
    private const string ClaimSql = $"""
        UPDATE WebhookDeliveries SET LeaseOwner = @Owner, LeaseUntil = @Until
        WHERE Id IN (
            SELECT d.Id FROM WebhookDeliveries d {SqlDialect.SkipLocked}
            JOIN WebhookSubscriptions s ON s.Id = d.SubscriptionId
            JOIN OutboxEvents e ON e.Id = d.EventId
            WHERE d.Status = 'pending' AND d.NextAttemptAt <= @Now AND (d.LeaseUntil IS NULL OR d.LeaseUntil < @Now) AND s.DeletedAt IS NULL
              -- In order per subscription: not while an earlier event's delivery to the same subscription waits for its retry.
              AND NOT EXISTS (
                  SELECT 1 FROM WebhookDeliveries p
                  JOIN OutboxEvents pe ON pe.Id = p.EventId
                  WHERE p.PracticeId = d.PracticeId AND p.SubscriptionId = d.SubscriptionId AND p.Status = 'pending'
                    AND pe.Seq < e.Seq AND p.NextAttemptAt > @Now)
            ORDER BY d.NextAttemptAt {SqlDialect.Limit})
          AND Status = 'pending' AND (LeaseUntil IS NULL OR LeaseUntil < @Now)
        """;

    private const string ClaimedSql = """
        SELECT d.Id, d.PracticeId, d.SubscriptionId, d.Attempts, s.Url, s.Secret, e.Id AS EventId, e.Payload
        FROM WebhookDeliveries d
        JOIN WebhookSubscriptions s ON s.Id = d.SubscriptionId
        JOIN OutboxEvents e ON e.Id = d.EventId
        WHERE d.LeaseOwner = @Owner AND d.Status = 'pending'
        ORDER BY e.Seq
        """;

    private const string RecordSql = """
        INSERT INTO WebhookAttempts (Id, PracticeId, DeliveryId, AttemptedAt, StatusCode, Error, DurationMs)
        VALUES (@AttemptId, @PracticeId, @Id, @Now, @StatusCode, @Error, @DurationMs)
        """;

    private const string OutcomeSql = """
        UPDATE WebhookDeliveries SET Status = @Status, Attempts = Attempts + 1, NextAttemptAt = @Next, LastStatusCode = @StatusCode, LastError = @Error,
               DeliveredAt = @DeliveredAt, LeaseOwner = NULL, LeaseUntil = NULL
        WHERE Id = @Id AND LeaseOwner = @Owner
        """;

    // A claimed delivery not attempted in this pass (an earlier one of its subscription failed): free for the next pass.
    private const string ReleaseSql = "UPDATE WebhookDeliveries SET LeaseOwner = NULL, LeaseUntil = NULL WHERE Id = @Id AND LeaseOwner = @Owner";

    private sealed record DueRow
    {
        public Guid Id { get; init; }
        public Guid PracticeId { get; init; }
        public Guid SubscriptionId { get; init; }
        public int Attempts { get; init; }
        public string Url { get; init; } = "";
        public string Secret { get; init; } = "";
        public Guid EventId { get; init; }
        public string Payload { get; init; } = "{}";
    }

    private readonly TimeSpan _poll = TimeSpan.FromMilliseconds(configuration.GetValue("Webhooks:PollMilliseconds", 2000));
    private readonly bool _enabled = configuration.GetValue("Webhooks:DispatcherEnabled", true);

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ConnectCallback = (context, ct) => ConnectAsync(targets, context, ct),
    })
    {
        Timeout = TimeSpan.FromSeconds(configuration.GetValue("Webhooks:TimeoutSeconds", 10)),
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_enabled || Infrastructure.Http.ApiDocumentation.IsGeneratingDocument) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DeliverDueAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(logger, e.GetType().Name);
            }

            try
            {
                await Task.Delay(_poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One pass over the due deliveries; returns how many were claimed. Each subscription's deliveries are sent one at a time in
    /// event order (a failure holds back the rest of that subscription's until the next pass), subscriptions in parallel;
    /// the attempts and outcomes are written in one transaction at the end. A crash before that write means the deliveries
    /// are sent again once their lease runs out: delivery is at least once, and receivers dedupe on webhook-id.
    /// </summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        // A fresh owner per pass: only this pass's claims are read back, whatever an earlier pass left behind.
        var owner = $"{_instance}:{Guid.NewGuid():N}";
        var now = clock.GetUtcNow().UtcDateTime;
        List<DueRow> due;
        await using (var connection = await db.OpenAsync(ct))
        {
            var claimed = await connection.ExecuteAsync(new CommandDefinition(db.Sql(ClaimSql),
                new { Owner = owner, Until = now + _lease, Now = now, Limit = BatchSize }, cancellationToken: ct));
            if (claimed == 0) return 0;
            due = (await connection.QueryAsync<DueRow>(new CommandDefinition(ClaimedSql, new { Owner = owner }, cancellationToken: ct))).AsList();
        }

        var outcomes = new System.Collections.Concurrent.ConcurrentBag<Attempt>();
        var held = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(due.GroupBy(d => d.SubscriptionId), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (subscription, token) =>
            {
                var failed = false;
                foreach (var delivery in subscription)
                {
                    if (failed)
                    {
                        held.Add(delivery.Id);
                        continue;
                    }

                    var attempt = await AttemptAsync(delivery, token);
                    outcomes.Add(attempt);
                    failed = !attempt.Delivered;
                }
            });

        await using (var connection = await db.OpenAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            foreach (var attempt in outcomes) await RecordAsync(connection, tx, attempt, owner, ct);
            foreach (var id in held) await connection.ExecuteAsync(new CommandDefinition(ReleaseSql, new { Id = id, Owner = owner }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }

        return due.Count;
    }

    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}";

    // Long enough for a whole pass in which every subscription's attempts time out; a crashed instance's claims come free after it.
    private readonly TimeSpan _lease = TimeSpan.FromSeconds(configuration.GetValue("Webhooks:TimeoutSeconds", 10) * (BatchSize / Parallelism + 1) + 60);

    private sealed record Attempt(DueRow Delivery, DateTime At, int? StatusCode, string? Error, int DurationMs)
    {
        public bool Delivered => StatusCode is >= 200 and < 300;
    }

    private async Task<Attempt> AttemptAsync(DueRow delivery, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        int? status = null;
        string? error = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
            };
            var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            request.Headers.Add("webhook-id", delivery.EventId.ToString());
            request.Headers.Add("webhook-timestamp", timestamp);
            request.Headers.Add("webhook-signature", Sign(delivery.Secret, delivery.EventId.ToString(), timestamp, delivery.Payload));
            using var response = await _http.SendAsync(request, ct);
            status = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException && !ct.IsCancellationRequested)
        {
            error = e is TaskCanceledException ? "timed out" : Truncate(e.Message);
        }

        error ??= status is >= 200 and < 300 ? null : $"receiver answered {status}";
        return new Attempt(delivery, now.UtcDateTime, status, error, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static async Task RecordAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, Attempt attempt, string owner,
        CancellationToken ct)
    {
        var delivery = attempt.Delivery;
        var number = delivery.Attempts + 1;
        var givenUp = !attempt.Delivered && number > Backoff.Length;
        await connection.ExecuteAsync(new CommandDefinition(RecordSql, new
        {
            AttemptId = Guid.CreateVersion7(), delivery.PracticeId, delivery.Id, Now = attempt.At, attempt.StatusCode, attempt.Error, attempt.DurationMs,
        }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(OutcomeSql, new
        {
            delivery.Id, Owner = owner, Status = attempt.Delivered ? "delivered" : givenUp ? "failed" : "pending",
            Next = attempt.Delivered || givenUp ? (DateTime?)null : attempt.At + Backoff[number - 1],
            attempt.StatusCode, attempt.Error, DeliveredAt = attempt.Delivered ? attempt.At : (DateTime?)null,
        }, tx, cancellationToken: ct));
    }

    /// <summary>v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), the key being the base64 part of whsec_….</summary>
    public static string Sign(string secret, string id, string timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
    }

    /// <summary>Resolves the host and connects only to addresses the target policy allows (no DNS rebinding to private addresses).</summary>
    internal static async ValueTask<Stream> ConnectAsync(WebhookTargets targets, SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = System.Net.IPAddress.TryParse(host, out var literal) ? [literal] : await System.Net.Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(targets.IsAllowed).ToArray();
        if (allowed.Length == 0) throw new HttpRequestException($"refused: {host} does not resolve to an allowed public address");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300];

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook dispatch pass failed: {ExceptionType}")]
    private static partial void LogPollFailed(ILogger logger, string exceptionType);
}
