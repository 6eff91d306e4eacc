namespace PracticeApi.Features.SupportNetwork;

/// <summary>What other features read of this feature's records (the client's export); changing them is <see
/// cref="SupportNetworkStore"/>'s own.</summary>
internal static class SupportNetworkReads
{
    // A client's whole network, for their export (a few people: read whole).
    private const string OfClientSql = $"SELECT {SupportNetworkStore.Columns} FROM SupportPeople WHERE PracticeId = @PracticeId AND ClientId = @ClientId ORDER BY Id";

    internal static async Task<List<SupportPersonResponse>> OfClientAsync(DbSession c, Guid practiceId, Guid clientId,
        CancellationToken ct) =>
        (await c.QueryAsync<SupportPersonRow>(OfClientSql, new { PracticeId = practiceId, ClientId = clientId }))
        .Select(r => r.ToResponse()).ToList();
}
