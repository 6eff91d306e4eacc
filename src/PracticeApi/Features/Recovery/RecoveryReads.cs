namespace PracticeApi.Features.Recovery;

/// <summary>What other features read of this feature's records (the client's export, a couple's progress); changing
/// them is <see cref="RecoveryLogStore"/>'s own.</summary>
internal static class RecoveryReads
{
    // A client's whole log, for their export.
    private const string OfClientSql = $"SELECT {RecoveryLogStore.Columns} FROM RecoveryEntries WHERE PracticeId = @PracticeId AND ClientId = @ClientId ORDER BY EntryDate, Id";

    internal static async Task<List<RecoveryEntryResponse>> OfClientAsync(DbSession c, Guid practiceId, Guid clientId,
        CancellationToken ct) =>
        (await c.QueryAsync<RecoveryEntryRow>(OfClientSql, new { PracticeId = practiceId, ClientId = clientId }))
        .Select(r => r.ToResponse()).ToList();

    /// <summary>Where each client's recovery stands on <paramref name="today"/>, in two queries whatever the number of
    /// clients.</summary>
    internal static async Task<Dictionary<Guid, RecoverySummary>> SummariesAsync(DbSession c, Guid practiceId,
        IReadOnlyList<Guid> clientIds, DateOnly today, CancellationToken ct)
    {
        var args = new { PracticeId = practiceId, ClientIds = clientIds, Since = today.AddDays(-89), Until = today };
        var days = (await c.QueryAsync<RecoveryDay>(RecoveryLogStore.DaysSql, args)).ToLookup(d => d.ClientId);
        var spans = (await c.QueryAsync<RecoveryLogStore.SpanRow>(RecoveryLogStore.FirstAndLastSetbackSql, args))
            .ToDictionary(s => s.ClientId);
        // Only clients who keep a log have a summary.
        return clientIds.Where(spans.ContainsKey).Distinct().ToDictionary(id => id, id =>
        {
            var mine = days[id].ToList();
            var span = spans.GetValueOrDefault(id);
            var soberSince = span is null ? (DateOnly?)null : span.LastSetbackOn is { } setback
                ? setback.AddDays(1) : span.FirstOn;
            return new RecoverySummary(
                soberSince is { } since && since <= today ? today.DayNumber - since.DayNumber + 1 : 0,
                span?.LastSetbackOn,
                mine.Count(d => d.Kind == RecoveryKind.SoberDay.Wire() && d.EntryDate > today.AddDays(-30)),
                mine.Count(d => d.Kind == RecoveryKind.Setback.Wire()),
                mine.Count(d => d.Kind == RecoveryKind.Meeting.Wire() && d.EntryDate > today.AddDays(-30)));
        });
    }
}
