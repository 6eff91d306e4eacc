using System.Text;
using Microsoft.AspNetCore.DataProtection;
using PracticeApi.Features.Smart;

namespace PracticeApi.Features.Fhir;

/// <summary>Where a bulk export job stands: waiting for the runner, running, done, failed, or cancelled by its
/// requester.</summary>
internal enum BulkExportStatus { Queued, Running, Completed, Failed, Cancelled }

internal sealed record BulkExportRow
{
    public Guid Id { get; init; }
    public Guid PracticeId { get; init; }
    public Guid TokenId { get; init; }
    public Guid Requester { get; init; }
    public string CallerKind { get; init; } = "";
    public Guid? TherapistId { get; init; }
    public string? CallerRole { get; init; }
    public string CallerScopes { get; init; } = "";
    public string Level { get; init; } = "";
    public Guid? GroupId { get; init; }
    public string Types { get; init; } = "";
    public DateTime? Since { get; init; }
    public string RequestUrl { get; init; } = "";
    public string Status { get; init; } = "";

    /// <summary><see cref="Status"/> as stored, read.</summary>
    public BulkExportStatus State => ClosedSets.Parse<BulkExportStatus>(Status);
    public string? Progress { get; init; }
    public string? Error { get; init; }
    public DateTime? TransactionTime { get; init; }
    public DateTime ExpiresAt { get; init; }

    /// <summary>The requesting token's consent binding, read from the token: an export sees no more than its
    /// requester.</summary>
    public Guid? ConsentRecipientId { get; init; }

    /// <summary>The caller the export runs as: the kick-off's token, with its kind, role, therapist, scopes and consent
    /// binding.</summary>
    public Caller Caller => new(PracticeId, TokenId, ClosedSets.Parse<ActorKind>(CallerKind), TherapistId, null,
        CallerRole is null ? null : ClosedSets.Parse<TherapistRole>(CallerRole),
        CallerScopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(), null, $"bulk-export:{Id}") { ConsentRecipientId = ConsentRecipientId };
}

internal sealed record BulkExportFileRow
{
    public Guid Id { get; init; }
    public string ResourceType { get; init; } = "";
    public int Resources { get; init; }
}

/// <summary>
/// Bulk exports and their files. An export belongs to its requester (a SMART client, a therapist, or an integration
/// token): only the same requester in the same practice sees its status and files, and only files of types its token
/// may read. Files are NDJSON encrypted at rest and expire with the export (Fhir:ExportHours, 24 by default).
/// </summary>
internal sealed class BulkExportStore(Db db, AuditLog audit, TimeProvider clock, IDataProtectionProvider protection,
    IConfiguration configuration)
{
    private readonly IDataProtector _protector = protection.CreateProtector("PracticeApi.BulkExportFiles.v1");

    public TimeSpan Retention { get; } = TimeSpan.FromHours(configuration.GetValue("Fhir:ExportHours", 24));

    private const string InsertSql = """
        INSERT INTO BulkExports (Id, PracticeId, TokenId, Requester, CallerKind, TherapistId, CallerRole, CallerScopes,
            Level, GroupId, Types, Since, RequestUrl, Status, CreatedAt, ExpiresAt)
        VALUES (@Id, @PracticeId, @TokenId, @Requester, @CallerKind, @TherapistId, @CallerRole, @CallerScopes, @Level,
            @GroupId, @Types, @Since, @RequestUrl, 'queued', @Now, @ExpiresAt)
        """;

    private const string Columns = """
        Id, PracticeId, TokenId, Requester, CallerKind, TherapistId, CallerRole, CallerScopes, Level, GroupId, Types,
            Since, RequestUrl, Status,
        Progress, Error, TransactionTime, ExpiresAt,
        (SELECT t.ConsentRecipientId FROM ApiTokens t WHERE t.Id = BulkExports.TokenId
            AND t.PracticeId = BulkExports.PracticeId) AS ConsentRecipientId
        """;

    internal const string GetSql = $"SELECT {Columns} FROM BulkExports WHERE PracticeId = @PracticeId AND Id = @Id";

    private const string FilesSql = """
        SELECT Id, ResourceType, Resources FROM BulkExportFiles WHERE PracticeId = @PracticeId
            AND ExportId = @Id ORDER BY ResourceType
        """;

    private const string FileSql = """
        SELECT f.ResourceType, f.ClientIds, f.Content, e.Requester FROM BulkExportFiles f JOIN BulkExports e
            ON e.Id = f.ExportId
        WHERE f.PracticeId = @PracticeId AND f.Id = @Id AND e.Status = 'completed'
        """;

    private const string CancelSql = """
        UPDATE BulkExports SET Status = 'cancelled', LeaseOwner = NULL, LeaseUntil = NULL
        WHERE PracticeId = @PracticeId AND Id = @Id AND Requester = @Requester AND Status <> 'cancelled'
        """;

    private const string DeleteFilesSql = "DELETE FROM BulkExportFiles WHERE PracticeId = @PracticeId AND ExportId = @Id";

    // A SMART client's access tokens are made by it (CreatedBy): the client, not the five-minute token, is the
    // requester.
    private const string SmartClientSql = """
        SELECT s.Id FROM ApiTokens t JOIN SmartClients s ON s.Id = t.CreatedBy AND s.PracticeId = t.PracticeId
        WHERE t.PracticeId = @PracticeId AND t.Id = @TokenId
        """;

    // A therapist's caseload, as a Group: the clients whose care team holds them.
    private const string TherapistSql = "SELECT COUNT(*) FROM Therapists WHERE PracticeId = @PracticeId AND Id = @Id";

    // Expired exports, a batch at a time (see RetentionRule): first the files of the oldest ones, then those exports.
    public const string PurgeFilesSql = $"""
        DELETE FROM BulkExportFiles WHERE ExportId IN (SELECT Id FROM BulkExports WHERE ExpiresAt < @Now ORDER BY ExpiresAt, Id {SqlDialect.Limit})
        """;

    public const string PurgeExportsSql = $"""
        DELETE FROM BulkExports WHERE Id IN (SELECT Id FROM BulkExports WHERE ExpiresAt < @Now ORDER BY ExpiresAt, Id {SqlDialect.Limit})
          AND NOT EXISTS (SELECT 1 FROM BulkExportFiles f WHERE f.ExportId = BulkExports.Id)
        """;

    private sealed record FileContentRow
    {
        public string ResourceType { get; init; } = "";
        public object? ClientIds { get; init; }
        public string Content { get; init; } = "";
        public Guid Requester { get; init; }
    }

    private async Task<Guid> RequesterAsync(DbSession c, Caller caller, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<Guid?>(SmartClientSql, new { caller.PracticeId, caller.TokenId })
        ?? caller.TherapistId ?? caller.TokenId;

    /// <summary>Queues an export; null when the group is not a therapist of the practice.</summary>
    public async Task<Guid?> KickOffAsync(Caller caller, string level, Guid? group, IReadOnlyList<string> types,
        DateTime? since, string requestUrl, CancellationToken ct)
    {
        var id = EntityIds.New();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.BeginWriteAsync(ct);
        if (group is { } therapist &&
            await c.ExecuteScalarAsync<long>(TherapistSql, new { caller.PracticeId, Id = therapist }) == 0)
        {
            return null;
        }

        var requester = await RequesterAsync(c, caller, ct);
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, caller.TokenId, Requester = requester, CallerKind = caller.Kind.Wire(),
            caller.TherapistId, CallerRole = caller.Role.Wire(),
            CallerScopes = string.Join(' ',
                caller.Scopes.Order(StringComparer.Ordinal)), Level = level, GroupId = group, Types = string.Join(
                    ',', types),
            Since = since, RequestUrl = requestUrl, Now = now, ExpiresAt = now + Retention,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Export, "fhir_bulk_export", id,
            Detail: $"{level} export of {string.Join(", ", types)} queued"));
        await c.CommitAsync();
        return id;
    }

    /// <summary>The requester's export (another requester's, or another practice's, is not found).</summary>
    public async Task<BulkExportRow?> FindAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var export = await c.QuerySingleOrDefaultAsync<BulkExportRow>(GetSql, new { caller.PracticeId, Id = id });
        return export is not null && export.Requester == await RequesterAsync(c, caller, ct) ? export : null;
    }

    /// <summary>The files of a finished export, of the types the caller's token may read.</summary>
    public async Task<List<BulkExportFileRow>> FilesAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return (await c.QueryAsync<BulkExportFileRow>(FilesSql, new { caller.PracticeId, Id = id }))
            .Where(f => SmartScopes.MayRead(caller, f.ResourceType)).ToList();
    }

    /// <summary>A file's NDJSON, decrypted, for its requester; the download is audited naming the clients in
    /// it.</summary>
    public async Task<string?> FileContentAsync(Caller caller, Guid id, CancellationToken ct)
    {
        FileContentRow? file;
        await using (var c = await db.BeginReadAsync(ct))
        {
            file = await c.QuerySingleOrDefaultAsync<FileContentRow>(FileSql, new { caller.PracticeId, Id = id });
            if (file is null || file.Requester != await RequesterAsync(c, caller, ct) || !SmartScopes.MayRead(caller,
                file.ResourceType)) return null;
        }

        var clients = StoredIds.ParseList(file.ClientIds);
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "fhir_bulk_export_file", id, clients,
            Detail: file.ResourceType), ct);
        return Encoding.UTF8.GetString(_protector.Unprotect(Convert.FromBase64String(file.Content)));
    }

    /// <summary>Cancels (or, when finished, deletes) the requester's export: its files go at once.</summary>
    public async Task<bool> CancelAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var requester = await RequesterAsync(c, caller, ct);
        if (await c.ExecuteAsync(CancelSql, new { caller.PracticeId, Id = id, Requester = requester }) == 0)
        {
            return false;
        }

        await c.ExecuteAsync(DeleteFilesSql, new { caller.PracticeId, Id = id });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Delete, "fhir_bulk_export", id,
            Detail: "cancelled"));
        await c.CommitAsync();
        return true;
    }

    /// <summary>The encrypted form of a file's NDJSON, as stored.</summary>
    public string Seal(string ndjson) => Convert.ToBase64String(_protector.Protect(Encoding.UTF8.GetBytes(ndjson)));
}
