namespace PracticeApi.Features.Me;

public static class MeApi
{
    public static IServiceCollection AddMe(this IServiceCollection services) => services.AddSingleton<MyDueWork>();

    public static IEndpointRouteBuilder MapMe(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/me", (Caller caller) => TypedResults.Ok(new MeResponse(
                ClosedSets.Parse<Tokens.TokenHolder>(caller.Kind.Wire()), caller.PracticeId, caller.TokenId,
                caller.TherapistId, caller.Role,
                caller.Scopes.Order(StringComparer.Ordinal).ToList())))
            .WithTags("Me").WithName("GetMe")
            .WithSummary("Who this token is: kind, practice, therapist and role, or scopes.")
            .RequireAuthorization();
        routes.MapGet("/api/v1/me/due", async ([AsParameters] PageQuery query, Caller caller, MyDueWork due,
            HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await due.ReadAsync(caller, query, Languages.Answer(http), ct)))
            .WithTags("Client portal").WithName("ListMyDueWork").RequireAuthorization(Policies.Portal)
            .Validate<PageQuery>()
            .WithSummary("What I have to do: per assignment, today's unanswered occurrence and the unanswered ones of the last two weeks; my measures to " +
                         "take; and my sessions coming up.")
            .WithDescription("For a portal app's reminders. Times are the practice's (Practice:TimeZone); an occurrence answered after its due " +
                             "time still counts, as late. Assignments with nothing to do are left out; pages walk the assignments.");
        return routes;
    }
}
