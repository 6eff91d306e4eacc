using PracticeApi.Features.Measures;

namespace PracticeApi.Features.Fhir;

/// <summary>Outcome measure scores as FHIR Observations (survey): the total, the band as interpretation, the subscales as components.</summary>
internal sealed partial class FhirStore
{
    public async Task<FhirPage> ObservationsAsync(Caller caller, FhirSearch search, Guid? id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var args = Args(caller, search, id);
        var rows = await c.QueryAsync<MeasureStore.ScoreRow>(MeasureStore.ObservationsSql, args);
        var kept = rows.Take(search.Count).ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "fhir_observation", id, kept.Select(r => r.ClientId).Distinct().ToList(), Detail: "fhir"), ct);
        return new FhirPage(kept.Select(r => FhirJson.Observation(r.ToResponse(), r.Name, r.TotalLoincCode)).ToList(),
            rows.Count > search.Count ? Cursor.Encode(kept[^1].Id.ToString()) : null, await CountAsync(c, MeasureStore.ObservationsCountSql, search, args, ct));
    }
}
