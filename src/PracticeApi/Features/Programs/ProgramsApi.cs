using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.Programs;

public static class ProgramsApi
{
    public static IServiceCollection AddPrograms(this IServiceCollection services)
    {
        services.AddSingleton<ProgramPlans>().AddSingleton<ProgramStore>().AddSingleton<ProgramRunner>();
        // The runner makes what is due every Programs:PollSeconds, and right after a couple's care changes.
        services.AddHostedService(sp => sp.GetRequiredService<ProgramRunner>());
        return services.AddSingleton<ICareChangeHandler>(sp => sp.GetRequiredService<ProgramRunner>());
    }

    public static IEndpointRouteBuilder MapPrograms(this IEndpointRouteBuilder routes)
    {
        var programs = routes.MapGroup("/api/v1/programs").WithTags("Programs").RequireAuthorization(Policies.Staff);
        programs.MapGet("/", List).WithName("ListPrograms")
            .WithSummary("The built-in programs and the practice's own (current versions).").Validate<IdPageQuery>();
        programs.MapGet("/{id:guid}", Get).WithName("GetProgram")
            .WithSummary("One program: its current version, or ?version=n.").Validate<ProgramQuery>()
            .ProducesProblems(400, 404);
        programs.MapPost("/", Create).WithName("CreateProgram").WithExample(ProgramsExamples.CreateProgram)
            .WithSummary("Add a program of the practice's own.")
            .WithDescription("A program is an ordered list of exercises (templates), each with when it starts: `start` (the enrolment's start), " +
                             "`step` (the couple reaches a repair step) or `released` (the therapist released the answer of an earlier item), plus " +
                             "`offsetDays`. Each item also says who answers, how often, how many times and who sees the answers.")
            .Validate<ProgramRequest>().ProducesProblems(409);
        programs.MapPut("/{id:guid}", Update).WithName("UpdateProgram").WithExample(ProgramsExamples.UpdateProgram)
            .WithSummary("Change a practice program: creates a new version; running enrolments keep theirs (If-Match: the current version).")
            .Validate<ProgramRequest>().ProducesProblems(403, 404, 412);

        var enrolments = routes.MapGroup("/api/v1/couples/{id:guid}/programs").WithTags("Programs")
            .RequireAuthorization(Policies.Staff);
        enrolments.MapPost("/", Enrol).WithName("EnrolCoupleInProgram")
            .WithExample(ProgramsExamples.EnrolCoupleInProgram)
            .WithSummary("Start a program for a couple; items whose moment has come become assignments at once.")
            .WithDescription("The rest follow by themselves: when the couple reaches a step, when the therapist releases an answer, and on " +
                             "their day (checked every Programs:PollSeconds, default 60). The safety hold applies as to any assignment: conjoint " +
                             "and shared work waits, shown as `due` with the reason, and is made once the hold is lifted.")
            .Validate<EnrolRequest>().ProducesProblems(400, 404, 409);
        enrolments.MapGet("/", ListEnrolments).WithName("ListCoupleEnrolments")
            .WithSummary("The couple's programs, each item waiting, due or assigned.").Validate<PageQuery>()
            .ProducesProblems(404);
        enrolments.MapPost("/{enrolmentId:guid}/stop", Stop).WithName("StopEnrolment")
            .WithExample(ProgramsExamples.StopEnrolment)
            .WithSummary("Stop a program: nothing new is assigned; assignments already made stay.")
            .ProducesProblems(404, 409);
        return routes;
    }

    private static async Task<Ok<Page<ProgramResponse>>> List([AsParameters] IdPageQuery query, Caller caller,
        ProgramStore store, CancellationToken ct)
    {
        var rows = await store.ListAsync(caller.PracticeId, query, ct);
        return TypedResults.Ok(Cursor.ToPage(rows, query.EffectiveLimit(), r => [r.Id.ToString()],
            r => r.ToResponse()));
    }

    private static async Task<Results<Ok<ProgramResponse>, ProblemHttpResult>> Get(
        Guid id, [AsParameters] ProgramQuery query, Caller caller, ProgramStore store, HttpContext http, CancellationToken ct)
    {
        var row = await store.GetAsync(caller.PracticeId, id, query.Version, ct);
        if (row is null) return Problems.NotFound("program");
        ETags.Set(http, row.CurrentVersion);
        return TypedResults.Ok(row.ToResponse());
    }

    private static async Task<Results<Created<ProgramResponse>, ProblemHttpResult>> Create(
        ProgramRequest request, Caller caller, ProgramStore store, CancellationToken ct)
    {
        var outcome = await store.CreateAsync(caller, request, ct);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/v1/programs/{outcome.Value!.Id}", outcome.Value.ToResponse())
            : outcome.Failure!.ToProblem();
    }

    private static async Task<Results<Ok<ProgramResponse>, ProblemHttpResult>> Update(
        Guid id, ProgramRequest request, IfMatch ifMatch, Caller caller, ProgramStore store, HttpContext http, CancellationToken ct)
    {
        var outcome = await store.UpdateAsync(caller, id, request, ifMatch.ExpectedVersion, ct);
        if (!outcome.Succeeded) return outcome.Failure!.ToProblem();
        ETags.Set(http, outcome.Value!.CurrentVersion);
        return TypedResults.Ok(outcome.Value.ToResponse());
    }

    private static async Task<Results<Created<EnrolmentResponse>, ProblemHttpResult>> Enrol(
        Guid id, EnrolRequest request, Caller caller, ProgramStore store, CancellationToken ct) =>
        (await store.EnrolAsync(caller, id, request, ct)).ToCreated(_ => $"/api/v1/couples/{id}/programs");

    private static async Task<Results<Ok<Page<EnrolmentResponse>>, ProblemHttpResult>> ListEnrolments(
        Guid id, [AsParameters] PageQuery query, Caller caller, ProgramStore store, CancellationToken ct) =>
        await store.ListEnrolmentsAsync(caller, id, query,
            ct) is { } page ? TypedResults.Ok(page) : Problems.NotFound("couple");

    private static async Task<Results<Ok<EnrolmentResponse>, ProblemHttpResult>> Stop(
        Guid id, Guid enrolmentId, Caller caller, ProgramStore store, CancellationToken ct) =>
        (await store.StopAsync(caller, id, enrolmentId, ct)).ToOk();
}
