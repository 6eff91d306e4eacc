using System.Globalization;
using System.Text.Json.Nodes;
using PracticeApi.Features.Assignments;
using PracticeApi.Features.Exercises;

namespace PracticeApi.Features.Fhir;

/// <summary>A patient's exercise occurrences as FHIR Tasks (one per due occurrence), paged by task id.</summary>
internal sealed class FhirTasks(Db db, AuditLog audit, PracticeCalendar calendar)
{
    internal static readonly string PatientAssignmentsSql = $"""
        SELECT {AssignmentReads.Columns} FROM AssignmentRespondents d JOIN Assignments a ON a.Id = d.AssignmentId
        WHERE d.PracticeId = @PracticeId AND d.ClientId IN @Patients AND {AssignmentReads.StaffVisible}
        """;

    /// <summary>A patient's tasks (one per due occurrence), or one task by its id.</summary>
    public async Task<FhirPage> SearchAsync(Caller caller, FhirSearch search, string? taskId, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        List<AssignmentRow> assignments;
        if (taskId is not null)
        {
            if (!TryParseTask(taskId, out var assignmentId, out _, out _)) return new FhirPage([], null);
            assignments = await AssignmentReads.FindAsync(c, caller, assignmentId, ct) is { } one ? [one] : [];
        }
        else
        {
            assignments = [];
        }

        List<JsonObject> tasks;
        if (taskId is not null)
        {
            tasks = (await TasksOfAsync(c, caller, assignments, null,
                ct)).Where(t => t["id"]!.GetValue<string>() == taskId).ToList();
        }
        else
        {
            // The patients' tasks (comma-separated patients are OR) in one set of queries however many patients: their
            // assignments, every respondent's occurrences, then only the tasks for one of the patients.
            var patients = (search.Patients ?? []).ToHashSet();
            var own = (await c.QueryAsync<AssignmentRow>(PatientAssignmentsSql, new { caller.PracticeId,
                Caseload = caller.Caseload, Patients = patients.ToList() })).DistinctBy(a => a.Id).ToList();
            tasks = (await TasksOfAsync(c, caller, own, patients.Count == 1 ? patients.Single() : null, ct))
                .Where(t => patients.Contains(Guid.Parse(
                    t["for"]!["reference"]!.GetValue<string>()["Patient/".Length..]))).ToList();
        }

        var ordered = tasks.OrderBy(t => t["id"]!.GetValue<string>(), StringComparer.Ordinal).ToList();
        // The cursor is the last task's id in its parts (assignment, day, respondent), each a key part the cursor check
        // knows.
        var after = Cursor.Decode(search.After, CursorParts) is [var assignmentPart, var dayPart, var indexPart]
            ? FhirJson.TaskId(Guid.Parse(assignmentPart), DateOnly.ParseExact(dayPart,
                Infrastructure.Data.DapperTypeHandlers.DateFormat, CultureInfo.InvariantCulture),
                int.Parse(indexPart, CultureInfo.InvariantCulture))
            : null;
        var page = ordered.Where(t => after is null || string.CompareOrdinal(t["id"]!.GetValue<string>(), after) > 0)
            .Take(search.Count + 1).ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "fhir_task", null,
            page.Select(t => Guid.Parse(t["for"]!["reference"]!.GetValue<string>()["Patient/".Length..])).Distinct()
                .ToList(), Detail: "fhir"), ct);
        return new FhirPage(page.Take(search.Count).ToList(),
            page.Count > search.Count ? TaskCursor(page[search.Count - 1]["id"]!.GetValue<string>()) : null,
            search.CountAll ? ordered.Count : null);
    }

    /// <summary>How many parts a Task search cursor has (every other type's has one: the last id).</summary>
    public const int CursorParts = 3;

    private static string TaskCursor(string taskId)
    {
        TryParseTask(taskId, out var assignmentId, out var date, out var index);
        return Cursor.Encode(assignmentId.ToString(), date.ToString(Infrastructure.Data.DapperTypeHandlers.DateFormat,
            CultureInfo.InvariantCulture), index.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Tasks of some assignments: a fixed number of queries, whatever the number of assignments.</summary>
    public async Task<List<JsonObject>> TasksOfAsync(DbSession c, Caller caller,
        IReadOnlyList<AssignmentRow> assignments, Guid? patient, CancellationToken ct)
    {
        if (assignments.Count == 0) return [];
        var templates = await TemplateReads.VersionsAsync(c, caller.PracticeId, assignments.Select(a => (a.TemplateId,
            a.TemplateVersion)), ct);
        var respondents = await AssignmentReads.RespondentsAsync(c, caller.PracticeId, assignments.Select(a => a.Id)
            .ToList(), ct);
        var due = await Occurrences.OfAsync(c, caller.PracticeId, assignments, respondents, patient, calendar, ct);
        return due.Select(d => FhirJson.Task(d.Assignment, templates[(d.Assignment.TemplateId,
            d.Assignment.TemplateVersion)], d.Occurrence, d.RespondentIndex)).ToList();
    }

    private static bool TryParseTask(string id, out Guid assignmentId, out DateOnly date, out int index)
    {
        assignmentId = default;
        date = default;
        index = 0;
        return id.Length > 47 - 1 && Guid.TryParse(id[..36], out assignmentId) &&
               DateOnly.TryParseExact(id.Substring(37, 8), "yyyyMMdd", CultureInfo.InvariantCulture,
                   DateTimeStyles.None, out date) &&
               int.TryParse(id[46..], out index);
    }
}
