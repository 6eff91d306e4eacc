using PracticeApi.Features.Clients;

namespace PracticeApi.Features.Fhir;

/// <summary>Clients as FHIR Patients, by patient, identifier, _lastUpdated and id.</summary>
internal sealed class FhirPatients(Db db, AuditLog audit)
{
    // Each search is its matching rows (the page adds the keyset and the limit; _total=accurate counts them all).
    private static readonly string PatientsMatch = $"""
        FROM Clients c
        WHERE c.PracticeId = @PracticeId AND (@AnyPatients = 0 OR c.Id IN @Patients)
          AND (@From IS NULL OR c.UpdatedAt >= @From) AND (@Before IS NULL OR c.UpdatedAt < @Before)
          AND (@AnyIds = 0 OR c.Id IN @Ids) AND (@AnyOwners = 0 OR c.Id IN @Owners)
          AND {Caseload.Client("c.Id")}
        """;

    private static readonly string PatientsSql = $"""
        SELECT {ClientReads.Columns}
        {PatientsMatch} AND c.Id > @After
        ORDER BY c.Id {SqlDialect.Limit}
        """;

    private static readonly string PatientsCountSql = $"SELECT COUNT(*) {PatientsMatch}";

    public async Task<FhirPage> SearchAsync(Caller caller, FhirSearch search, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var owners = await FhirPages.OwnersAsync(c, ExternalIdentifiers.OfClients, caller.PracticeId, search, ct);
        var args = FhirPages.Args(caller, search, owners: owners);
        var rows = await c.QueryAsync<ClientRow>(PatientsSql, args);
        var kept = rows.Take(search.Count).ToList();
        var clients = await ClientReads.ToResponsesAsync(c, caller.PracticeId, kept, ct);
        var ids = clients.Select(c => c.Id).ToList();
        var resources = clients.Select(FhirJson.Patient).ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "fhir_patient", null, ids,
            Detail: "fhir"), ct);
        return new FhirPage(resources, rows.Count > search.Count ? Cursor.Encode(kept[^1].Id.ToString()) : null,
            await FhirPages.CountAsync(c, PatientsCountSql, search, args, ct));
    }
}
