using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.Exercises;

public static class ExerciseTemplatesApi
{
    public static IServiceCollection AddExercises(this IServiceCollection services) =>
        services.AddSingleton<TemplateStore>();

    public static IEndpointRouteBuilder MapExerciseTemplates(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/exercise-templates").WithTags("Exercise templates")
            .RequireAuthorization(Policies.StaffOrScope(Scopes.AssignmentsRead));

        group.MapGet("/", List).WithName("ListExerciseTemplates")
            .WithSummary("The built-in exercises and the practice's own; filter by audience and repair step, choose the language.")
            .Validate<TemplateListQuery>();
        group.MapGet("/{id:guid}", Get).WithName("GetExerciseTemplate")
            .WithSummary("One template: its current version, or ?version=n.").Validate<TemplateQuery>()
            .ProducesProblems(404);
        group.MapPost("/", Create).WithName("CreateExerciseTemplate")
            .WithExample(ExercisesExamples.CreateExerciseTemplate).WithSummary("Add an exercise of the practice's own.")
            .RequireAuthorization(Policies.Staff).Validate<TemplateRequest>().ProducesProblems(409);
        group.MapPut("/{id:guid}", Update).WithName("UpdateExerciseTemplate")
            .WithExample(ExercisesExamples.UpdateExerciseTemplate)
            .WithSummary("Change a practice template: creates a new version; assignments keep theirs (If-Match: the current version).")
            .RequireAuthorization(Policies.Staff).Validate<TemplateRequest>().ProducesProblems(403, 404, 412);
        return routes;
    }

    private static async Task<Ok<Page<TemplateResponse>>> List([AsParameters] TemplateListQuery query, Caller caller,
        TemplateStore store, HttpContext http, CancellationToken ct)
    {
        var rows = await store.ListAsync(caller.PracticeId, query, ct);
        var language = Languages.Answer(http, query.Language?.Wire());
        return TypedResults.Ok(Cursor.ToPage(rows, query.EffectiveLimit(), r => [r.Id.ToString()],
            r => r.ToResponse(language)));
    }


    private static async Task<Results<Ok<TemplateResponse>, ProblemHttpResult>> Get(
        Guid id, [AsParameters] TemplateQuery query, Caller caller, TemplateStore store, HttpContext http, CancellationToken ct)
    {
        var row = await store.GetAsync(caller.PracticeId, id, query.Version, ct);
        if (row is null) return Problems.NotFound("exercise template");
        ETags.Set(http, row.CurrentVersion);
        return TypedResults.Ok(row.ToResponse(Languages.Answer(http, query.Language?.Wire())));
    }

    private static async Task<Results<Created<TemplateResponse>, ProblemHttpResult>> Create(
        TemplateRequest request, Caller caller, TemplateStore store, CancellationToken ct)
    {
        var outcome = await store.CreateAsync(caller, request, ct);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/v1/exercise-templates/{outcome.Value!.Id}", outcome.Value.ToResponse(null))
            : outcome.Failure!.ToProblem();
    }

    private static async Task<Results<Ok<TemplateResponse>, ProblemHttpResult>> Update(
        Guid id, TemplateRequest request, IfMatch ifMatch, Caller caller, TemplateStore store, HttpContext http, CancellationToken ct)
    {
        var outcome = await store.UpdateAsync(caller, id, request, ifMatch.ExpectedVersion, ct);
        if (!outcome.Succeeded) return outcome.Failure!.ToProblem();
        ETags.Set(http, outcome.Value!.CurrentVersion);
        return TypedResults.Ok(outcome.Value.ToResponse(null));
    }
}
