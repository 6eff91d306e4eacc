namespace PracticeApi.Features.Clients;

/// <summary>A client as the caller may see it (the care rules themselves are <see cref="Care.CareRules"/>).</summary>
internal sealed partial class ClientStore
{
    public static Task<ClientRow?> FindAsync(DbSession c, Caller caller, Guid id, CancellationToken ct) =>
        FindAsync(c, caller.PracticeId, caller.Caseload, id, ct);

    private static async Task<ClientRow?> FindAsync(DbSession c, Guid practiceId, Guid? caseload, Guid id, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<ClientRow>(GetSql, new { Id = id, PracticeId = practiceId, Caseload = caseload });
}
