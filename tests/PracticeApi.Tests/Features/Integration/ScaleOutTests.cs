using System.Data.Common;
using System.Net.Http.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PracticeApi.Features.Integration;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Integration;

/// <summary>Several API instances on one database: webhook deliveries are leased, the change feed reads below its
/// horizon.</summary>
public sealed class ScaleOutTests
{
    [Fact]
    public async Task Two_hosts_on_one_database_attempt_each_due_delivery_once_and_in_order_per_subscription()
    {
        using var receiver = new WebhookReceiver();
        using var other = new WebhookReceiver();
        using var database = new SharedDatabaseFile("two-hosts");
        var file = database.Path;
        await using var first = new RestartableWebhookApi(file, dispatcher: true);
        await using var second = new RestartableWebhookApi(file, dispatcher: true);
        var practice = await first.NewPracticeAsync();
        _ = second.Services; // starts the second host and its dispatcher
        foreach (var target in new[] { receiver, other })
        {
            var hook = await (await practice.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = target.Url,
                events = new[] { "client.created" } })).ReadJsonAsync(201);
            target.Secret = hook.GetProperty("secret").GetString();
        }

        const int events = 40;
        // Created from both hosts while both dispatchers poll (every 50 ms) and are driven by hand as well, at the same
        // time.
        var writers = new[] { practice.Admin, second.ClientWith(practice.AdminToken) };
        var dispatchers = new[] { first, second }.Select(
            h => h.Services.GetRequiredService<WebhookDispatcher>()).ToArray();
        for (var i = 0; i < events; i += 4)
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(j => writers[j % 2].CreateClientIdAsync()).Concat<Task>(
                Enumerable.Range(0, 4).Select(j => dispatchers[j % 2].DeliverDueAsync(CancellationToken.None))));
        }

        await Task.WhenAll(Enumerable.Range(0,
            10).Select(i => dispatchers[i % 2].DeliverDueAsync(CancellationToken.None)));
        await receiver.WaitForAsync(events);
        await other.WaitForAsync(events);
        await Task.Delay(500);

        foreach (var target in new[] { receiver, other })
        {
            Assert.Equal(events, target.Requests.Count);
            Assert.Equal(events, target.Requests.Select(r => r.Id).Distinct().Count());
            var sequence = Sequences(target);
            Assert.Equal(sequence.Order(), sequence);
            Assert.All(target.Requests, r => Assert.True(r.SignatureValid));
        }

        await using var connection = new SqliteConnection($"Data Source={file}");
        Assert.Equal(2 * events, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM WebhookAttempts"));
        Assert.Equal(0,
            await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM WebhookSubscriptions WHERE DispatchOwner IS NOT NULL"));
    }

    [Fact]
    public async Task A_lease_left_by_a_crashed_instance_holds_the_delivery_until_it_runs_out()
    {
        using var receiver = new WebhookReceiver();
        using var database = new SharedDatabaseFile("lease");
        var file = database.Path;
        await using var api = new RestartableWebhookApi(file, dispatcher: false);
        var practice = await api.NewPracticeAsync();
        var hook = await (await practice.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url,
            events = new[] { "client.created" } })).ReadJsonAsync(201);
        receiver.Secret = hook.GetProperty("secret").GetString();
        await practice.Admin.CreateClientIdAsync();
        await using (var connection = new SqliteConnection($"Data Source={file}"))
        {
            // Another instance claimed the subscription and died.
            await connection.ExecuteAsync(
                "UPDATE WebhookSubscriptions SET DispatchOwner = 'crashed:1', DispatchUntil = @Until",
                new { Until = api.Clock.GetUtcNow().UtcDateTime.AddMinutes(5) });
        }

        var dispatcher = api.Services.GetRequiredService<WebhookDispatcher>();
        Assert.Equal(0, await dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Empty(receiver.Requests);

        api.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, await dispatcher.DeliverDueAsync(CancellationToken.None));
        var received = await receiver.WaitForAsync(1);
        Assert.True(received[0].SignatureValid);
    }

    [Fact]
    public async Task Each_subscription_gets_its_deliveries_in_event_order_and_a_failure_holds_back_the_later_ones()
    {
        using var flaky = new WebhookReceiver(failFirst: 1);
        using var steady = new WebhookReceiver();
        using var database = new SharedDatabaseFile("order");
        await using var api = new RestartableWebhookApi(database.Path, dispatcher: false);
        var practice = await api.NewPracticeAsync();
        foreach (var receiver in new[] { flaky, steady })
        {
            var hook = await (await practice.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url,
                events = new[] { "client.created" } })).ReadJsonAsync(201);
            receiver.Secret = hook.GetProperty("secret").GetString();
        }

        var clients = new List<Guid>();
        for (var i = 0; i < 5; i++) clients.Add(await practice.Admin.CreateClientIdAsync());
        static List<Guid> ClientsOf(IEnumerable<WebhookReceiver.Received> requests) =>
            requests.Select(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement.GetProperty("data")
                .GetProperty("clientId").GetGuid()).ToList();

        var dispatcher = api.Services.GetRequiredService<WebhookDispatcher>();
        // Five to the steady receiver; the flaky one refuses the first, and the four after it wait in line.
        Assert.Equal(6, await dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(clients, ClientsOf(await steady.WaitForAsync(5)));
        var failed = Assert.Single(flaky.Requests);
        Assert.Equal(500, failed.AnsweredWith);
        await using (var connection = new SqliteConnection($"Data Source={database.Path}"))
        {
            Assert.Equal(5,
                await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM WebhookDeliveries WHERE Status = 'pending'"));
        }

        // Nothing of the flaky subscription goes out before its first delivery's retry is due; then all five, in order.
        Assert.Equal(0, await dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Single(flaky.Requests);
        api.Clock.Advance(WebhookDispatcher.Backoff[0]);
        Assert.Equal(5, await dispatcher.DeliverDueAsync(CancellationToken.None));
        var all = await flaky.WaitForAsync(1 + 5);
        Assert.Equal(clients, ClientsOf(all.Skip(1)));
    }

    private static List<long> Sequences(WebhookReceiver receiver) =>
        receiver.Requests.Select(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement.GetProperty("sequence")
            .GetInt64()).ToList();

    [Fact]
    public async Task An_interrupted_dispatcher_sends_again_only_the_delivery_that_was_in_flight()
    {
        using var receiver = new WebhookReceiver();
        var release = new TaskCompletionSource();
        using var database = new SharedDatabaseFile("interrupted");
        await using var api = new RestartableWebhookApi(database.Path, dispatcher: false);
        var practice = await api.NewPracticeAsync();
        var hook = await (await practice.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url,
            events = new[] { "client.created" } })).ReadJsonAsync(201);
        receiver.Secret = hook.GetProperty("secret").GetString();
        for (var i = 0; i < 6; i++) await practice.Admin.CreateClientIdAsync();

        // The third delivery hangs at the receiver; the dispatcher is stopped while it waits.
        receiver.Hold = n => n == 2 ? release.Task : Task.CompletedTask;
        var dispatcher = api.Services.GetRequiredService<WebhookDispatcher>();
        using var stop = new CancellationTokenSource();
        var pass = dispatcher.DeliverDueAsync(stop.Token);
        await receiver.WaitForAsync(3);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pass);
        release.SetResult();

        // The two answered outcomes were saved as they came: the next pass sends the one in flight and the rest, in
        // order.
        receiver.Hold = null;
        Assert.Equal(4, await dispatcher.DeliverDueAsync(CancellationToken.None));
        var all = await receiver.WaitForAsync(7);
        Assert.Equal(7, all.Length);
        Assert.Equal(6, all.Select(r => r.Id).Distinct().Count());
        Assert.Equal(all[2].Id, all[3].Id);
        var sequence = Sequences(receiver);
        Assert.Equal(sequence.Order(), sequence);
    }

    [Fact]
    public async Task A_refused_event_holds_its_subscription_one_retry_step_then_retries_alone_and_is_dead_lettered_for_redelivery()
    {
        using var receiver = new WebhookReceiver();
        using var database = new SharedDatabaseFile("dead-letter");
        await using var api = new RestartableWebhookApi(database.Path, dispatcher: false);
        var practice = await api.NewPracticeAsync();
        var hook = await (await practice.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url,
            events = new[] { "client.created" } })).ReadJsonAsync(201);
        receiver.Secret = hook.GetProperty("secret").GetString();
        var hookId = hook.GetProperty("id").GetGuid();
        var refused = await practice.Admin.CreateClientIdAsync();
        receiver.Refuse = body => body.Contains(refused.ToString(), StringComparison.Ordinal);
        var later = new[] { await practice.Admin.CreateClientIdAsync(), await practice.Admin.CreateClientIdAsync() };
        var dispatcher = api.Services.GetRequiredService<WebhookDispatcher>();

        // Refused: the later two wait in line for its retry, one step (5 s) away.
        Assert.Equal(1, await dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(0, await dispatcher.DeliverDueAsync(CancellationToken.None));
        api.Clock.Advance(WebhookDispatcher.Backoff[0]);
        // Refused again: it leaves the line, and the later ones go out at once, in order.
        Assert.Equal(1, await dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(2, await dispatcher.DeliverDueAsync(CancellationToken.None));
        var received = await receiver.WaitForAsync(4);
        Assert.Equal(later, received.Skip(2).Select(r => System.Text.Json.JsonDocument.Parse(r.Body)
            .RootElement.GetProperty("data").GetProperty("clientId").GetGuid()));

        // It is retried alone on its schedule until the schedule runs out: then it is a dead letter.
        for (var attempt = 2; attempt < WebhookDispatcher.Backoff.Length + 1; attempt++)
        {
            api.Clock.Advance(WebhookDispatcher.Backoff[attempt - 1]);
            Assert.Equal(1, await dispatcher.DeliverDueAsync(CancellationToken.None));
        }

        api.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await dispatcher.DeliverDueAsync(CancellationToken.None));
        var dead = await (await practice.Admin.GetAsync($"/api/v1/webhooks/{hookId}/deliveries?status=failed"))
            .ReadJsonAsync(200);
        var letter = Assert.Single(dead.GetProperty("items").EnumerateArray());
        Assert.Equal(WebhookDispatcher.Backoff.Length + 1, letter.GetProperty("attempts").GetInt32());
        await (await practice.Admin.GetAsync($"/api/v1/webhooks/{hookId}/deliveries?status=lost"))
            .AssertProblemAsync(400, "validation");

        // Redelivered once the receiver accepts it again.
        receiver.Refuse = null;
        Assert.Equal(System.Net.HttpStatusCode.NoContent,
            (await practice.Admin.PostAsync($"/api/v1/webhooks/{hookId}/deliveries/{letter.GetProperty("id").GetGuid()}/redeliver", null)).StatusCode);
        Assert.Equal(1, await dispatcher.DeliverDueAsync(CancellationToken.None));
        var delivered = await (await practice.Admin.GetAsync($"/api/v1/webhooks/{hookId}/deliveries?status=delivered"))
            .ReadJsonAsync(200);
        Assert.Equal(3, delivered.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_change_feed_never_reads_past_its_horizon_so_a_late_commit_is_not_skipped()
    {
        await using var api = new HorizonApi();
        var practice = await api.NewPracticeAsync();
        var after = (await (await practice.Admin.GetAsync("/api/v1/events")).ReadJsonAsync(200))
            .GetProperty("nextCursor").GetString();
        for (var i = 0; i < 3; i++) await practice.Admin.CreateClientIdAsync();
        var all = await (await practice.Admin.GetAsync($"/api/v1/events?after={after}")).ReadJsonAsync(200);
        var positions = await api.PositionsAsync(practice.PracticeId);
        Assert.Equal(3, all.GetProperty("items").GetArrayLength());

        // As on SQL Server while the transaction holding the second event is still open: the horizon stops below it.
        api.Horizon.Fixed = positions[^2];
        var page = await (await practice.Admin.GetAsync($"/api/v1/events?after={after}")).ReadJsonAsync(200);
        Assert.Equal(1, page.GetProperty("items").GetArrayLength());
        var cursor = page.GetProperty("nextCursor").GetString();
        Assert.Equal(positions[^3].ToString(System.Globalization.CultureInfo.InvariantCulture), cursor);

        // Once it commits, the poller continues from its cursor and gets both later events.
        api.Horizon.Fixed = null;
        var rest = await (await practice.Admin.GetAsync($"/api/v1/events?after={cursor}")).ReadJsonAsync(200);
        Assert.Equal(2, rest.GetProperty("items").GetArrayLength());
        Assert.Equal(all.GetProperty("items")[1].GetProperty("id").GetString(),
            rest.GetProperty("items")[0].GetProperty("id").GetString());
    }

    private sealed class FixedHorizon(Db db) : FeedHorizon(db)
    {
        public long? Fixed { get; set; }

        public override async Task<long> ReadAsync(DbSession c, CancellationToken ct) =>
            Fixed ?? await base.ReadAsync(c, ct);
    }

    private sealed class HorizonApi : SqliteApi
    {
        public FixedHorizon Horizon => (FixedHorizon)Services.GetRequiredService<FeedHorizon>();

        public async Task<List<long>> PositionsAsync(Guid practiceId)
        {
            await using var connection = new SqliteConnection($"Data Source={File}");
            return (await connection.QueryAsync<long>(
                "SELECT Position FROM OutboxEvents WHERE PracticeId = @PracticeId ORDER BY Position",
                new { PracticeId = practiceId })).AsList();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<FeedHorizon>();
                services.AddSingleton<FeedHorizon, FixedHorizon>();
            });
        }
    }
}
