using System.Collections.Concurrent;

namespace PracticeApi.Infrastructure.Security;

/// <summary>
/// Failed authentications are audited, but a flood of them must not become a flood of writes: per source address and
/// one-minute window, the 1st, 10th, 100th, … failure is written (with its count), the rest only counted. Failures with
/// unknown tokens belong to no practice; an operator reads them with the <c>auth-failures</c> command.
/// </summary>
public sealed class FailedAuthentications(Db db, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string Address, long Window), int> _counts = new();

    private const string UnattributedSql = $"""
        SELECT OccurredAt, SourceIp, Detail, RequestId FROM AuditEvents
        WHERE PracticeId IS NULL AND Action = 'authenticate' AND OccurredAt >= @Since
        ORDER BY OccurredAt DESC, Id DESC {SqlDialect.Limit}
        """;

    public sealed record Failure(DateTime OccurredAt, string? SourceIp, string? Detail, string? RequestId);

    /// <summary>Counts a failure; returns its number in this address's window when it should be written, else
    /// null.</summary>
    public int? Count(string? address)
    {
        var window = clock.GetUtcNow().UtcTicks / Window.Ticks;
        var count = _counts.AddOrUpdate((address ?? "unknown", window), 1, (_, n) => n + 1);
        if (count == 1 && _counts.Count > 10_000)
        {
            foreach (var key in _counts.Keys.Where(k => k.Window < window)) _counts.TryRemove(key, out _);
        }

        return IsPowerOfTen(count) ? count : null;
    }

    /// <summary>Counts a failure and writes it to the audit trail (with its count) when it is one of those
    /// written.</summary>
    public async Task RecordAsync(Audit.AuditLog audit, Guid? practiceId, Guid? tokenId, string reason,
        string? address, string requestId)
    {
        if (Count(address) is not { } attempt) return;
        await audit.WriteFailedAuthenticationAsync(practiceId, tokenId,
            attempt == 1
                ? reason : $"{reason} (failure {attempt} from this address within {Window.TotalMinutes:0} min)",
            address, requestId, CancellationToken.None);
    }

    private static bool IsPowerOfTen(int n)
    {
        while (n >= 10 && n % 10 == 0) n /= 10;
        return n == 1;
    }

    public async Task<IReadOnlyList<Failure>> UnattributedAsync(DateTime since, int limit, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return await c.QueryAsync<Failure>(UnattributedSql, new { Since = since, Limit = limit });
    }
}
