using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.Therapists;

public static class TherapistsApi
{
    public static IServiceCollection AddTherapists(this IServiceCollection services) =>
        services.AddSingleton<TherapistStore>();

    public static IEndpointRouteBuilder MapTherapists(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/therapists").WithTags("Therapists").RequireAuthorization(Policies.Staff);

        group.MapPost("/", Create).WithName("CreateTherapist").WithExample(TherapistsExamples.CreateTherapist)
            .WithSummary("Add a therapist or admin to the practice (admin).")
            .RequireAuthorization(Policies.Admin).Validate<CreateTherapistRequest>().ProducesProblems(409);
        group.MapGet("/", List).WithName("ListTherapists").WithSummary("The practice's therapists, keyset-paginated.")
            .Validate<TherapistListQuery>();
        group.MapGet("/{id:guid}", Get).WithName("GetTherapist").WithSummary("One therapist.").ProducesProblems(404);
        group.MapPut("/{id:guid}", Update).WithName("UpdateTherapist").WithExample(TherapistsExamples.UpdateTherapist)
            .WithSummary("Change name, email or role (admin; If-Match).")
            .RequireAuthorization(Policies.Admin).Validate<UpdateTherapistRequest>().ProducesProblems(404, 409, 412);
        group.MapPost("/{id:guid}/deactivate", Deactivate).WithName("DeactivateTherapist")
            .WithSummary("Deactivate a therapist and revoke their tokens at once (admin).")
            .RequireAuthorization(Policies.Admin).ProducesProblems(404, 409);
        return routes;
    }

    private static async Task<Results<Created<TherapistResponse>, ProblemHttpResult>> Create(
        CreateTherapistRequest request, Caller caller, TherapistStore store, HttpContext http, CancellationToken ct)
    {
        var outcome = await store.CreateAsync(caller, request, ct);
        return (outcome.Succeeded ? outcome.Value!.ToResponse() : (Outcome<TherapistResponse>)outcome.Failure!)
            .ToCreated(http, t => $"/api/v1/therapists/{t.Id}", t => t.Version);
    }

    private static async Task<Ok<Page<TherapistResponse>>> List(
        [AsParameters] TherapistListQuery query, Caller caller, TherapistStore store, CancellationToken ct)
    {
        var rows = await store.ListAsync(caller.PracticeId, query, ct);
        return TypedResults.Ok(Cursor.ToPage(rows, query.EffectiveLimit(), r => [r.Id.ToString()],
            r => r.ToResponse()));
    }

    private static async Task<Results<Ok<TherapistResponse>, ProblemHttpResult>> Get(
        Guid id, Caller caller, TherapistStore store, HttpContext http, CancellationToken ct)
    {
        var row = await store.GetAsync(caller.PracticeId, id, ct);
        if (row is null) return Problems.NotFound("therapist");
        ETags.Set(http, row.Version);
        return TypedResults.Ok(row.ToResponse());
    }

    private static async Task<Results<Ok<TherapistResponse>, ProblemHttpResult>> Update(
        Guid id, UpdateTherapistRequest request, IfMatch ifMatch, Caller caller, TherapistStore store, HttpContext http, CancellationToken ct) =>
        Respond(await store.UpdateAsync(caller, id, request, ifMatch.ExpectedVersion, ct), http);

    private static async Task<Results<NoContent, ProblemHttpResult>> Deactivate(
        Guid id, Caller caller, TherapistStore store, CancellationToken ct)
    {
        var outcome = await store.DeactivateAsync(caller, id, ct);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Failure!.ToProblem();
    }

    private static Results<Ok<TherapistResponse>, ProblemHttpResult> Respond(Outcome<TherapistRow> outcome,
        HttpContext http)
    {
        if (!outcome.Succeeded) return outcome.Failure!.ToProblem();
        ETags.Set(http, outcome.Value!.Version);
        return TypedResults.Ok(outcome.Value.ToResponse());
    }
}
