using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.SupportNetwork;

public static class SupportNetworkApi
{
    public static IServiceCollection AddSupportNetwork(this IServiceCollection services) =>
        services.AddSingleton<SupportNetworkStore>();

    public static IEndpointRouteBuilder MapSupportNetwork(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/clients/{id:guid}/support-network").WithTags("Support network")
            .RequireAuthorization(Policies.Staff);

        group.MapGet("/", async (Guid id, [AsParameters] IdPageQuery query, Caller caller, SupportNetworkStore store,
            CancellationToken ct) =>
                (await store.ListAsync(caller, id, query, ct)).ToOk())
            .WithName("ListSupportNetwork").WithSummary("The people in a client's life and how each affects recovery.")
            .Validate<IdPageQuery>().ProducesProblems(404);
        group.MapPost("/", async (Guid id, SupportPersonRequest request, Caller caller, SupportNetworkStore store,
            CancellationToken ct) =>
                (await store.AddAsync(caller, id, request,
                    ct)).ToCreated(p => $"/api/v1/clients/{id}/support-network/{p.Id}"))
            .WithName("AddSupportPerson").WithExample(SupportNetworkExamples.AddSupportPerson)
            .WithSummary("Add a person to the client's support network.")
            .Validate<SupportPersonRequest>().ProducesProblems(404);
        group.MapPut("/{personId:guid}", async (Guid id, Guid personId, SupportPersonRequest request, IfMatch ifMatch,
            Caller caller, SupportNetworkStore store, HttpContext http, CancellationToken ct) =>
                (await store.UpdateAsync(caller, id, personId, request, ifMatch.ExpectedVersion, ct)).ToOk(http,
                    p => p.Version))
            .WithName("UpdateSupportPerson").WithExample(SupportNetworkExamples.UpdateSupportPerson)
            .WithSummary("Change a person in the support network (If-Match).")
            .Validate<SupportPersonRequest>().ProducesProblems(404, 412);
        group.MapDelete("/{personId:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, Guid personId,
            Caller caller, SupportNetworkStore store, CancellationToken ct) =>
                await store.DeleteAsync(caller, id, personId,
                    ct) is { } failure ? failure.ToProblem() : TypedResults.NoContent())
            .WithName("RemoveSupportPerson").WithExample(SupportNetworkExamples.RemoveSupportPerson)
            .WithSummary("Remove a person from the support network.").ProducesProblems(404);
        return routes;
    }
}
