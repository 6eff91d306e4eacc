using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PracticeApi.Infrastructure.Http;

/// <summary>
/// Each operation's description says what its summary does not, read from the endpoint itself so it cannot drift: who
/// may call it (its authorization policies), whether a list pages by cursor, whether a change needs If-Match, and that
/// a retried write is safe with an Idempotency-Key.
/// </summary>
internal static class OperationDescriptions
{
    private const string StaffOrPrefix = "staff-or:";
    private const string AdminOrPrefix = "admin-or:";

    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var fhir = context.Description.RelativePath?.StartsWith("fhir", StringComparison.Ordinal) == true;
        var lines = new List<string> { Access(metadata, fhir) };
        if (operation.Parameters?.Any(p => string.Equals(p.Name, "cursor", StringComparison.OrdinalIgnoreCase)
            && p.In == ParameterLocation.Query) == true)
        {
            lines.Add($"Keyset-paginated: `limit` (1–{Cursor.MaxLimit}, default {Cursor.DefaultLimit}) rows per page; pass the page's " +
                      "`nextCursor` as `cursor` for the next one (null on the last page).");
        }

        if (operation.Responses?.ContainsKey("412") == true)
        {
            lines.Add("Send the version you read as `If-Match` (the ETag of the GET); a changed record answers 412 and nothing is written.");
        }

        if (context.Description.HttpMethod is "POST" or "PUT" && metadata.OfType<IAuthorizeData>().Any()
            && !metadata.OfType<IAllowAnonymous>().Any())
        {
            lines.Add($"A retry with the same `{IdempotencyMiddleware.Header}` and body answers the first response instead of acting twice.");
        }

        var described = string.Join("\n\n", lines);
        operation.Description = operation.Description is { Length: > 0 } own ? own + "\n\n" + described : described;
        return Task.CompletedTask;
    }

    private static string Access(IList<object> metadata, bool fhir)
    {
        if (metadata.OfType<IAllowAnonymous>().Any()) return "Public: no token is needed.";
        if (fhir)
        {
            return "Who may call: a staff user token, an integration token with the fhir:read scope, or a SMART Backend Services " +
                   "access token; a SMART token reads only the resource types its system scopes name.";
        }

        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList();
        // Every policy must hold: the strictest one says who may call.
        if (policies.Contains(Policies.Admin) || (policies.Contains(Policies.Staff)
            && policies.Any(IsAdminOr))) policies = [Policies.Admin];
        else if (policies.Contains(Policies.Staff)) policies = [Policies.Staff];

        var who = policies.Select(Describe).ToList();
        return who.Count == 0 ? "Who may call: any valid token of the practice." : "Who may call: "
            + string.Join("; and ", who) + ".";
    }

    private static bool IsAdminOr(string policy) => policy.StartsWith(AdminOrPrefix, StringComparison.Ordinal);

    private static string Describe(string policy) => policy switch
    {
        Policies.Staff => "a therapist's or admin's user token (a therapist sees their own caseload)",
        Policies.Admin => "an admin's user token",
        Policies.Portal => "a client's portal token, acting for the client themselves",
        Policies.StaffOrPartner => "a staff user token, or a partner's portal token for their own couple",
        _ when policy.StartsWith(StaffOrPrefix, StringComparison.Ordinal) =>
            $"a staff user token, or an integration token with the {policy[StaffOrPrefix.Length..]} scope",
        _ when IsAdminOr(policy) =>
            $"an admin's user token, or an integration token with the {policy[AdminOrPrefix.Length..]} scope",
        _ => throw new InvalidOperationException(
            $"The authorization policy '{policy}' has no description for the OpenAPI document."),
    };
}
