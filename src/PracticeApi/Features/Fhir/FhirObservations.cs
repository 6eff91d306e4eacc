using PracticeApi.Features.Measures;

namespace PracticeApi.Features.Fhir;

/// <summary>Outcome measure scores as FHIR Observations (survey): the total, the band as interpretation, the subscales
/// as components.</summary>
internal sealed class FhirObservations(FhirPages pages)
{
    public Task<FhirPage> SearchAsync(Caller caller, FhirSearch search, Guid? id, CancellationToken ct) =>
        pages.IdPageAsync<MeasureReads.ScoreRow>(caller, search, id, MeasureReads.ObservationsSql,
            MeasureReads.ObservationsCountSql, "fhir_observation",
            r => r.Id, r => r.ClientId, (_, kept) => Task.FromResult(FhirJson.Measures(kept, answers: false,
                scores: true)), ct);
}
