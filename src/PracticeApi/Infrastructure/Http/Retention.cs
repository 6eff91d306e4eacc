using System.Data.Common;

namespace PracticeApi.Infrastructure.Http;

/// <summary>
/// A statement that deletes rows past their retention (<c>@Now</c> bound to the current time), at most about
/// <c>@Limit</c> at a time (the oldest first, ties kept together): a purge never holds locks on a whole table.
/// </summary>
public sealed record RetentionRule(string PurgeSql);

/// <summary>
/// Runs every registered retention rule every ten minutes (stored idempotent responses, used SMART assertion ids, bulk
/// export files…), in bounded batches: the rules run in turn, again and again, until a round deletes nothing.
/// </summary>
public sealed class RetentionService(Db db, TimeProvider clock, IEnumerable<RetentionRule> rules) : BackgroundService
{
    /// <summary>Rows a purge statement deletes at most (ties on the oldest time aside).</summary>
    public const int Batch = 1000;

    // At most this many rounds per pass: a backlog larger than that waits for the next pass.
    private const int MaxRounds = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (ApiDocumentation.IsGeneratingDocument) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10));
        do
        {
            try
            {
                await PurgeAsync(stoppingToken);
            }
            catch (DbException)
            {
                // The next pass tries again.
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass: every rule in bounded batches until nothing is left to delete. Returns the rows
    /// deleted.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        var deleted = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var inRound = 0;
            foreach (var rule in rules)
            {
                inRound += await db.ExecuteAsync(rule.PurgeSql, new { Now = now, Limit = Batch }, ct);
            }

            deleted += inRound;
            if (inRound == 0) break;
        }

        return deleted;
    }
}
