using System.Globalization;
using System.Text.Json.Nodes;
using PracticeApi.Features.Assignments;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Exercises;
using PracticeApi.Features.Sessions;

namespace PracticeApi.Features.Fhir;

/// <summary>A parsed FHIR search: patient, identifier, _lastUpdated range, _count and the keyset cursor.</summary>
/// <param name="Patients">The patient references given (comma is OR), or null for any patient.</param>
internal sealed record FhirSearch(IReadOnlyList<Guid>? Patients, IReadOnlyList<IdentifierToken>? Identifiers,
    DateTime? UpdatedFrom, DateTime? UpdatedBefore, int Count,
    string? After, IReadOnlyList<Guid>? Ids, string? Url, bool CountAll = false);

/// <param name="Total">All matches, when counted (_total=accurate); null when not counted.</param>
internal sealed record FhirPage(IReadOnlyList<JsonObject> Resources, string? NextCursor, int? Total = null);

internal sealed partial class FhirStore(Db db, AuditLog audit, PracticeCalendar calendar)
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

    private static readonly string AppointmentsMatch = $"""
        FROM Sessions s
        WHERE s.PracticeId = @PracticeId AND (@Id IS NULL OR s.Id = @Id)
          AND (@AnyPatients = 0 OR s.Id IN (SELECT sc.SessionId FROM SessionClients sc
              WHERE sc.PracticeId = @PracticeId AND sc.ClientId IN @Patients))
          AND (@AnyIds = 0 OR s.Id IN @Ids) AND (@AnyOwners = 0 OR s.Id IN @Owners)
          AND (@From IS NULL OR s.UpdatedAt >= @From) AND (@Before IS NULL OR s.UpdatedAt < @Before)
          AND {Caseload.Session("s")}
        """;

    private static readonly string AppointmentsSql = $"""
        SELECT s.Id, s.TherapistId, s.ClientId, s.CoupleId, s.Kind, s.Modality, s.StartsAt, s.EndsAt,
            s.DurationMinutes, s.Status, s.CancelReason,
               s.CancelledByClient, s.CancelledAt, s.CompletedAt, s.NoteFormat, s.NoteSections, s.Version,
                   s.CreatedAt, s.UpdatedAt
        {AppointmentsMatch} AND s.Id > @After
        ORDER BY s.Id {SqlDialect.Limit}
        """;

    private static readonly string AppointmentsCountSql = $"SELECT COUNT(*) {AppointmentsMatch}";

    private static readonly string ResponsesMatch = $"""
        FROM Responses r JOIN Assignments a ON a.Id = r.AssignmentId
        WHERE r.PracticeId = @PracticeId AND (@Id IS NULL OR r.Id = @Id)
          AND (@AnyPatients = 0 OR r.RespondentId IN @Patients) AND (@AnyIds = 0 OR r.Id IN @Ids)
          AND (@From IS NULL OR r.SubmittedAt >= @From) AND (@Before IS NULL OR r.SubmittedAt < @Before)
          AND {AssignmentReads.StaffVisible}
        """;

    private static readonly string PatientAssignmentsSql = $"""
        SELECT {AssignmentReads.Columns} FROM AssignmentRespondents d JOIN Assignments a ON a.Id = d.AssignmentId
        WHERE d.PracticeId = @PracticeId AND d.ClientId IN @Patients AND {AssignmentReads.StaffVisible}
        """;

    private static readonly string PatientCouplesSql = $"""
        SELECT {CoupleReads.Columns} FROM Couples c
        WHERE c.PracticeId = @PracticeId AND (c.PartnerAId IN @Patients OR c.PartnerBId IN @Patients) AND {Caseload.Couple("c")}
        """;

    // Who holds an identifier token, resolved before the search (each an index seek on the practice's identifiers).
    private static async Task<List<Guid>?> OwnersAsync(DbSession c, ExternalIdentifiers identifiers, Guid practiceId,
        FhirSearch search, CancellationToken ct) =>
        search.Identifiers is null ? null : await identifiers.FindOwnersAsync(c, practiceId, search.Identifiers, ct);

    private object Args(Caller caller, FhirSearch search, Guid? id = null, List<Guid>? owners = null,
        List<string>? numbers = null) => new
    {
        caller.PracticeId, Caseload = caller.Caseload, After = Cursor.After(search.After), Id = id,
        AnyPatients = search.Patients is null ? 0 : 1, Patients = search.Patients ?? [],
        AnyIds = search.Ids is null ? 0 : 1, Ids = search.Ids ?? [], AnyOwners = owners is null
            ? 0 : 1, Owners = owners ?? [],
        AnyNumbers = numbers is null ? 0 : 1, Numbers = numbers ?? [],
        From = search.UpdatedFrom, Before = search.UpdatedBefore,
        Limit = search.Count + 1,
    };

    public async Task<FhirPage> PatientsAsync(Caller caller, FhirSearch search, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var owners = await OwnersAsync(c, ExternalIdentifiers.OfClients, caller.PracticeId, search, ct);
        var args = Args(caller, search, owners: owners);
        var rows = await c.QueryAsync<ClientRow>(PatientsSql, args);
        var kept = rows.Take(search.Count).ToList();
        var clients = await ClientReads.ToResponsesAsync(c, caller.PracticeId, kept, ct);
        var ids = clients.Select(c => c.Id).ToList();
        var resources = clients.Select(FhirJson.Patient).ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "fhir_patient", null, ids,
            Detail: "fhir"), ct);
        return new FhirPage(resources, rows.Count > search.Count ? Cursor.Encode(kept[^1].Id.ToString()) : null,
            await CountAsync(c, PatientsCountSql, search, args, ct));
    }

    /// <summary>
    /// A page of a type keyed by its row's id: the rows after the cursor, made into resources, the read audited as the
    /// type's naming the clients it shows, and the count when asked for.
    /// </summary>
    private async Task<FhirPage> IdPageAsync<TRow>(Caller caller, FhirSearch search, Guid? id, string sql,
        string countSql, string resourceType,
        Func<TRow, Guid> idOf, Func<TRow, Guid> clientOf, Func<DbSession, List<TRow>, Task<IEnumerable<JsonObject>>> resources, CancellationToken ct,
        List<string>? numbers = null)
    {
        await using var c = await db.BeginReadAsync(ct);
        var args = Args(caller, search, id, numbers: numbers);
        var rows = await c.QueryAsync<TRow>(sql, args);
        var kept = rows.Take(search.Count).ToList();
        var page = (await resources(c, kept)).ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, resourceType, id, kept.Select(clientOf)
            .Distinct().ToList(), Detail: "fhir"), ct);
        return new FhirPage(page, rows.Count > search.Count ? Cursor.Encode(idOf(kept[^1]).ToString()) : null,
            await CountAsync(c, countSql, search, args, ct));
    }

    /// <summary>All matches of a search (_total=accurate), counted with the search's own filters.</summary>
    private async Task<int?> CountAsync(DbSession c, string sql, FhirSearch search, object args,
        CancellationToken ct) =>
        search.CountAll ? await c.ExecuteScalarAsync<int>(sql, args) : null;

    public async Task<FhirPage> AppointmentsAsync(Caller caller, FhirSearch search, Guid? id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var args = Args(caller, search, id, await OwnersAsync(c, ExternalIdentifiers.OfSessions, caller.PracticeId,
            search, ct));
        var rows = await c.QueryAsync<SessionRow>(AppointmentsSql, args);
        var kept = rows.Take(search.Count).ToList();
        var sessions = await SessionReads.ToResponsesAsync(c, caller, kept, ct);
        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "fhir_appointment", id,
            sessions.SelectMany(s => s.Participants.Select(p => p.ClientId)).Distinct().ToList(), Detail: "fhir"), ct);
        return new FhirPage(sessions.Select(FhirJson.Appointment).ToList(),
            rows.Count > search.Count ? Cursor.Encode(kept[^1].Id.ToString()) : null,
            await CountAsync(c, AppointmentsCountSql, search, args, ct));
    }

    public async Task<JsonObject?> QuestionnaireAsync(Caller caller, string id, CancellationToken ct)
    {
        var dash = id.LastIndexOf("-v", StringComparison.Ordinal);
        if (dash < 0 || !Guid.TryParse(id[..dash], out var templateId) || !int.TryParse(id[(dash + 2)..],
            out var version)) return null;
        await using var c = await db.BeginReadAsync(ct);
        var template = await TemplateReads.FindAsync(c, caller.PracticeId, templateId, version, ct);
        return template is null ? null : FhirJson.Questionnaire(template);
    }

    public async Task<FhirPage> QuestionnairesAsync(Caller caller, FhirSearch search, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (search.Url is { } url)
        {
            // A response's canonical ("…/Questionnaire/{templateId}|{version}") resolves to that version; without
            // "|version" to the current one.
            var parts = url.Split('|', 2);
            var prefix = FhirJson.QuestionnaireUrl(Guid.Empty)[..^Guid.Empty.ToString().Length];
            if (!parts[0].StartsWith(prefix, StringComparison.Ordinal) || !Guid.TryParse(parts[0][prefix.Length..],
                out var templateId) ||
                (parts.Length == 2 && !int.TryParse(parts[1], out _)))
            {
                return new FhirPage([], null, 0);
            }

            var template = await TemplateReads.FindAsync(c, caller.PracticeId, templateId,
                parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : null, ct);
            return new FhirPage(template is null ? [] : [FhirJson.Questionnaire(template)], null,
                template is null ? 0 : 1);
        }

        var rows = await TemplateReads.ListAsync(c, caller.PracticeId, new TemplateListQuery { Limit = search.Count,
            Cursor = search.After }, ct);
        var kept = rows.Take(search.Count).ToList();
        return new FhirPage(kept.Select(FhirJson.Questionnaire).ToList(),
            rows.Count > search.Count ? Cursor.Encode(kept[^1].Id.ToString()) : null,
            search.CountAll ? await TemplateReads.CountAsync(c, caller.PracticeId, ct) : null);
    }

    /// <summary>A patient's tasks (one per due occurrence), or one task by its id.</summary>
    public async Task<FhirPage> TasksAsync(Caller caller, FhirSearch search, string? taskId, CancellationToken ct)
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
        var after = Cursor.Decode(search.After, TaskCursorParts) is [var assignmentPart, var dayPart, var indexPart]
            ? FhirJson.TaskId(Guid.Parse(assignmentPart), DateOnly.ParseExact(dayPart,
                Infrastructure.Data.DapperTypeHandlers.DateFormat, CultureInfo.InvariantCulture),
                int.Parse(indexPart, CultureInfo.InvariantCulture))
            : null;
        var page = ordered.Where(t => after is null || string.CompareOrdinal(t["id"]!.GetValue<string>(), after) > 0)
            .Take(search.Count + 1).ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "fhir_task", null,
            page.Select(t => Guid.Parse(t["for"]!["reference"]!.GetValue<string>()["Patient/".Length..])).Distinct()
                .ToList(), Detail: "fhir"), ct);
        return new FhirPage(page.Take(search.Count).ToList(),
            page.Count > search.Count ? TaskCursor(page[search.Count - 1]["id"]!.GetValue<string>()) : null,
            search.CountAll ? ordered.Count : null);
    }

    /// <summary>How many parts a Task search cursor has (every other type's has one: the last id).</summary>
    public const int TaskCursorParts = 3;

    private static string TaskCursor(string taskId)
    {
        TryParseTask(taskId, out var assignmentId, out var date, out var index);
        return Cursor.Encode(assignmentId.ToString(), date.ToString(Infrastructure.Data.DapperTypeHandlers.DateFormat,
            CultureInfo.InvariantCulture), index.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Tasks of some assignments: a fixed number of queries, whatever the number of assignments.</summary>
    private async Task<List<JsonObject>> TasksOfAsync(DbSession c, Caller caller,
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
