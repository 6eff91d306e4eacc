using PracticeApi.Features.Consents;

namespace PracticeApi.Features.Fhir;

/// <summary>Clients' consents as FHIR Consents: active while in force, inactive once withdrawn (with the end of its
/// period).</summary>
internal sealed class FhirConsents(FhirPages pages)
{
    private static readonly string ConsentsMatch = $"""
        FROM Consents k
        WHERE k.PracticeId = @PracticeId AND (@Id IS NULL OR k.Id = @Id)
          AND (@AnyPatients = 0 OR k.ClientId IN @Patients) AND (@AnyIds = 0 OR k.Id IN @Ids)
          AND {Caseload.Client("k.ClientId")}
        """;

    private static readonly string ConsentsSql = $"""
        SELECT k.Id, k.ClientId, k.Kind, k.RecipientId, k.RecipientName, k.TextVersion, k.GivenAt, k.GivenBy,
            k.GivenVia, k.WithdrawnAt, k.WithdrawnBy, k.WithdrawnVia
        {ConsentsMatch} AND k.Id > @After
        ORDER BY k.Id {SqlDialect.Limit}
        """;

    private static readonly string ConsentsCountSql = $"SELECT COUNT(*) {ConsentsMatch}";

    public Task<FhirPage> SearchAsync(Caller caller, FhirSearch search, Guid? id, CancellationToken ct) =>
        pages.IdPageAsync<ConsentRow>(caller, search, id, ConsentsSql, ConsentsCountSql, "fhir_consent", r => r.Id,
            r => r.ClientId, (_, kept) => Task.FromResult(kept.Select(r => FhirJson.Consent(r.ToResponse()))), ct);
}
