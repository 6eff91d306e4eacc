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

    private const int BatchSize = 20;

    // One atomic statement takes due deliveries that no live lease holds; on SQL Server rows another instance is
    // claiming are skipped (READPAST) and the taken ones locked until the statement commits.
    private const string ClaimSql = $"""
        UPDATE WebhookDeliveries SET LeaseOwner = @Owner, LeaseUntil = @Until
        WHERE Id IN (
            SELECT d.Id FROM WebhookDeliveries d {SqlDialect.SkipLocked}
            JOIN WebhookSubscriptions s ON s.Id = d.SubscriptionId
            WHERE d.Status = 'pending' AND d.NextAttemptAt <= @Now AND (d.LeaseUntil IS NULL OR d.LeaseUntil < @Now) AND s.DeletedAt IS NULL
            ORDER BY d.NextAttemptAt {SqlDialect.Limit})
          AND Status = 'pending' AND (LeaseUntil IS NULL OR LeaseUntil < @Now)
        """;

    private const string ClaimedSql = """
        SELECT d.Id, d.PracticeId, d.Attempts, s.Url, s.Secret, e.Id AS EventId, e.Payload
        FROM WebhookDeliveries d
        JOIN WebhookSubscriptions s ON s.Id = d.SubscriptionId
        JOIN OutboxEvents e ON e.Id = d.EventId
        WHERE d.LeaseOwner = @Owner AND d.Status = 'pending'
        ORDER BY d.NextAttemptAt
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

    private sealed record DueRow
    {
        public Guid Id { get; init; }
        public Guid PracticeId { get; init; }
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

    /// <summary>One pass over the due deliveries; returns how many were attempted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        // A fresh owner per pass: only this pass's claims are read back, whatever an earlier pass left behind.
        var owner = $"{_instance}:{Guid.NewGuid():N}";
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await db.OpenAsync(ct);
        var claimed = await connection.ExecuteAsync(new CommandDefinition(db.Sql(ClaimSql),
            new { Owner = owner, Until = now + _lease, Now = now, Limit = BatchSize }, cancellationToken: ct));
        if (claimed == 0) return 0;
        var due = (await connection.QueryAsync<DueRow>(new CommandDefinition(ClaimedSql, new { Owner = owner }, cancellationToken: ct))).AsList();
        foreach (var delivery in due) await AttemptAsync(connection, delivery, owner, ct);
        return due.Count;
    }

    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}";

    // Long enough for a whole batch of attempts that each time out; a crashed instance's claims come free after it.
    private readonly TimeSpan _lease = TimeSpan.FromSeconds(configuration.GetValue("Webhooks:TimeoutSeconds", 10) * BatchSize + 60);

    private async Task AttemptAsync(System.Data.Common.DbConnection connection, DueRow delivery, string owner, CancellationToken ct)
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

        var delivered = status is >= 200 and < 300;
        error ??= delivered ? null : $"receiver answered {status}";
        var attempt = delivery.Attempts + 1;
        var givenUp = !delivered && attempt > Backoff.Length;
        var nowUtc = now.UtcDateTime;
        await connection.ExecuteAsync(new CommandDefinition(RecordSql, new
        {
            AttemptId = Guid.CreateVersion7(), delivery.PracticeId, delivery.Id, Now = nowUtc, StatusCode = status, Error = error,
            DurationMs = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        }, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(OutcomeSql, new
        {
            delivery.Id, Owner = owner, Status = delivered ? "delivered" : givenUp ? "failed" : "pending",
            Next = delivered || givenUp ? (DateTime?)null : nowUtc + Backoff[attempt - 1],
            StatusCode = status, Error = error, DeliveredAt = delivered ? nowUtc : (DateTime?)null,
        }, cancellationToken: ct));
    }

    /// <summary>v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), the key being the base64 part of whsec_….</summary>
    public static string Sign(string secret, string id, string timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
    }

    /// <summary>Resolves the host and connects only to addresses the target policy allows (no DNS rebinding to private addresses).</summary>
    private static async ValueTask<Stream> ConnectAsync(WebhookTargets targets, SocketsHttpConnectionContext context, CancellationToken ct)
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
