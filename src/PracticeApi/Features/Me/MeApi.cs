namespace PracticeApi.Features.Me;

/// <param name="Kind">The token's kind: user (staff), integration or client (a partner's portal).</param>
/// <param name="PracticeId">The practice the token belongs to.</param>
/// <param name="TokenId">The token's id.</param>
/// <param name="TherapistId">The therapist, for a user token.</param>
/// <param name="Role">The therapist's role: admin or therapist.</param>
/// <param name="Scopes">What the token may do.</param>
public sealed record MeResponse(
    string Kind, Guid PracticeId, Guid TokenId, Guid? TherapistId, string? Role, IReadOnlyList<string> Scopes);

public static class MeApi
{
    public static IEndpointRouteBuilder MapMe(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/me", (Caller caller) => TypedResults.Ok(new MeResponse(
                caller.Kind, caller.PracticeId, caller.TokenId, caller.TherapistId, caller.Role,
                caller.Scopes.Order(StringComparer.Ordinal).ToList())))
            .WithTags("Me").WithName("GetMe").WithSummary("Who this token is: kind, practice, therapist and role, or scopes.")
            .RequireAuthorization();
        return routes;
    }
}
