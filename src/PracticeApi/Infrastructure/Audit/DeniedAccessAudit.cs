namespace PracticeApi.Infrastructure.Audit;

/// <summary>
/// NEN 7513 asks for refused attempts too: an authenticated request for a resource that answers 403 (role or scope) or
/// 404 (outside the caller's practice or caseload) is audited with the outcome <c>denied</c>, naming the resource type,
/// the id asked for and the route, never the clients (the id may not be the caller's practice's). Written through the
/// grouped read-audit writer, so a burst of 404s is a few transactions, not a write each.
/// </summary>
public sealed class DeniedAccessAudit(RequestDelegate next, AuditLog audit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.Response.StatusCode is not (StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound) ||
            context.User.Identity?.IsAuthenticated != true || context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return;
        }

        var template = endpoint.RoutePattern.RawText ?? "";
        var segments = template.Trim('/').Split('/');
        var type = segments.Length > 2 && segments[0] == "api" ? segments[2] : segments.Length > 1
            && segments[0] == "fhir" ? "fhir_" + segments[1] : segments[0];
        var id = context.Request.RouteValues.TryGetValue("id", out var value) && Guid.TryParse(value?.ToString(),
            out var guid) ? guid : (Guid?)null;
        var action = context.Request.Method switch
        {
            "GET" or "HEAD" => AuditAction.Read,
            "POST" => AuditAction.Create,
            "PUT" or "PATCH" => AuditAction.Update,
            "DELETE" => AuditAction.Delete,
            _ => AuditAction.Read,
        };
        await audit.WriteAsync(Caller.From(context), new AuditEntry(action, type, id,
            Detail: $"{context.Response.StatusCode} {context.Request.Method} {template}", Outcome: AuditOutcome.Denied), CancellationToken.None);
    }
}
