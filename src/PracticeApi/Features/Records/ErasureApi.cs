using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.Records;

public static class ErasureApi
{
    public static IServiceCollection AddErasure(this IServiceCollection services) =>
        services.AddSingleton<ErasureRequests>().AddSingleton<DecideErasure>();

    public static IEndpointRouteBuilder MapErasure(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/clients/{id:guid}/erasure-requests", Request).WithTags("Record governance")
            .WithName("RequestErasure").WithExample(RecordsExamples.RequestErasure)
            .WithSummary(
                "Record a request to erase a client's record: who asked, and when (staff who can see the client).")
            .RequireAuthorization(Policies.Staff).Validate<ErasureRequestBody>().ProducesProblems(404);
        var group = routes.MapGroup("/api/v1/erasure-requests").WithTags("Record governance")
            .RequireAuthorization(Policies.Admin);
        group.MapGet("/", List).WithName("ListErasureRequests")
            .WithSummary("The practice's erasure requests, oldest first (admin).")
            .Validate<ErasureListQuery>();
        group.MapGet("/{id:guid}", Get).WithName("GetErasureRequest").WithSummary("One erasure request (admin).")
            .ProducesProblems(404);
        group.MapPost("/{id:guid}/execute", Execute).WithName("ExecuteErasure")
            .WithExample(RecordsExamples.ExecuteErasure)
            .WithSummary("Erase the client's record after confirmation (admin; the client must be discharged).")
            .WithDescription("Irreversibly anonymises what is the client's own: name, date of birth and contact details, identifiers, " +
                             "portal tokens, the notes and addenda of their individual sessions, their exercise answers, the free text of " +
                             "their screenings and trigger episodes, and their support network. The partner's contributions to shared work " +
                             "(couples, couple sessions, the partner's own answers) stay. Audit events stay; the client's id in them no " +
                             "longer leads to anything personal. Fires client.erased. confirmClientId must repeat the client's id.")
            .Validate<ExecuteErasureBody>().ProducesProblems(404, 409);
        group.MapPost("/{id:guid}/refuse", Refuse).WithName("RefuseErasure").WithExample(RecordsExamples.RefuseErasure)
            .WithSummary("Refuse an erasure request with its reason: another person's significant interest, a legal hold, or other (admin).")
            .Validate<RefuseErasureBody>().ProducesProblems(404, 409);
        routes.MapGet("/api/v1/retention/due", Due).WithTags("Record governance").WithName("ListRetentionDue")
            .WithSummary("Discharged clients whose record is due for destruction: 20 years after its last change (WGBO art. 7:454).")
            .WithDescription("Nothing is destroyed automatically: an admin records an erasure request and executes it, or keeps the record " +
                             "longer where that is reasonably necessary.")
            .RequireAuthorization(Policies.Admin).Validate<PageQuery>();
        return routes;
    }

    private static async Task<Results<Created<ErasureRequestResponse>, ProblemHttpResult>> Request(Guid id,
        ErasureRequestBody body, Caller caller, ErasureRequests requests, CancellationToken ct) =>
        (await requests.RequestAsync(caller, id, body, ct)).ToCreated(x => $"/api/v1/erasure-requests/{x.Id}");

    private static async Task<Ok<Page<ErasureRequestResponse>>> List([AsParameters] ErasureListQuery query,
        Caller caller, ErasureRequests requests,
        CancellationToken ct) => TypedResults.Ok(await requests.ListAsync(caller, query, ct));

    private static async Task<Results<Ok<ErasureRequestResponse>, ProblemHttpResult>> Get(Guid id, Caller caller,
        ErasureRequests requests, CancellationToken ct) =>
        await requests.GetAsync(caller, id,
            ct) is { } request ? TypedResults.Ok(request) : Problems.NotFound("erasure request");

    private static async Task<Results<Ok<ErasureRequestResponse>, ProblemHttpResult>> Execute(Guid id,
        ExecuteErasureBody body, Caller caller,
        DecideErasure decide, CancellationToken ct) => (await decide.ExecuteAsync(caller, id, body, ct)).ToOk();

    private static async Task<Results<Ok<ErasureRequestResponse>, ProblemHttpResult>> Refuse(Guid id,
        RefuseErasureBody body, Caller caller,
        DecideErasure decide, CancellationToken ct) => (await decide.RefuseAsync(caller, id, body, ct)).ToOk();

    private static async Task<Ok<Page<RetentionDue>>> Due([AsParameters] PageQuery query, Caller caller,
        ErasureRequests requests, CancellationToken ct) =>
        TypedResults.Ok(await requests.DueAsync(caller, query, ct));
}
