using PracticeApi.Features.Consents;

namespace PracticeApi.Features.Fhir;

/// <summary>Clients' consents as FHIR Consents: active while in force, inactive once withdrawn (with the end of its period).</summary>
internal sealed partial class FhirStore
{
    private static readonly string ConsentsMatch = $"""
        FROM Consents k
        WHERE k.PracticeId = @PracticeId AND (@Id IS NULL OR k.Id = @Id)
          AND (@AnyPatients = 0 OR k.ClientId IN @Patients) AND (@AnyIds = 0 OR k.Id IN @Ids)
          AND {Caseload.Client("k.ClientId")}
        """;

    private static readonly string ConsentsSql = $"""
        SELECT k.Id, k.ClientId, k.Kind, k.RecipientId, k.RecipientName, k.TextVersion, k.GivenAt, k.GivenBy, k.GivenVia, k.WithdrawnAt, k.WithdrawnBy,
               k.WithdrawnVia
        {ConsentsMatch} AND k.Id > @After
        ORDER BY k.Id {SqlDialect.Limit}
        """;

    private static readonly string ConsentsCountSql = $"SELECT COUNT(*) {ConsentsMatch}";

    public async Task<FhirPage> ConsentsAsync(Caller caller, FhirSearch search, Guid? id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var args = Args(caller, search, id);
        var rows = await c.QueryAsync<ConsentRow>(ConsentsSql, args);
        var kept = rows.Take(search.Count).ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "fhir_consent", id, kept.Select(r => r.ClientId).Distinct().ToList(), Detail: "fhir"), ct);
        return new FhirPage(kept.Select(r => FhirJson.Consent(r.ToResponse())).ToList(), rows.Count > search.Count ? Cursor.Encode(kept[^1].Id.ToString()) : null,
            await CountAsync(c, ConsentsCountSql, search, args, ct));
    }
}
