using System.Globalization;
using System.Text.Json.Nodes;
using PracticeApi.Features.Assignments;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Couples;

namespace PracticeApi.Features.Fhir;

/// <summary>A patient's couples as FHIR: the partners as RelatedPersons, the repair work as CarePlans, paged by
/// (couple, partner).</summary>
internal sealed class FhirCouples(Db db, AuditLog audit, FhirTasks tasks)
{
    private static readonly string PatientCouplesSql = $"""
        SELECT {CoupleReads.Columns} FROM Couples c
        WHERE c.PracticeId = @PracticeId AND (c.PartnerAId IN @Patients OR c.PartnerBId IN @Patients) AND {Caseload.Couple("c")}
        """;

    /// <summary>How many parts a CarePlan or RelatedPerson search cursor has: the last couple's id and the partner's
    /// index.</summary>
    public const int CursorParts = 2;

    /// <summary>One page of the patients' couples, by (couple, partner) after the cursor, the next page's cursor and
    /// the total.</summary>
    private static (List<(CoupleRow Couple, int Index)> Page, string? Next, int? Total) PageOf(List<(CoupleRow Couple,
        int Index)> pairs, FhirSearch search)
    {
        var after = Cursor.Decode(search.After, CursorParts) is [var id, var index] ? (Guid.Parse(id),
            int.Parse(index, CultureInfo.InvariantCulture)) : ((Guid, int)?)null;
        var rest = pairs.Where(p => after is not { } a || p.Couple.Id.CompareTo(a.Item1) > 0 || (p.Couple.Id == a.Item1
            && p.Index > a.Item2))
            .Take(search.Count + 1).ToList();
        var next = rest.Count > search.Count
            ? Cursor.Encode(rest[search.Count - 1].Couple.Id.ToString(),
                rest[search.Count - 1].Index.ToString(CultureInfo.InvariantCulture))
            : null;
        return (rest.Take(search.Count).ToList(), next, search.CountAll ? pairs.Count : null);
    }

    private const string ClientsByIdSql = $"SELECT {ClientReads.Columns} FROM Clients c WHERE c.PracticeId = @PracticeId AND c.Id IN @Ids";

    /// <summary>
    /// A patient's partners as RelatedPersons: only couples the caller may see (the relationship itself is disclosed),
    /// and the read is audited naming both.
    /// </summary>
    public async Task<FhirPage> RelatedPersonsAsync(Caller caller, FhirSearch search, string? relatedId,
        CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var (pairs, next, total) = PageOf(await CouplesOfAsync(c, caller, search, relatedId, ct), search);
        var partnerIds = pairs.Select(p => p.Index == 0 ? p.Couple.PartnerBId : p.Couple.PartnerAId)
            .Distinct().ToList();
        var partners = partnerIds.Count == 0
            ? new Dictionary<Guid, ClientResponse>() : (await ClientReads.ToResponsesAsync(c, caller.PracticeId,
            await c.QueryAsync<ClientRow>(ClientsByIdSql, new { caller.PracticeId, Ids = partnerIds }), ct))
            .ToDictionary(c => c.Id);
        var resources = pairs
            .Select(p => FhirJson.RelatedPerson(p.Couple, p.Index,
            partners[p.Index == 0 ? p.Couple.PartnerBId : p.Couple.PartnerAId])).ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "fhir_related_person", null,
            pairs.SelectMany(p => p.Couple.Partners).Distinct().ToList(), Detail: "fhir"), ct);
        return new FhirPage(resources, next, total);
    }

    /// <summary>The couples behind ids {coupleId}-{0|1} (a read) or a patient's couples (a search), within the caller's
    /// caseload.</summary>
    private async Task<List<(CoupleRow Couple, int Index)>> CouplesOfAsync(DbSession c, Caller caller,
        FhirSearch search, string? id, CancellationToken ct)
    {
        if (id is not null)
        {
            var dash = id.LastIndexOf('-');
            return dash > 0 && Guid.TryParse(id[..dash], out var coupleId) && int.TryParse(id[(dash + 1)..],
                out var index) && index is 0 or 1 &&
                   await CoupleReads.FindAsync(c, caller, coupleId, ct) is { } couple
                ? [(couple, index)]
                : [];
        }

        // Each patient's couples, as that patient's side of each (comma-separated patients are OR).
        var pairs = new List<(CoupleRow Couple, int Index)>();
        var patients = (search.Patients ?? []).ToHashSet();
        var couples = await c.QueryAsync<CoupleRow>(PatientCouplesSql, new { caller.PracticeId,
            Caseload = caller.Caseload, Patients = patients.ToList() });
        foreach (var couple in couples)
        {
            if (patients.Contains(couple.PartnerAId)) pairs.Add((couple, 0));
            if (patients.Contains(couple.PartnerBId)) pairs.Add((couple, 1));
        }

        return pairs.DistinctBy(p => (p.Couple.Id, p.Index)).OrderBy(p => p.Couple.Id).ThenBy(p => p.Index).ToList();
    }

    /// <summary>The care plans of a patient's couples (one per partner), or one plan by id
    /// ({coupleId}-{0|1}).</summary>
    public async Task<FhirPage> CarePlansAsync(Caller caller, FhirSearch search, string? planId, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var (plans, next, total) = PageOf(await CouplesOfAsync(c, caller, search, planId, ct), search);

        var resources = new List<JsonObject>();
        foreach (var (couple, index) in plans)
        {
            var partner = index == 0 ? couple.PartnerAId : couple.PartnerBId;
            var assignments = (await c.QueryAsync<AssignmentRow>(FhirTasks.PatientAssignmentsSql,
                new { caller.PracticeId, Caseload = caller.Caseload, Patients = new[] { partner } }))
                .Where(a => a.CoupleId == couple.Id && a.Status == AssignmentStatus.Active.Wire()).ToList();
            var open = await tasks.TasksOfAsync(c, caller, assignments, partner, ct);
            // Each activity is the assignment's next open task, or its last one when all are past.
            var activities = open.GroupBy(t => t["id"]!.GetValue<string>()[..36])
                .Select(g => g.FirstOrDefault(t => t["status"]!.GetValue<string>() == "requested") ?? g.Last())
                .Select(t => t["id"]!.GetValue<string>());
            resources.Add(FhirJson.CarePlan(couple, partner, index, activities));
        }

        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "fhir_care_plan", null,
            plans.SelectMany(p => p.Couple.Partners).Distinct().ToList(), Detail: "fhir"), ct);
        return new FhirPage(resources, next, total);
    }
}
