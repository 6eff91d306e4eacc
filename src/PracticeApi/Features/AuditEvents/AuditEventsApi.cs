using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.AuditEvents;

/// <summary>Admins read the audit trail; nothing in the API changes or deletes it.</summary>
public static class AuditEventsApi
{
    public static IServiceCollection AddAuditEvents(this IServiceCollection services) =>
        services.AddSingleton<AuditTrailQueries>();

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

    private static async Task<Ok<Page<AccessLogEntry>>> MyAccessLog([AsParameters] AccessLogQuery query, Caller caller,
        AuditTrailQueries trail, CancellationToken ct) =>
        TypedResults.Ok(await trail.MyAccessLogAsync(caller, query, ct));

    private static async Task<Ok<Page<AuditEventResponse>>> List([AsParameters] AuditEventQuery query, Caller caller,
        AuditTrailQueries trail, CancellationToken ct) =>
        TypedResults.Ok(await trail.ListAsync(caller, query, ct));
}
