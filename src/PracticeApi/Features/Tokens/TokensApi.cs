using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.Tokens;

public static class TokensApi
{
    public static IServiceCollection AddTokens(this IServiceCollection services) => services.AddSingleton<TokenStore>()
        .AddSingleton<TokenIssuer>();

    public static IEndpointRouteBuilder MapTokens(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/tokens").WithTags("Tokens").RequireAuthorization(Policies.Admin);

        group.MapPost("/", Create).WithName("CreateToken").WithExample(TokensExamples.CreateToken)
            .WithSummary("Issue a user or integration token; the plain token is returned once.")
            .Validate<CreateTokenRequest>().ProducesProblems(404, 409);
        group.MapGet("/", List).WithName("ListTokens").WithSummary("The practice's tokens, without secrets.")
            .Validate<TokenListQuery>();
        group.MapGet("/{id:guid}", Get).WithName("GetToken").WithSummary("One token, without its secret.")
            .ProducesProblems(404);
        group.MapDelete("/{id:guid}", Revoke).WithName("RevokeToken").WithSummary("Revoke a token at once.")
            .ProducesProblems(404);

        routes.MapPost("/api/v1/clients/{id:guid}/portal-tokens", IssuePortalToken).WithTags("Client portal")
            .WithName("IssuePortalToken").WithExample(TokensExamples.IssuePortalToken)
            .WithSummary("Issue a client token for the portal (care team); shown once.")
            .RequireAuthorization(Policies.Staff).Validate<PortalTokenRequest>().ProducesProblems(404, 409);
        return routes;
    }

    private static async Task<Results<Created<CreatedTokenResponse>, ProblemHttpResult>> Create(
        CreateTokenRequest request, Caller caller, TokenStore store, CancellationToken ct)
    {
        var outcome = await store.CreateAsync(caller, request, ct);
        if (!outcome.Succeeded) return outcome.Failure!.ToProblem();
        var (row, token) = outcome.Value;
        return TypedResults.Created($"/api/v1/tokens/{row.Id}", row.ToCreated(token));
    }

    private static async Task<Ok<Page<TokenResponse>>> List([AsParameters] TokenListQuery query, Caller caller,
        TokenStore store, CancellationToken ct)
    {
        var rows = await store.ListAsync(caller.PracticeId, query, ct);
        return TypedResults.Ok(Cursor.ToPage(rows, query.EffectiveLimit(), r => [r.Id.ToString()],
            r => r.ToResponse()));
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Get(Guid id, Caller caller,
        TokenStore store, CancellationToken ct) =>
        await store.GetAsync(caller.PracticeId, id,
            ct) is { } row ? TypedResults.Ok(row.ToResponse()) : Problems.NotFound("token");

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid id, Caller caller, TokenStore store,
        CancellationToken ct) =>
        await store.RevokeAsync(caller, id, ct) ? TypedResults.NoContent() : Problems.NotFound("token");

    private static async Task<Results<Created<PortalTokenResponse>, ProblemHttpResult>> IssuePortalToken(
        Guid id, PortalTokenRequest request, Caller caller, TokenStore store, CancellationToken ct)
    {
        var outcome = await store.CreatePortalTokenAsync(caller, id, request.Name, request.ExpiresAt, ct);
        if (!outcome.Succeeded) return outcome.Failure!.ToProblem();
        var (row, token, clientId) = outcome.Value;
        return TypedResults.Created($"/api/v1/tokens/{row.Id}", new PortalTokenResponse(row.Id, clientId, row.Name,
            row.CreatedAt, row.ExpiresAt, token));
    }
}
