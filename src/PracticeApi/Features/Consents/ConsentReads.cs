namespace PracticeApi.Features.Consents;

/// <summary>What other features read of this feature's records (the client's export); changing them is <see
/// cref="ConsentStore"/>'s own.</summary>
internal static class ConsentReads
{
    private const string OfClientSql = $"SELECT {ConsentStore.Columns} FROM Consents WHERE PracticeId = @PracticeId AND ClientId = @ClientId ORDER BY Id";

    /// <summary>The client's consents, for their export (one query).</summary>
    public static async Task<List<ConsentResponse>> OfClientAsync(DbSession c, Guid practiceId, Guid clientId) =>
        (await c.QueryAsync<ConsentRow>(OfClientSql, new { PracticeId = practiceId, ClientId = clientId }))
            .Select(r => r.ToResponse()).ToList();
}
