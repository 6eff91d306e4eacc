namespace PracticeApi.Features.Recovery;

/// <summary>What other features read of this feature's records (the client's export); changing them is <see cref="RecoveryLogStore"/>'s own.</summary>
internal static class RecoveryReads
{
    // A client's whole log, for their export.
    private const string OfClientSql = $"SELECT {RecoveryLogStore.Columns} FROM RecoveryEntries WHERE PracticeId = @PracticeId AND ClientId = @ClientId ORDER BY EntryDate, Id";

    internal static async Task<List<RecoveryEntryResponse>> OfClientAsync(DbSession c, Guid practiceId, Guid clientId, CancellationToken ct) =>
        (await c.QueryAsync<RecoveryEntryRow>(OfClientSql, new { PracticeId = practiceId, ClientId = clientId }))
        .Select(r => r.ToResponse()).ToList();
}
