namespace PracticeApi.Features.Me;

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
