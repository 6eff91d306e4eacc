using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.AuditEvents;

/// <param name="Id">The event's id.</param>
/// <param name="OccurredAt">When it happened (UTC).</param>
/// <param name="ActorKind">Who acted: user (staff), integration, client (a partner's portal) or system.</param>
/// <param name="ActorId">The therapist, client or client registration that acted.</param>
/// <param name="TokenId">The token the request came with.</param>
/// <param name="Action">What was done, such as read, create, update or delete.</param>
/// <param name="ResourceType">The kind of record acted on.</param>
/// <param name="ResourceId">The record acted on.</param>
/// <param name="Outcome">success or failure.</param>
/// <param name="SourceIp">The address the request came from.</param>
/// <param name="RequestId">The request's trace id, to match server logs.</param>
/// <param name="Detail">Extra facts about the action (never clinical text).</param>
/// <param name="ClientIds">The clients whose record was touched.</param>
public sealed record AuditEventResponse(
    Guid Id, DateTime OccurredAt, string ActorKind, Guid? ActorId, Guid? TokenId, string Action, string ResourceType,
    Guid? ResourceId, string Outcome, string? SourceIp, string? RequestId, string? Detail, IReadOnlyList<Guid> ClientIds);

/// <summary>A page of an audit trail, newest first, between from and to.</summary>
public interface IAuditWindowQuery : IPageQuery
{
    DateTimeOffset? From { get; }
    DateTimeOffset? To { get; }
}

public sealed record AuditEventQuery : IAuditWindowQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    public Guid? ActorId { get; init; }
    public Guid? ClientId { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
}

internal static class AuditWindowRules
{
    /// <summary>Paging by (time, id), and from/to within the supported years with to after from.</summary>
    public static void ApplyAuditWindow<T>(this AbstractValidator<T> validator) where T : IAuditWindowQuery
    {
        validator.ApplyPaging(cursorParts: 2);
        validator.RuleFor(q => q.From).WithinWindow();
        validator.RuleFor(q => q.To).WithinWindow();
        validator.RuleFor(q => q.To).Must((q, to) => q.From is null || to is null || to > q.From).WithMessage("to must be after from.");
    }
}

internal sealed class AuditEventQueryValidator : AbstractValidator<AuditEventQuery>
{
    public AuditEventQueryValidator() => this.ApplyAuditWindow();
}

internal sealed record AuditEventRow
{
    public Guid Id { get; init; }
    public DateTime OccurredAt { get; init; }
    public string ActorKind { get; init; } = "";
    public Guid? ActorId { get; init; }
    public Guid? TokenId { get; init; }
    public string Action { get; init; } = "";
    public string ResourceType { get; init; } = "";
    public Guid? ResourceId { get; init; }
    public string Outcome { get; init; } = "";
    public string? SourceIp { get; init; }
    public string? RequestId { get; init; }
    public string? Detail { get; init; }
    public object? ClientIds { get; init; }
}

/// <summary>
/// One entry of a client's access log: who (staff: a therapist or admin by name and current role, an integration by its name, the client, their
/// partner, or the practice system), when, what they did and with what kind of data.
/// </summary>
/// <param name="OccurredAt">When the record was accessed (UTC).</param>
/// <param name="ActorKind">staff, integration, self (the client through the portal), partner (the other partner) or system.</param>
/// <param name="ActorName">The name of the person or system that accessed it.</param>
/// <param name="ActorRole">The staff role at the time, for staff.</param>
/// <param name="Action">What was done, in plain words.</param>
/// <param name="DataKind">Which part of the record was accessed.</param>
public sealed record AccessLogEntry(DateTime OccurredAt, string ActorKind, string? ActorName, string? ActorRole, string Action, string DataKind);

public sealed record AccessLogQuery : IAuditWindowQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
}

internal sealed class AccessLogQueryValidator : AbstractValidator<AccessLogQuery>
{
    public AccessLogQueryValidator() => this.ApplyAuditWindow();
}

internal sealed record AccessLogRow
{
    public Guid Id { get; init; }
    public DateTime OccurredAt { get; init; }
    public string ActorKind { get; init; } = "";
    public Guid? ActorId { get; init; }
    public string Action { get; init; } = "";
    public string ResourceType { get; init; } = "";
    public Guid? TokenId { get; init; }
}

internal sealed record ActorNameRow
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string? Role { get; init; }
}

/// <summary>Admins read the audit trail; nothing in the API changes or deletes it.</summary>
public static class AuditEventsApi
{
    private const string Columns = """
        e.Id, e.OccurredAt, e.ActorKind, e.ActorId, e.TokenId, e.Action, e.ResourceType, e.ResourceId, e.Outcome,
        e.SourceIp, e.RequestId, e.Detail, e.ClientIds
        """;

    // Always-bound time range (no "@X IS NULL OR"), so the (PracticeId, ..., OccurredAt) index seeks straight to the page.
    private const string Window = """
        {0}.OccurredAt >= @From AND {0}.OccurredAt <= @Upper
        AND ({0}.OccurredAt < @Upper OR {1} < @AfterId)
        """;

    // Newest first; each variant is served by an index that starts with PracticeId.
    private static readonly string ByPractice = $"""
        SELECT {Columns} FROM AuditEvents e
        WHERE e.PracticeId = @PracticeId AND (@ActorId IS NULL OR e.ActorId = @ActorId) AND {string.Format(Window, "e", "e.Id")}
        ORDER BY e.OccurredAt DESC, e.Id DESC {SqlDialect.Limit}
        """;

    private static readonly string ByClient = $"""
        SELECT {Columns} FROM AuditEventClients c
        JOIN AuditEvents e ON e.Id = c.AuditEventId
        WHERE c.PracticeId = @PracticeId AND c.ClientId = @ClientId AND (@ActorId IS NULL OR e.ActorId = @ActorId)
          AND {string.Format(Window, "c", "c.AuditEventId")}
        ORDER BY c.OccurredAt DESC, c.AuditEventId DESC {SqlDialect.Limit}
        """;

    // A client's own entries (the AuditEventClients key PracticeId, ClientId, OccurredAt); refused attempts are not
    // accesses and are left out. The therapists' and integrations' names are read for the page (NamesOf).
    private static readonly string AccessLog = $"""
        SELECT e.Id, e.OccurredAt, e.ActorKind, e.ActorId, e.TokenId, e.Action, e.ResourceType
        FROM AuditEventClients c
        JOIN AuditEvents e ON e.Id = c.AuditEventId
        WHERE c.PracticeId = @PracticeId AND c.ClientId = @ClientId AND e.Outcome = 'success'
          AND {string.Format(Window, "c", "c.AuditEventId")}
        ORDER BY c.OccurredAt DESC, c.AuditEventId DESC {SqlDialect.Limit}
        """;

    private const string TherapistNames = "SELECT Id, Name, Role FROM Therapists WHERE PracticeId = @PracticeId AND Id IN @Ids";
    private const string TokenNames = "SELECT Id, Name FROM ApiTokens WHERE PracticeId = @PracticeId AND Id IN @Ids";

    private static readonly Guid MaxId = Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff");

    private static DateTime Earliest(DateTime? a, DateTime? b) =>
        new[] { a, b, new DateTime(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc) }.Where(d => d is not null).Min()!.Value;

    public static IEndpointRouteBuilder MapAuditEvents(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/audit-events", List).WithTags("Audit").WithName("ListAuditEvents")
            .WithSummary("The practice's audit trail, newest first; filter by actor, client and time (admin).")
            .RequireAuthorization(Policies.Admin).Validate<AuditEventQuery>();
        routes.MapGet("/api/v1/me/access-log", MyAccessLog).WithTags("Client portal").WithName("GetMyAccessLog")
            .WithSummary("Who looked at or changed my record, when, and what kind of data (newest first).")
            .WithDescription("The electronic access overview a client is entitled to (WGBO, NEN 7513): every read and change of the " +
                             "client's own record by a therapist or admin (by name and role), an integration (by its name), the client, " +
                             "their partner (through shared couple work) or the practice system. Entries about the partner's record alone " +
                             "never appear; a safety screening reads as clinical_assessment and a safety-hold override as update. Refused attempts are not accesses and are left out. Reading this log is itself logged.")
            .RequireAuthorization(Policies.Portal).Validate<AccessLogQuery>();
        return routes;
    }

    /// <summary>A client's whole access log, newest first (for the client's export), read in pages of 200; the caller flushes the audit log first.</summary>
    internal static async Task<List<AccessLogEntry>> AccessLogOfAsync(DbSession c, Db db, Guid practiceId, Guid clientId,
        CancellationToken ct)
    {
        var entries = new List<AccessLogEntry>();
        var (upper, after) = (Earliest(null, null), MaxId);
        while (true)
        {
            var (rows, toEntry) = await AccessLogPageAsync(c, db, practiceId, clientId, DateTime.MinValue, upper, after, 200, ct);
            entries.AddRange(rows.Select(toEntry));
            if (rows.Count < 200) return entries;
            (upper, after) = (rows[^1].OccurredAt, rows[^1].Id);
        }
    }

    /// <summary>
    /// One page of a client's access log, and how each row reads: who (staff by name and current role, an integration by its
    /// name, the client, their partner or the system). Names are read once for the page, not per row.
    /// </summary>
    private static async Task<(List<AccessLogRow> Rows, Func<AccessLogRow, AccessLogEntry> ToEntry)> AccessLogPageAsync(
        DbSession c, Db db, Guid practiceId, Guid clientId, DateTime from, DateTime upper, Guid afterId, int limit,
        CancellationToken ct)
    {
        var rows = await c.QueryAsync<AccessLogRow>(AccessLog, new
        {
            PracticeId = AuditKeys.Of(db, practiceId), ClientId = AuditKeys.Of(db, clientId), From = from, Upper = upper,
            AfterId = AuditKeys.Of(db, afterId), Limit = limit,
        });

        async Task<Dictionary<Guid, ActorNameRow>> NamesAsync(string sql, IEnumerable<Guid?> ids)
        {
            var distinct = ids.OfType<Guid>().Distinct().ToArray();
            if (distinct.Length == 0) return [];
            return (await c.QueryAsync<ActorNameRow>(sql, new { PracticeId = practiceId, Ids = distinct }))
                .ToDictionary(n => n.Id);
        }

        var therapists = await NamesAsync(TherapistNames, rows.Where(r => r.ActorKind == TokenKinds.User).Select(r => r.ActorId));
        var tokens = await NamesAsync(TokenNames, rows.Where(r => r.ActorKind == TokenKinds.Integration).Select(r => r.TokenId));
        return (rows, r =>
        {
            var (action, kind) = Discreet(r.Action, r.ResourceType);
            return r.ActorKind switch
            {
                TokenKinds.User => new AccessLogEntry(r.OccurredAt, "staff", therapists.GetValueOrDefault(r.ActorId ?? Guid.Empty)?.Name,
                    therapists.GetValueOrDefault(r.ActorId ?? Guid.Empty)?.Role, action, kind),
                TokenKinds.Integration => new AccessLogEntry(r.OccurredAt, "integration", tokens.GetValueOrDefault(r.TokenId ?? Guid.Empty)?.Name, null,
                    action, kind),
                TokenKinds.Client => new AccessLogEntry(r.OccurredAt, r.ActorId == clientId ? "self" : "partner", null, null, action, kind),
                _ => new AccessLogEntry(r.OccurredAt, "system", null, null, action, kind),
            };
        });
    }

    /// <summary>
    /// How an entry reads to the client: every access is listed, but a safety screening reads as a clinical assessment and
    /// a safety-hold override as an update, so the log never tells a partner that a screening was made or a hold is on
    /// (the partner may be the one it protects someone from).
    /// </summary>
    internal static (string Action, string DataKind) Discreet(string action, string resourceType) =>
        (action == Infrastructure.Audit.AuditActions.Override ? Infrastructure.Audit.AuditActions.Update : action,
            resourceType == "safety_screening" ? "clinical_assessment" : resourceType);

    private static async Task<Ok<Page<AccessLogEntry>>> MyAccessLog([AsParameters] AccessLogQuery query, Caller caller, Db db,
        Infrastructure.Audit.AuditLog audit, CancellationToken ct)
    {
        var me = caller.ClientId!.Value;
        var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
        var limit = query.EffectiveLimit();
        var upper = Earliest(afterAt, query.To?.UtcDateTime.AddTicks(-1));
        await audit.FlushAsync(ct);
        List<AccessLogRow> rows;
        Func<AccessLogRow, AccessLogEntry> toEntry;
        await using (var c = await db.BeginReadAsync(ct))
        {
            (rows, toEntry) = await AccessLogPageAsync(c, db, caller.PracticeId, me, query.From?.UtcDateTime ?? DateTime.MinValue, upper,
                afterAt == upper ? afterId!.Value : MaxId, limit + 1, ct);
        }

        await audit.WriteAsync(caller, new Infrastructure.Audit.AuditEntry(Infrastructure.Audit.AuditActions.Read, "access_log", null, [me]), ct);
        return TypedResults.Ok(Cursor.ToPage(rows, limit, r => [DapperTypeHandlers.ToText(r.OccurredAt), r.Id.ToString()], toEntry));
    }

    private static async Task<Ok<Page<AuditEventResponse>>> List([AsParameters] AuditEventQuery query, Caller caller, Db db,
        Infrastructure.Audit.AuditLog audit, CancellationToken ct)
    {
        await audit.FlushAsync(ct);
        var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
        var limit = query.EffectiveLimit();
        var upper = Earliest(afterAt, query.To?.UtcDateTime.AddTicks(-1));
        // The id tie-break applies only when the cursor's own time is the upper bound.
        var tieBreak = afterAt == upper ? afterId!.Value : MaxId;
        await using var c = await db.BeginReadAsync(ct);
        var rows = await c.QueryAsync<AuditEventRow>(query.ClientId is null ? ByPractice : ByClient, new
            {
                PracticeId = AuditKeys.Of(db, caller.PracticeId), ActorId = AuditKeys.Of(db, query.ActorId), ClientId = AuditKeys.Of(db, query.ClientId),
                From = query.From?.UtcDateTime ?? DateTime.MinValue,
                // Newest first: below the cursor's event, and strictly before "to".
                Upper = upper,
                AfterId = AuditKeys.Of(db, tieBreak),
                Limit = limit + 1,
            });

        // Reading the trail is itself in the trail: who looked, at whose events (the client filter) or the practice's.
        await audit.WriteAsync(caller, new Infrastructure.Audit.AuditEntry(Infrastructure.Audit.AuditActions.Read, "audit_events", null,
            query.ClientId is { } filtered ? [filtered] : [], Detail: query.ActorId is { } byActor ? $"actor {byActor}" : null), ct);
        return TypedResults.Ok(Cursor.ToPage(rows, limit,
            r => [DapperTypeHandlers.ToText(r.OccurredAt), r.Id.ToString()],
            r => new AuditEventResponse(r.Id, r.OccurredAt, r.ActorKind, r.ActorId, r.TokenId, r.Action, r.ResourceType, r.ResourceId,
                r.Outcome, r.SourceIp, r.RequestId, r.Detail, AuditKeys.ParseClients(r.ClientIds))));
    }
}
