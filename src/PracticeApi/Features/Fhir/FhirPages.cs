using System.Text.Json.Nodes;
using PracticeApi.Features.Clients;

namespace PracticeApi.Features.Fhir;

/// <summary>
/// What every FHIR search shares: the search's parameters as SQL arguments, identifier tokens resolved to their owners,
/// a page keyed by its rows' ids (read, made into resources, audited naming the clients it shows, counted when asked).
/// </summary>
internal sealed class FhirPages(Db db, AuditLog audit)
{
    // Who holds an identifier token, resolved before the search (each an index seek on the practice's identifiers).
    public static async Task<List<Guid>?> OwnersAsync(DbSession c, ExternalIdentifiers identifiers, Guid practiceId,
        FhirSearch search, CancellationToken ct) =>
        search.Identifiers is null ? null : await identifiers.FindOwnersAsync(c, practiceId, search.Identifiers, ct);

    public static object Args(Caller caller, FhirSearch search, Guid? id = null, List<Guid>? owners = null,
        List<string>? numbers = null) => new
    {
        caller.PracticeId, Caseload = caller.Caseload, After = Cursor.After(search.After), Id = id,
        AnyPatients = search.Patients is null ? 0 : 1, Patients = search.Patients ?? [],
        AnyIds = search.Ids is null ? 0 : 1, Ids = search.Ids ?? [], AnyOwners = owners is null
            ? 0 : 1, Owners = owners ?? [],
        AnyNumbers = numbers is null ? 0 : 1, Numbers = numbers ?? [],
        From = search.UpdatedFrom, Before = search.UpdatedBefore,
        Limit = search.Count + 1,
    };

    /// <summary>
    /// A page of a type keyed by its row's id: the rows after the cursor, made into resources, the read audited as the
    /// type's naming the clients it shows, and the count when asked for.
    /// </summary>
    public async Task<FhirPage> IdPageAsync<TRow>(Caller caller, FhirSearch search, Guid? id, string sql,
        string countSql, string resourceType,
        Func<TRow, Guid> idOf, Func<TRow, Guid> clientOf, Func<DbSession, List<TRow>, Task<IEnumerable<JsonObject>>> resources, CancellationToken ct,
        List<string>? numbers = null)
    {
        await using var c = await db.BeginReadAsync(ct);
        var args = Args(caller, search, id, numbers: numbers);
        var rows = await c.QueryAsync<TRow>(sql, args);
        var kept = rows.Take(search.Count).ToList();
        var page = (await resources(c, kept)).ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, resourceType, id, kept.Select(clientOf)
            .Distinct().ToList(), Detail: "fhir"), ct);
        return new FhirPage(page, rows.Count > search.Count ? Cursor.Encode(idOf(kept[^1]).ToString()) : null,
            await CountAsync(c, countSql, search, args, ct));
    }

    /// <summary>All matches of a search (_total=accurate), counted with the search's own filters.</summary>
    public static async Task<int?> CountAsync(DbSession c, string sql, FhirSearch search, object args,
        CancellationToken ct) =>
        search.CountAll ? await c.ExecuteScalarAsync<int>(sql, args) : null;
}
