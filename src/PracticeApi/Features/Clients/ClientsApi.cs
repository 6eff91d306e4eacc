using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.Clients;

public static class ClientsApi
{
    public static IServiceCollection AddClients(this IServiceCollection services) => services
        .AddSingleton<RegisterClient>().AddSingleton<UpdateClient>().AddSingleton<ClientCareTeam>()
        .AddSingleton<ChangeClientStatus>().AddSingleton<ClientQueries>();

    private static readonly string Read = Policies.StaffOrScope(Scopes.ClientsRead);
    private static readonly string Write = Policies.StaffOrScope(Scopes.ClientsWrite);

    public static IEndpointRouteBuilder MapClients(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/clients").WithTags("Clients");

        group.MapPost("/", Create).WithName("CreateClient").WithExample(ClientsExamples.CreateClient)
            .WithSummary("Register a client; the creating therapist joins the care team.")
            .RequireAuthorization(Write).Validate<CreateClientRequest>().ProducesProblems(404, 409);
        group.MapGet("/", List).WithName("ListClients")
            .WithSummary("Clients on the caller's caseload (the whole practice for admins and integrations); filter by name, status, therapist, identifier.")
            .RequireAuthorization(Read).Validate<ClientListQuery>();
        group.MapPut("/by-identifier", Upsert).WithName("UpsertClientByIdentifier")
            .WithExample(ClientsExamples.UpsertClientByIdentifier)
            .WithSummary("Create (201) or update (200) the client holding an external identifier: never a duplicate (If-Match on update).")
            .WithDescription("For EHR syncs: ?system=&value= names the client by the EHR's identifier. The first call creates the client " +
                             "(with that identifier added), later calls update the same client, concurrent calls converge on one. An " +
                             "identifier is unique within the practice (409 duplicate-identifier when another client holds one of the " +
                             "body's identifiers). With an integration token the whole practice is in reach; a therapist only reaches their " +
                             "caseload, and a client outside it is a 404 like any unknown id.")
            .RequireAuthorization(Write).Validate<IdentifierQuery>().Validate<CreateClientRequest>()
            .ProducesProblems(404, 409, 412);
        group.MapGet("/{id:guid}", Get).WithName("GetClient").WithSummary("One client, with identifiers and care team.")
            .RequireAuthorization(Read).ProducesProblems(404);
        group.MapPut("/{id:guid}", Update).WithName("UpdateClient").WithExample(ClientsExamples.UpdateClient)
            .WithSummary("Change a client's details (If-Match).")
            .RequireAuthorization(Write).Validate<UpdateClientRequest>().ProducesProblems(404, 409, 412);
        group.MapPut("/{id:guid}/care-team", SetCareTeam).WithName("SetClientCareTeam")
            .WithExample(ClientsExamples.SetClientCareTeam)
            .WithSummary("Replace the therapists who treat this client (If-Match).")
            .RequireAuthorization(Write).Validate<CareTeamRequest>().ProducesProblems(404, 409, 412);
        group.MapPost("/{id:guid}/discharge", Discharge).WithName("DischargeClient")
            .WithExample(ClientsExamples.DischargeClient)
            .WithSummary("Discharge a client: portal tokens end, and future scheduled sessions are cancelled (listed in the answer).")
            .RequireAuthorization(Write).ProducesProblems(404, 409);
        group.MapPost("/{id:guid}/reactivate", Reactivate).WithName("ReactivateClient")
            .WithExample(ClientsExamples.ReactivateClient).WithSummary("Take a discharged client back into care.")
            .RequireAuthorization(Write).ProducesProblems(404, 409);
        return routes;
    }

    private static async Task<Results<Created<ClientResponse>, ProblemHttpResult>> Create(
        CreateClientRequest request, Caller caller, RegisterClient register, HttpContext http, CancellationToken ct) =>
        (await register.CreateAsync(caller, request, ct)).ToCreated(http, x => $"/api/v1/clients/{x.Id}",
            x => x.Version);

    private static async Task<Results<Created<ClientResponse>, Ok<ClientResponse>, ProblemHttpResult>> Upsert(
        [AsParameters] IdentifierQuery identifier, CreateClientRequest request, IfMatch ifMatch, Caller caller, RegisterClient register,
        HttpContext http, CancellationToken ct) =>
        (await register.UpsertAsync(caller, identifier.ToIdentifier(), request, ifMatch.ExpectedVersion, ct))
        .ToUpserted(http, x => $"/api/v1/clients/{x.Id}", x => x.Version);

    private static async Task<Ok<Page<ClientResponse>>> List([AsParameters] ClientListQuery query, Caller caller,
        ClientQueries clients, CancellationToken ct) =>
        TypedResults.Ok(await clients.ListAsync(caller, query, ct));

    private static async Task<Results<Ok<ClientResponse>, ProblemHttpResult>> Get(Guid id, Caller caller,
        ClientQueries clients, HttpContext http, CancellationToken ct)
    {
        var client = await clients.GetAsync(caller, id, ct);
        if (client is null) return Problems.NotFound("client");
        ETags.Set(http, client.Version);
        return TypedResults.Ok(client);
    }

    private static async Task<Results<Ok<ClientResponse>, ProblemHttpResult>> Update(
        Guid id, UpdateClientRequest request, IfMatch ifMatch, Caller caller, UpdateClient update, HttpContext http,
        CancellationToken ct) =>
        (await update.UpdateAsync(caller, id, request, ifMatch.ExpectedVersion, ct)).ToOk(http, x => x.Version);

    private static async Task<Results<Ok<ClientResponse>, ProblemHttpResult>> SetCareTeam(
        Guid id, CareTeamRequest request, IfMatch ifMatch, Caller caller, ClientCareTeam careTeam,
        HttpContext http, CancellationToken ct) =>
        (await careTeam.SetAsync(caller, id, request.TherapistIds, ifMatch.ExpectedVersion, ct)).ToOk(http,
            x => x.Version);

    private static async Task<Results<Ok<StatusChange>, ProblemHttpResult>> Discharge(Guid id, Caller caller,
        ChangeClientStatus change, CancellationToken ct) =>
        (await change.SetStatusAsync(caller, id, ClientStatus.Discharged, ct)).ToOk();

    private static async Task<Results<Ok<StatusChange>, ProblemHttpResult>> Reactivate(Guid id, Caller caller,
        ChangeClientStatus change, CancellationToken ct) =>
        (await change.SetStatusAsync(caller, id, ClientStatus.Active, ct)).ToOk();

}
