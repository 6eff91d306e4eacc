using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.Smart;

/// <summary>SMART Backend Services: client registration (admins), discovery and the token endpoint.</summary>
public static class SmartApi
{
    public static IServiceCollection AddSmartBackendServices(this IServiceCollection services) =>
        services.AddSingleton<SmartStore>().AddSingleton<SmartKeySets>()
            .AddSingleton(new RetentionRule(SmartStore.PurgeAssertionsSql));

    public static IEndpointRouteBuilder MapSmartBackendServices(this IEndpointRouteBuilder routes)
    {
        var clients = routes.MapGroup("/api/v1/smart-clients").WithTags("SMART Backend Services")
            .RequireAuthorization(Policies.Admin);
        clients.MapPost("/", Register).WithName("RegisterSmartClient").WithExample(SmartExamples.RegisterSmartClient)
            .WithSummary("Register an EHR as a SMART Backend Services client: its public keys (JWKS) and the system scopes it may ask for.")
            .Validate<SmartClientRequest>();
        clients.MapGet("/", List).WithName("ListSmartClients")
            .WithSummary("The practice's SMART clients (public keys by kid, scopes).")
            .Validate<IdPageQuery>();
        clients.MapDelete("/{id:guid}", Revoke).WithName("RevokeSmartClient")
            .WithSummary("Revoke a SMART client: it gets no new access tokens, and the ones it was issued stop working at once.").ProducesProblems(404);

        routes.MapGet("/.well-known/smart-configuration", Configuration).AllowAnonymous()
            .WithTags("SMART Backend Services")
            .WithName("SmartConfiguration")
            .WithSummary("SMART discovery: the token endpoint, the grant, the assertion algorithms and scopes.");
        // Where SMART clients look first: relative to the FHIR base (public, like the CapabilityStatement).
        routes.MapGet("/fhir/.well-known/smart-configuration", Configuration).AllowAnonymous()
            .WithTags("SMART Backend Services")
            .WithName("FhirSmartConfiguration")
            .WithSummary(
                "SMART discovery relative to the FHIR base: the same document as /.well-known/smart-configuration.");
        // The form is documented, not enforced by routing: a request in any other content type gets an OAuth error body
        // (RFC 6749 section 5.2) from the handler, never a routing 415 problem.
        routes.MapPost("/oauth/token", Token).AllowAnonymous().DisableAntiforgery().WithTags("SMART Backend Services")
            .WithName("OAuthToken").WithExample(SmartExamples.OAuthToken)
            .WithSummary("Client credentials with a signed JWT assertion (private_key_jwt, RS384 or ES384); a five-minute access token.")
            .WithMetadata(new FormBody(typeof(TokenRequestForm)))
            .Produces<TokenGrant>().Produces<OAuthError>(StatusCodes.Status400BadRequest)
            .Produces<OAuthError>(StatusCodes.Status401Unauthorized);
        return routes;
    }

    /// <summary>The token endpoint's URL: the audience every assertion must name.</summary>
    private static string TokenEndpoint(HttpContext http, IConfiguration configuration) =>
        configuration["Smart:TokenEndpoint"] ?? http.RequestServices.GetRequiredService<PublicAddress>()
            .For("/oauth/token");

    private static async Task<Results<Created<SmartClientResponse>, ProblemHttpResult>> Register(
        SmartClientRequest request, Caller caller, SmartStore store, CancellationToken ct) =>
        (await store.RegisterAsync(caller, request,
            ct)).ToCreated(client => $"/api/v1/smart-clients/{client.ClientId}");

    private static async Task<Ok<Page<SmartClientResponse>>> List([AsParameters] IdPageQuery query, Caller caller,
        SmartStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(caller, query, ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid id, Caller caller, SmartStore store,
        CancellationToken ct) =>
        await store.RevokeAsync(caller, id, ct) ? TypedResults.NoContent() : Problems.NotFound("SMART client");

    private static IResult Configuration(HttpContext http, IConfiguration configuration) =>
        TypedResults.Json(new Dictionary<string, object>
    {
        ["token_endpoint"] = TokenEndpoint(http, configuration),
        ["grant_types_supported"] = new[] { "client_credentials" },
        ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
        ["token_endpoint_auth_signing_alg_values_supported"] = SmartKeys.Algorithms,
        ["scopes_supported"] = new[] { "system/*.read", "system/*.rs" }
            .Concat(SmartScopes.ResourceTypes.SelectMany(t => new[] { $"system/{t}.read",
            $"system/{t}.rs" })).ToArray(),
        ["token_endpoint_auth_key_requirements"] = SmartKeys.AcceptedKeys,
        // Backend services: asymmetric client authentication; scopes in both SMART v1 (.read) and v2 (.rs) syntax.
        ["capabilities"] = new[] { "client-confidential-asymmetric", "permission-v1", "permission-v2" },
    });

    private static async Task<IResult> Token(HttpContext http, SmartStore store, IConfiguration configuration,
        FailedAuthentications failures, Infrastructure.Audit.AuditLog audit, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
        {
            return TypedResults.Json(new OAuthError("invalid_request",
                "Send the request as application/x-www-form-urlencoded."), statusCode: 400);
        }

        var form = await http.Request.ReadFormAsync(ct);
        var outcome = await store.GrantAsync(form, TokenEndpoint(http, configuration),
            http.Connection.RemoteIpAddress?.ToString(), http.TraceIdentifier, ct);
        http.Response.Headers.Pragma = "no-cache";
        if (outcome.Error is { } refused)
        {
            // Audited like a failed bearer token, and bounded the same way (the 1st, 10th, 100th… per address and
            // minute).
            await failures.RecordAsync(audit, outcome.PracticeId, outcome.ClientId,
                $"token request refused: {refused.Error}: {refused.ErrorDescription}",
                http.Connection.RemoteIpAddress?.ToString(), http.TraceIdentifier);
        }

        return outcome.Error is { } error
            ? TypedResults.Json(error, statusCode: error.Status)
            : TypedResults.Json(outcome.Grant!);
    }
}
