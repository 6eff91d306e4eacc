using PracticeApi.Features.Assignments;
using PracticeApi.Features.Measures;

namespace PracticeApi.Features.Fhir;

/// <summary>QuestionnaireResponses: an exercise's answers, and an outcome measure's answers, in one search.</summary>
internal sealed class FhirResponses(Db db, AuditLog audit)
{
    private static readonly string ResponsesMatch = $"""
        FROM Responses r JOIN Assignments a ON a.Id = r.AssignmentId
        WHERE r.PracticeId = @PracticeId AND (@Id IS NULL OR r.Id = @Id)
          AND (@AnyPatients = 0 OR r.RespondentId IN @Patients) AND (@AnyIds = 0 OR r.Id IN @Ids)
          AND (@From IS NULL OR r.SubmittedAt >= @From) AND (@Before IS NULL OR r.SubmittedAt < @Before)
          AND {AssignmentReads.StaffVisible}
        """;

    // QuestionnaireResponses are exercise answers and measure answers: one keyset over both (Kind 0 and 1), each read
    // by id after.
    private static readonly string ResponseIdsSql = $"""
        SELECT x.Id, x.Kind FROM (
            SELECT r.Id, 0 AS Kind {ResponsesMatch} AND r.Id > @After
            UNION ALL
            SELECT s.Id, 1 AS Kind {MeasureReads.ObservationsMatch} AND s.Id > @After
        ) x
        ORDER BY x.Id {SqlDialect.Limit}
        """;

    private const string ResponsesByIdSql = """
        SELECT r.Id, r.AssignmentId, r.RespondentId, r.OccurrenceDate, r.Revision, r.Answers, r.SubmittedAt,
            r.Feedback, r.ReviewedBy, r.ReviewedAt, r.ReleasedAt
        FROM Responses r WHERE r.PracticeId = @PracticeId AND r.Id IN @Ids
        """;

    private static readonly string ResponsesCountSql = $"SELECT (SELECT COUNT(*) {ResponsesMatch}) + (SELECT COUNT(*) {MeasureReads.ObservationsMatch})";

    private sealed record ResponseKey
    {
        public Guid Id { get; init; }
        public int Kind { get; init; }
    }

    /// <summary>Exercise answers and measure answers as QuestionnaireResponses, in one keyset by id.</summary>
    public async Task<FhirPage> SearchAsync(Caller caller, FhirSearch search, Guid? id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var args = FhirPages.Args(caller, search, id);
        var keys = await c.QueryAsync<ResponseKey>(ResponseIdsSql, args);
        var kept = keys.Take(search.Count).ToList();
        var exerciseIds = kept.Where(k => k.Kind == 0).Select(k => k.Id).ToList();
        var scoreIds = kept.Where(k => k.Kind == 1).Select(k => k.Id).ToList();
        var answers = exerciseIds.Count == 0 ? [] : await c.QueryAsync<ResponseRow>(ResponsesByIdSql,
            new { caller.PracticeId, Ids = exerciseIds });
        var scores = scoreIds.Count == 0 ? [] : await c.QueryAsync<MeasureReads.ScoreRow>(MeasureReads.ScoresByIdSql,
            new { caller.PracticeId, Ids = scoreIds });
        var byId = (await FhirReads.QuestionnaireResponsesAsync(c, caller.PracticeId, answers, ct))
            .Concat(FhirJson.Measures(scores, answers: true, scores: false))
            .ToDictionary(r => Guid.Parse(r["id"]!.GetValue<string>()));

        var clients = answers.Select(r => r.RespondentId).Concat(scores.Select(s => s.ClientId)).Distinct().ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "fhir_questionnaire_response", id, clients,
            Detail: "fhir"), ct);
        return new FhirPage(kept.Select(k => byId[k.Id]).ToList(),
            keys.Count > search.Count ? Cursor.Encode(kept[^1].Id.ToString()) : null,
            await FhirPages.CountAsync(c, ResponsesCountSql, search, args, ct));
    }
}
