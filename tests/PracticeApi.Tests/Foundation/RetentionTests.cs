using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Http;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Foundation;

/// <summary>Purges run in bounded batches (issue 28.5): a statement deletes about a batch, a pass drains the
/// backlog.</summary>
public sealed class RetentionTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task A_purge_statement_deletes_at_most_a_batch_and_a_pass_drains_every_expired_row_and_nothing_else()
    {
        var practice = await api.NewPracticeAsync();
        var now = api.Clock.GetUtcNow().UtcDateTime;
        var expired = RetentionService.Batch * 2 + 500;
        await using (var connection = new SqliteConnection($"Data Source={api.File}"))
        {
            await connection.OpenAsync();
            await using var tx = await connection.BeginTransactionAsync();
            for (var i = 0; i < expired + 10; i++)
            {
                var expires = i < expired ? now.AddMinutes(-1 - i) : now.AddHours(1);
                await connection.ExecuteAsync("""
                    INSERT INTO IdempotencyKeys (PracticeId, TokenId, IdempotencyKey, RequestHash, State,
                        CreatedAt, ExpiresAt)
                    VALUES (@PracticeId, @TokenId, @Key, 'h', 'done', @Created, @Expires)
                    """, new
                {
                    PracticeId = practice.PracticeId, TokenId = Guid.NewGuid(),
                    Key = $"k{i}", Created = DapperTypeHandlers.ToText(now.AddDays(-2)), Expires = DapperTypeHandlers.ToText(expires),
                }, tx);
            }

            await tx.CommitAsync();
        }

        var db = api.Services.GetRequiredService<Db>();
        Assert.Equal(RetentionService.Batch,
            await db.ExecuteAsync(IdempotencyMiddleware.PurgeSql, new { Now = now, Limit = RetentionService.Batch },
                CancellationToken.None));

        var retention = api.Services.GetServices<IHostedService>().OfType<RetentionService>().Single();
        Assert.True(await retention.PurgeAsync(CancellationToken.None) >= expired - RetentionService.Batch);
        await using var check = new SqliteConnection($"Data Source={api.File}");
        Assert.Equal(10,
            await check.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM IdempotencyKeys WHERE IdempotencyKey LIKE 'k%'"));
        Assert.Equal(0,
            await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM IdempotencyKeys WHERE ExpiresAt < @Now",
            new { Now = DapperTypeHandlers.ToText(now) }));
    }
}
