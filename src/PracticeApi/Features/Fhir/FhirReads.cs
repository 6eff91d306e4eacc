using System.Text.Json.Nodes;
using PracticeApi.Features.Assignments;
using PracticeApi.Features.Exercises;

namespace PracticeApi.Features.Fhir;

/// <summary>FHIR resources other features put in their own documents (a client's export carries their
/// responses).</summary>
internal static class FhirReads
{
    private static readonly string AssignmentsByIdSql =
        $"SELECT {AssignmentReads.Columns} FROM Assignments a WHERE a.PracticeId = @PracticeId AND a.Id IN @Ids";

    /// <summary>Responses as QuestionnaireResponses, each with its questionnaire's version and its task (also for a
    /// client's export).</summary>
    public static async Task<List<JsonObject>> QuestionnaireResponsesAsync(DbSession c, Guid practiceId,
        IReadOnlyList<ResponseRow> rows, CancellationToken ct)
    {
        var assignmentIds = rows.Select(r => r.AssignmentId).Distinct().ToList();
        var assignments = assignmentIds.Count == 0
            ? []
            : (await c.QueryAsync<AssignmentRow>(AssignmentsByIdSql, new { PracticeId = practiceId,
                Ids = assignmentIds })).ToDictionary(a => a.Id);
        var templates = await TemplateReads.VersionsAsync(c, practiceId, assignments.Values.Select(a => (a.TemplateId,
            a.TemplateVersion)), ct);
        var respondents = await AssignmentReads.RespondentsAsync(c, practiceId, assignmentIds, ct);
        return rows.Select(r =>
        {
            var assignment = assignments[r.AssignmentId];
            return FhirJson.QuestionnaireResponse(r.ToResponse(), templates[(assignment.TemplateId,
                assignment.TemplateVersion)],
                FhirJson.TaskId(assignment.Id, r.OccurrenceDate, respondents[assignment.Id].ToList()
                    .IndexOf(r.RespondentId)));
        }).ToList();
    }
}
