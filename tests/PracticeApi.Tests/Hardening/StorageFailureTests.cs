using System.Net.Http.Json;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Tests.Infrastructure;
using PracticeApi.Infrastructure.Data.Sqlite;

namespace PracticeApi.Tests.Hardening;

/// <summary>When the database cannot write: 503 with Retry-After (never a 500), readiness fails, and it recovers by
/// itself.</summary>
public sealed class StorageFailureTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task Read_only_storage_answers_503_fails_readiness_and_recovers_by_itself_when_writable_again()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        var anonymous = api.ClientWith(null);
        Assert.Equal(200, (int)(await anonymous.GetAsync("/health/ready")).StatusCode);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        StorageFaults.SetReadOnly(api.File, true);
        try
        {
            var write = await practice.Admin.PostAsJsonAsync("/api/v1/clients", new { firstName = "Noor",
                lastName = "Smit" });
            var problem = await write.AssertProblemAsync(503, "storage-unavailable");
            Assert.Equal(TimeSpan.FromSeconds(5), write.Headers.RetryAfter?.Delta);
            Assert.DoesNotContain("readonly", problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
            // An audited read is a write too: refused the same way, never answered unaudited.
            await (await practice.Admin.GetAsync($"/api/v1/clients/{client}")).AssertProblemAsync(503,
                "storage-unavailable");
            var ready = await anonymous.GetAsync("/health/ready");
            await ready.AssertProblemAsync(503, "not-ready");
            Assert.NotNull(ready.Headers.RetryAfter);
            // Connections opened now stay read-only for their life, as SQLite's do.
            await practice.Admin.GetAsync($"/api/v1/clients/{client}");
        }
        finally
        {
            StorageFaults.SetReadOnly(api.File, false);
        }

        // Writable again: the read-only connections are gone from the pool, so the API recovers without a restart.
        Assert.Equal(200, (int)(await anonymous.GetAsync("/health/ready")).StatusCode);
        await (await practice.Admin.PostAsJsonAsync("/api/v1/clients", new { firstName = "Noor", lastName = "Smit" }))
            .ReadJsonAsync(201);
        await (await practice.Admin.GetAsync($"/api/v1/clients/{client}")).ReadJsonAsync(200);
    }

    [Fact]
    public async Task An_api_started_on_storage_that_cannot_write_waits_and_comes_up_by_itself()
    {
        using var database = new SharedDatabaseFile("startup-readonly");
        StorageFaults.SetReadOnly(database.Path, true);
        await using var late = new QuickRetryApi(database.Path);
        var starting = Task.Run(() => late.Services);
        await Task.Delay(600);
        Assert.False(starting.IsCompleted, "the API must not serve before it could migrate");

        StorageFaults.SetReadOnly(database.Path, false);
        await starting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(200, (int)(await late.ClientWith(null).GetAsync("/health/ready")).StatusCode);
    }

    private sealed class QuickRetryApi(string file) : SqliteApi(file)
    {
        protected override IDictionary<string, string?> Settings =>
            new Dictionary<string, string?> { ["Database:StartupRetrySeconds"] = "0.1" };
    }
}
