using System.Text.Json.Nodes;

namespace PracticeApi.Features.Fhir;

/// <summary>
/// Runs queued bulk exports: one instance claims an export (a lease, renewed after each resource type; a crashed
/// instance's export is taken over when it runs out and starts again), reads every page of every exported type through
/// the same searches as /fhir (so caseload, scopes and read audits are the same), and stores one NDJSON file per type.
/// </summary>
internal sealed partial class BulkExportRunner(Db db, FhirResources fhir, BulkExportStore exports, AuditLog audit,
    TimeProvider clock, IConfiguration configuration, ILogger<BulkExportRunner> logger) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private const int PageSize = 200;
    private const int PatientsPerSearch = 50;

    private readonly TimeSpan _poll = TimeSpan.FromMilliseconds(configuration.GetValue(
        "Fhir:ExportPollMilliseconds", 1000));
    private readonly bool _enabled = configuration.GetValue("Fhir:ExportRunnerEnabled", true);

    private const string ClaimSql = $"""
        UPDATE BulkExports SET Status = 'running', LeaseOwner = @Owner, LeaseUntil = @Until, Progress = 'started'
        WHERE Id IN (
            SELECT e.Id FROM BulkExports e {SqlDialect.SkipLocked}
            WHERE e.Status = 'queued' OR (e.Status = 'running' AND e.LeaseUntil < @Now)
            ORDER BY e.CreatedAt {SqlDialect.Limit})
          AND (Status = 'queued' OR (Status = 'running' AND LeaseUntil < @Now))
        """;

    private const string ClaimedSql = "SELECT Id, PracticeId FROM BulkExports WHERE LeaseOwner = @Owner AND Status = 'running'";

    // The kick-off's token must still be good when the export runs (revoking a SMART client ends its exports too).
    private const string TokenLiveSql = "SELECT COUNT(*) FROM ApiTokens WHERE PracticeId = @PracticeId AND Id = @TokenId AND RevokedAt IS NULL";

    private const string ProgressSql = """
        UPDATE BulkExports SET Progress = @Progress, LeaseUntil = @Until WHERE Id = @Id AND LeaseOwner = @Owner
            AND Status = 'running'
        """;

    private const string ClearFilesSql = "DELETE FROM BulkExportFiles WHERE PracticeId = @PracticeId AND ExportId = @Id";

    private const string InsertFileSql = """
        INSERT INTO BulkExportFiles (Id, PracticeId, ExportId, ResourceType, Resources, ClientIds, Content, CreatedAt)
        VALUES (@Id, @PracticeId, @ExportId, @ResourceType, @Resources, @ClientIds, @Content, @Now)
        """;

    private const string CompleteSql = """
        UPDATE BulkExports SET Status = 'completed', Progress = NULL, LeaseOwner = NULL, LeaseUntil = NULL,
            TransactionTime = @TransactionTime, CompletedAt = @Now, ExpiresAt = @ExpiresAt
        WHERE Id = @Id AND LeaseOwner = @Owner AND Status = 'running'
        """;

    private const string FailSql = """
        UPDATE BulkExports SET Status = 'failed', Error = @Error, LeaseOwner = NULL, LeaseUntil = NULL WHERE Id = @Id
            AND LeaseOwner = @Owner
        """;

    private const string CaseloadSql = "SELECT ClientId FROM CareTeam WHERE PracticeId = @PracticeId AND TherapistId = @TherapistId";

    private sealed record Claimed
    {
        public Guid Id { get; init; }
        public Guid PracticeId { get; init; }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _enabled ? Infrastructure.PollingLoop.RunAsync(RunDueAsync, _poll, e => LogRunFailed(logger, e.GetType().Name),
            stoppingToken) : Task.CompletedTask;

    /// <summary>Claims and runs the oldest waiting export, if any: how many it ran (0 or 1).</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        var now = clock.GetUtcNow().UtcDateTime;
        Claimed? claimed;
        await using (var c = await db.BeginWriteAsync(ct))
        {
            if (await c.ExecuteAsync(ClaimSql, new { Owner = owner, Until = now + Lease, Now = now, Limit = 1 }) == 0)
            {
                return 0;
            }

            claimed = await c.QuerySingleOrDefaultAsync<Claimed>(ClaimedSql, new { Owner = owner });
            await c.CommitAsync();
        }

        if (claimed is null) return 0;
        await RunAsync(claimed, owner, ct);
        return 1;
    }

    private async Task RunAsync(Claimed claimed, string owner, CancellationToken ct)
    {
        BulkExportRow export;
        await using (var c = await db.BeginWriteAsync(ct))
        {
            export = await c.QuerySingleAsync<BulkExportRow>(BulkExportStore.GetSql, new { claimed.PracticeId,
                claimed.Id });
            if (await c.ExecuteScalarAsync<long>(TokenLiveSql, new { export.PracticeId, export.TokenId }) == 0)
            {
                await c.ExecuteAsync(FailSql, new { export.Id, Owner = owner,
                    Error = "The token that asked for this export was revoked." });
                await c.CommitAsync();
                return;
            }

            await c.ExecuteAsync(ClearFilesSql, new { export.PracticeId, export.Id });
            await c.CommitAsync();
        }

        var caller = export.Caller;
        var transactionTime = clock.GetUtcNow().UtcDateTime;
        var patients = await PatientsAsync(caller, export, ct);
        var exported = new HashSet<Guid>();
        foreach (var type in export.Types.Split(','))
        {
            if (!await ProgressAsync(export, owner, $"exporting {type}", ct)) return; // cancelled, or taken over
            var (lines, clients) = await ResourcesAsync(caller, export, type, patients, ct);
            exported.UnionWith(clients);
            if (lines.Count == 0) continue;
            await db.ExecuteAsync(InsertFileSql, new
            {
                Id = Infrastructure.EntityIds.New(), export.PracticeId, ExportId = export.Id, ResourceType = type, Resources = lines.Count,
                ClientIds = StoredIds.List(db.Provider, clients), Content = exports.Seal(string.Join('\n',
                    lines) + "\n"), Now = clock.GetUtcNow().UtcDateTime,
            }, ct);
        }

        await using (var c = await db.BeginWriteAsync(ct))
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (await c.ExecuteAsync(CompleteSql, new
                {
                    export.Id, Owner = owner, TransactionTime = transactionTime, Now = now, ExpiresAt = now
                        + exports.Retention,
                }) == 0)
            {
                return;
            }

            await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Export, "fhir_bulk_export", export.Id,
                exported.ToList(), Detail: $"{export.Level} export of {export.Types} ready"));
            await c.CommitAsync();
        }
    }

    private async Task<bool> ProgressAsync(BulkExportRow export, string owner, string progress, CancellationToken ct)
    {
        return await db.ExecuteAsync(ProgressSql, new { export.Id, Owner = owner, Progress = progress,
            Until = clock.GetUtcNow().UtcDateTime + Lease }, ct) == 1;
    }

    /// <summary>The patients in scope: every patient the caller may read, narrowed to a therapist's caseload for a
    /// Group.</summary>
    private async Task<List<Guid>> PatientsAsync(Caller caller, BulkExportRow export,
        CancellationToken ct)
    {
        List<Guid>? within = null;
        if (export.GroupId is { } therapist)
        {
            await using var c = await db.BeginReadAsync(ct);
            within = await c.QueryAsync<Guid>(CaseloadSql, new { export.PracticeId, TherapistId = therapist });
            if (within.Count == 0) return [];
        }

        var ids = new List<Guid>();
        var pages = PagesAsync(s => fhir.Patients.SearchAsync(caller, s, ct), within, null);
        await foreach (var p in pages) ids.AddRange(p.Resources.Select(r => Guid.Parse(r["id"]!.GetValue<string>())));
        return ids;
    }

    /// <summary>Every resource of one type for the export, one NDJSON line each, and the clients they
    /// concern.</summary>
    private async Task<(List<string> Lines, HashSet<Guid> Clients)> ResourcesAsync(Caller caller, BulkExportRow export,
        string type, List<Guid> patients, CancellationToken ct)
    {
        var lines = new List<string>();
        var clients = new HashSet<Guid>();
        var since = type is "Patient" or "Appointment" or "QuestionnaireResponse" ? export.Since : null;
        if (type == "Questionnaire")
        {
            await foreach (var page in PagesAsync(s => fhir.Questionnaires.SearchAsync(caller, s, ct), null,
                null)) lines.AddRange(page.Resources.Select(r => r.ToJsonString()));
            return (lines, clients);
        }

        // A system export of Patient, Appointment or QuestionnaireResponse needs no patient filter; the others go
        // patient by patient.
        var unfiltered = export.Level == "system" && type is "Patient" or "Appointment" or "QuestionnaireResponse";
        var batches = unfiltered ? [null] : patients.Chunk(PatientsPerSearch)
            .Select(b => (IReadOnlyList<Guid>?)b).ToList();
        foreach (var batch in batches)
        {
            Func<FhirSearch, Task<FhirPage>> search = type switch
            {
                "Patient" => s => fhir.Patients.SearchAsync(caller, s, ct),
                "Appointment" => s => fhir.Appointments.SearchAsync(caller, s, null, ct),
                "QuestionnaireResponse" => s => fhir.Responses.SearchAsync(caller, s, null, ct),
                "Task" => s => fhir.Tasks.SearchAsync(caller, s, null, ct),
                "CarePlan" => s => fhir.Couples.CarePlansAsync(caller, s, null, ct),
                "Invoice" => s => fhir.Invoices.SearchAsync(caller, s, null, ct),
                "Consent" => s => fhir.Consents.SearchAsync(caller, s, null, ct),
                "Observation" => s => fhir.Observations.SearchAsync(caller, s, null, ct),
                _ => s => fhir.Couples.RelatedPersonsAsync(caller, s, null, ct),
            };
            await foreach (var page in PagesAsync(search, batch, since))
            {
                foreach (var resource in page.Resources)
                {
                    lines.Add(resource.ToJsonString());
                    foreach (var reference in References(resource)) clients.Add(reference);
                }
            }
        }

        return (lines, clients);
    }

    private static async IAsyncEnumerable<FhirPage> PagesAsync(Func<FhirSearch, Task<FhirPage>> search,
        IReadOnlyList<Guid>? patients, DateTime? since)
    {
        string? after = null;
        do
        {
            var page = await search(new FhirSearch(patients, null, since, null, PageSize, after, null, null));
            yield return page;
            after = page.NextCursor;
        } while (after is not null);
    }

    /// <summary>The patients a resource names (its id for a Patient, Patient/{id} references otherwise), for the
    /// audit.</summary>
    private static IEnumerable<Guid> References(JsonObject resource)
    {
        if (resource["resourceType"]?.GetValue<string>() == "Patient") return [Guid.Parse(
            resource["id"]!.GetValue<string>())];
        var text = resource.ToJsonString();
        var found = new List<Guid>();
        for (var at = text.IndexOf("\"Patient/", StringComparison.Ordinal); at >= 0; at = text.IndexOf("\"Patient/",
            at + 1, StringComparison.Ordinal))
        {
            if (text.Length >= at + 45 && Guid.TryParse(text.AsSpan(at + 9, 36), out var id)) found.Add(id);
        }

        return found;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk export pass failed: {ExceptionType}")]
    private static partial void LogRunFailed(ILogger logger, string exceptionType);
}
