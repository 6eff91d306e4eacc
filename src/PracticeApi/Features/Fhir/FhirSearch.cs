using System.Text.Json.Nodes;
using PracticeApi.Features.Clients;

namespace PracticeApi.Features.Fhir;

/// <summary>A parsed FHIR search: patient, identifier, _lastUpdated range, _count and the keyset cursor.</summary>
/// <param name="Patients">The patient references given (comma is OR), or null for any patient.</param>
internal sealed record FhirSearch(IReadOnlyList<Guid>? Patients, IReadOnlyList<IdentifierToken>? Identifiers,
    DateTime? UpdatedFrom, DateTime? UpdatedBefore, int Count,
    string? After, IReadOnlyList<Guid>? Ids, string? Url, bool CountAll = false);

/// <param name="Total">All matches, when counted (_total=accurate); null when not counted.</param>
internal sealed record FhirPage(IReadOnlyList<JsonObject> Resources, string? NextCursor, int? Total = null);

