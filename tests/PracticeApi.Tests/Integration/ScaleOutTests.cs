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

namespace PracticeApi.Tests.Integration;

/// <summary>Several API instances on one database: webhook deliveries are leased, the change feed reads below its horizon.</summary>
public sealed class ScaleOutTests
{
    [Fact]
    public async Task Two_hosts_on_one_database_attempt_each_due_delivery_once()
    {
        using var receiver = new WebhookReceiver();
        using var database = new SharedDatabaseFile("two-hosts");
        var file = database.Path;
        await using var first = new RestartableWebhookApi(file, dispatcher: true);
        await using var second = new RestartableWebhookApi(file, dispatcher: true);
        var practice = await first.NewPracticeAsync();
        _ = second.Services; // starts the second host and its dispatcher
        var hook = await (await practice.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, events = new[] { "client.created" } })).ReadJsonAsync(201);
        receiver.Secret = hook.GetProperty("secret").GetString();
        const int events = 40;
        for (var i = 0; i < events; i++) await practice.Admin.CreateClientIdAsync();

        // Both dispatchers poll every 50 ms; drive both by hand as well, at the same time.
        var dispatchers = new[] { first, second }.Select(h => h.Services.GetRequiredService<WebhookDispatcher>()).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => dispatchers[i % 2].DeliverDueAsync(CancellationToken.None)));
        var received = await receiver.WaitForAsync(events);
        await Task.Delay(500);

        Assert.Equal(events, receiver.Requests.Count);
        Assert.Equal(events, receiver.Requests.Select(r => r.Id).Distinct().Count());
        await using var connection = new SqliteConnection($"Data Source={file}");
        Assert.Equal(events, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM WebhookAttempts"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM WebhookDeliveries WHERE LeaseOwner IS NOT NULL"));
    }

    [Fact]
    public async Task A_lease_left_by_a_crashed_instance_holds_the_delivery_until_it_runs_out()
    {
        using var receiver = new WebhookReceiver();
        using var database = new SharedDatabaseFile("lease");
        var file = database.Path;
        await using var api = new RestartableWebhookApi(file, dispatcher: false);
        var practice = await api.NewPracticeAsync();
        var hook = await (await practice.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, events = new[] { "client.created" } })).ReadJsonAsync(201);
        receiver.Secret = hook.GetProperty("secret").GetString();
        await practice.Admin.CreateClientIdAsync();
        await using (var connection = new SqliteConnection($"Data Source={file}"))
        {
            // Another instance claimed it and died.
            await connection.ExecuteAsync("UPDATE WebhookDeliveries SET LeaseOwner = 'crashed:1', LeaseUntil = @Until",
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
            var hook = await (await practice.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, events = new[] { "client.created" } })).ReadJsonAsync(201);
            receiver.Secret = hook.GetProperty("secret").GetString();
        }

        var clients = new List<Guid>();
        for (var i = 0; i < 5; i++) clients.Add(await practice.Admin.CreateClientIdAsync());
        static List<Guid> ClientsOf(IEnumerable<WebhookReceiver.Received> requests) =>
            requests.Select(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("clientId").GetGuid()).ToList();

        var dispatcher = api.Services.GetRequiredService<WebhookDispatcher>();
        Assert.Equal(10, await dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(clients, ClientsOf(await steady.WaitForAsync(5)));
        var failed = Assert.Single(flaky.Requests);
        Assert.Equal(500, failed.AnsweredWith);
        await using (var connection = new SqliteConnection($"Data Source={database.Path}"))
        {
            Assert.Equal(5, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM WebhookDeliveries WHERE Status = 'pending' AND LeaseOwner IS NULL"));
        }

        // Nothing of the flaky subscription goes out before its first delivery's retry is due; then all five, in order.
        Assert.Equal(0, await dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Single(flaky.Requests);
        api.Clock.Advance(WebhookDispatcher.Backoff[0]);
        Assert.Equal(5, await dispatcher.DeliverDueAsync(CancellationToken.None));
        var all = await flaky.WaitForAsync(1 + 5);
        Assert.Equal(clients, ClientsOf(all.Skip(1)));
    }

    [Fact]
    public async Task The_change_feed_never_reads_past_its_horizon_so_a_late_commit_is_not_skipped()
    {
        await using var api = new HorizonApi();
        var practice = await api.NewPracticeAsync();
        var after = (await (await practice.Admin.GetAsync("/api/v1/events")).ReadJsonAsync(200)).GetProperty("nextCursor").GetString();
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
        Assert.Equal(all.GetProperty("items")[1].GetProperty("id").GetString(), rest.GetProperty("items")[0].GetProperty("id").GetString());
    }

    private sealed class FixedHorizon(Db db) : FeedHorizon(db)
    {
        public long? Fixed { get; set; }

        public override async Task<long> ReadAsync(DbConnection connection, CancellationToken ct) =>
            Fixed ?? await base.ReadAsync(connection, ct);
    }

    private sealed class HorizonApi : SqliteApi
    {
        public FixedHorizon Horizon => (FixedHorizon)Services.GetRequiredService<FeedHorizon>();

        public async Task<List<long>> PositionsAsync(Guid practiceId)
        {
            await using var connection = new SqliteConnection($"Data Source={File}");
            return (await connection.QueryAsync<long>("SELECT Position FROM OutboxEvents WHERE PracticeId = @PracticeId ORDER BY Position",
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
