using System.Text.Json.Nodes;
using FluentValidation;
using PracticeApi.Features.Assignments;
using PracticeApi.Features.AuditEvents;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Fhir;
using PracticeApi.Features.Sessions;

namespace PracticeApi.Features.Records;

internal sealed class ClientExportStore(Db db, AuditLog audit, TimeProvider clock)
{
    private const string CouplesSql = """
        SELECT Id, PartnerAId, PartnerBId, PartnerARole, PartnerBRole, BreachType, CurrentStep, Status,
            StartedOn FROM Couples
        WHERE PracticeId = @PracticeId AND (PartnerAId = @ClientId OR PartnerBId = @ClientId) ORDER BY StartedOn, Id
        """;

    // Answers to the client's exercises and their couples', with the assignment's visibility for the partner's.
    private const string ResponsesSql = """
        SELECT r.Id, r.AssignmentId, r.RespondentId, r.OccurrenceDate, r.Revision, r.Answers, r.SubmittedAt,
            r.Feedback, r.ReviewedBy, r.ReviewedAt, r.ReleasedAt, a.Visibility, a.CoupleId
        FROM Responses r JOIN Assignments a ON a.Id = r.AssignmentId AND a.PracticeId = r.PracticeId
        WHERE r.PracticeId = @PracticeId AND (a.ClientId = @ClientId OR a.CoupleId IN @CoupleIds)
        ORDER BY r.OccurrenceDate, r.RespondentId, r.Revision
        """;

    private const string ScreeningsSql = """
        SELECT Id, ClientId, AbuseOrDanger, UntreatedAddiction, Notes, ScreenedBy, ScreenedAt FROM SafetyScreenings
        WHERE PracticeId = @PracticeId AND ClientId = @ClientId ORDER BY ScreenedAt, Id
        """;

    private const string EpisodesSql = """
        SELECT Id, ClientId, OccurredAt, Intensity, TriggerText, WhatHelped, RecordedBy, RecordedAt FROM TriggerEpisodes
        WHERE PracticeId = @PracticeId AND ClientId = @ClientId ORDER BY OccurredAt, Id
        """;

    // Screenings are care-team data: exported only by a member of the client's care team.
    private const string OnCareTeamSql = "SELECT COUNT(*) FROM CareTeam WHERE PracticeId = @PracticeId AND ClientId = @ClientId AND TherapistId = @TherapistId";

    private sealed record CoupleRow
    {
        public Guid Id { get; init; }
        public Guid PartnerAId { get; init; }
        public Guid PartnerBId { get; init; }
        public string PartnerARole { get; init; } = "";
        public string PartnerBRole { get; init; } = "";
        public string BreachType { get; init; } = "";
        public int CurrentStep { get; init; }
        public string Status { get; init; } = "";
        public DateOnly StartedOn { get; init; }
    }

    private sealed record VisibleResponseRow
    {
        public ResponseRow Response { get; init; } = new();
        public AssignmentSide Assignment { get; init; } = new();
    }

    private sealed record AssignmentSide
    {
        public string Visibility { get; init; } = "";
        public Guid? CoupleId { get; init; }
    }

    /// <param name="fhirBaseUrl">When given, the export is also written as a FHIR R4 collection Bundle.</param>
    public async Task<(ClientExport Export, JsonObject? Bundle)?> ExportAsync(Caller caller, Guid clientId,
        string? fhirBaseUrl, CancellationToken ct)
    {
        ClientExport export;
        JsonObject? bundle = null;
        await audit.FlushAsync(ct); // the access log below includes every read already answered
        await using (var c = await db.BeginReadAsync(ct))
        {
            var client = await ClientReads.LoadAsync(c, caller, clientId, ct);
            if (client is null) return null;
            var args = new { caller.PracticeId, ClientId = clientId };
            var ownRows = new List<ResponseRow>();
            var couples = await c.QueryAsync<CoupleRow>(CouplesSql, args);
            var scores = await Measures.MeasureReads.OfClientAsync(c, caller.PracticeId, clientId);
            var onCareTeam = caller.TherapistId is { } me && await c.ExecuteScalarAsync<long>(OnCareTeamSql,
                new { caller.PracticeId, ClientId = clientId, TherapistId = me }) > 0;
            export = new ClientExport(
                clock.GetUtcNow().UtcDateTime,
                client,
                await SessionReads.OfClientAsync(c, caller, clientId, ct),
                couples.Select(c => c.PartnerAId == clientId
                    ? new ExportedCouple(c.Id, c.PartnerBId, ClosedSets.Parse<PartnerRole>(c.PartnerARole),
                        ClosedSets.Parse<BreachType>(
                            c.BreachType), c.CurrentStep, ClosedSets.Parse<CoupleStatus>(c.Status),
                        c.StartedOn)
                    : new ExportedCouple(c.Id, c.PartnerAId, ClosedSets.Parse<PartnerRole>(c.PartnerBRole),
                        ClosedSets.Parse<BreachType>(
                            c.BreachType), c.CurrentStep, ClosedSets.Parse<CoupleStatus>(c.Status),
                        c.StartedOn)).ToList(),
                // An empty list would not bind as IN; Guid.Empty is no couple's id.
                await ResponsesAsync(c, caller.PracticeId, clientId,
                    couples.Count == 0 ? [Guid.Empty] : couples.Select(c => c.Id).ToList(), ownRows, ct),
                onCareTeam
                    ? (await c.QueryAsync<Couples.ScreeningRow>(ScreeningsSql,
                        args)).Select(r => r.ToResponse()).ToList()
                    : [],
                (await c.QueryAsync<RepairWork.TriggerReads.EpisodeRow>(EpisodesSql, args))
                    .Select(r => r.ToResponse()).ToList(),
                await SupportNetwork.SupportNetworkReads.OfClientAsync(c, caller.PracticeId, clientId, ct),
                await AccessLogReads.AccessLogOfAsync(c, db, caller.PracticeId, clientId, ct),
                await Recovery.RecoveryReads.OfClientAsync(c, caller.PracticeId, clientId, ct),
                await Consents.ConsentReads.OfClientAsync(c, caller.PracticeId, clientId),
                scores.Select(r => r.ToResponse()).ToList());
            if (fhirBaseUrl is not null)
            {
                // Exercise answers and measure answers as QuestionnaireResponses, each measure's score as its
                // Observation.
                var measures = FhirJson.Measures(scores, answers: true, scores: true);
                bundle = ClientExportFhir.Bundle(export, (await FhirReads.QuestionnaireResponsesAsync(c,
                    caller.PracticeId, ownRows, ct)).Concat(measures), fhirBaseUrl);
            }
        }

        // A partner whose answers the export carries sees it in their own access log too.
        var partners = export.ExerciseResponses.Where(r => !r.Own).Select(r => r.RespondentId).Distinct();
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Export, "client", clientId, [clientId,
            .. partners]), ct);
        return (export, bundle);
    }

    /// <param name="own">Filled with the client's own response rows (for the FHIR Bundle).</param>
    private static async Task<List<ExportedResponse>> ResponsesAsync(DbSession c, Guid practiceId, Guid clientId,
        List<Guid> coupleIds, List<ResponseRow> own, CancellationToken ct)
    {
        var rows = await c.QueryAsync<ResponseRow, AssignmentSide, VisibleResponseRow>(ResponsesSql,
            (r, assignment) => new VisibleResponseRow { Response = r, Assignment = assignment },
            new { PracticeId = practiceId, ClientId = clientId, CoupleIds = coupleIds }, splitOn: "Visibility");
        // The partner's answers as the portal would show them to the client: by the exercise's visibility, the client's
        // own answers and the couple's safety hold.
        own.AddRange(rows.Where(r => r.Response.RespondentId == clientId).Select(r => r.Response));
        var answered = rows.Where(r => r.Response.RespondentId == clientId)
            .GroupBy(r => r.Response.AssignmentId)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<DateOnly>)g.Select(r => r.Response.OccurrenceDate)
            .ToHashSet());
        var held = new HashSet<Guid>();
        foreach (var coupleId in coupleIds.Where(c => c != Guid.Empty))
        {
            if (await SafetyHold.AbuseOrDangerAsync(c, practiceId, coupleId, ct)) held.Add(coupleId);
        }

        return rows
            .Where(r => r.Response.RespondentId == clientId ||
                        Visibilities.PartnerMaySee(r.Assignment.Visibility, r.Response,
                            answered.GetValueOrDefault(r.Response.AssignmentId) ?? new HashSet<DateOnly>(),
                            r.Assignment.CoupleId is { } couple && held.Contains(couple)))
            .Select(r =>
            {
                var own = r.Response.RespondentId == clientId;
                var response = r.Response.ToResponse(withReview: own);
                return new ExportedResponse(response.Id, response.AssignmentId, response.RespondentId, own,
                    response.OccurrenceDate, response.Revision,
                    response.Answers, response.SubmittedAt, own ? r.Response.Feedback : null);
            })
            .ToList();
    }
}
