using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.Couples;

public static class CouplesApi
{
    public static IServiceCollection AddCouples(this IServiceCollection services) => services
        .AddSingleton<OpenCouple>().AddSingleton<ChangeCouple>().AddSingleton<RecordOnCouple>()
        .AddSingleton<CoupleQueries>();

    public static IEndpointRouteBuilder MapCouples(this IEndpointRouteBuilder routes)
    {
        // The repair case is clinical work: therapists and admins, not integration tokens.
        var group = routes.MapGroup("/api/v1/couples").WithTags("Couples").RequireAuthorization(Policies.Staff);

        group.MapPost("/", Create).WithName("CreateCouple").WithExample(CouplesExamples.CreateCouple)
            .WithSummary("Open a repair case for two clients; starts at step 1 with the expected recovery window of the breach type.")
            .WithDescription("Both partners must be in care and on the caller's caseload (404 otherwise) and differ. partnerARole and " +
                             "partnerBRole say who breached trust and who was hurt (or, after a hidden addiction, who is in recovery); " +
                             "conjoint exercises for the couple wait while a partner's latest safety screening reports danger or untreated " +
                             "addiction (the safety hold).")
            .Validate<CreateCoupleRequest>().ProducesProblems(404, 409);
        group.MapGet("/", List).WithName("ListCouples")
            .WithSummary("Couples whose partners are both on the caller's caseload.")
            .Validate<CoupleListQuery>();
        group.MapGet("/{id:guid}", Get).WithName("GetCouple").WithSummary("One couple and its repair case.")
            .ProducesProblems(404);
        group.MapPut("/{id:guid}", Update).WithName("UpdateCouple").WithExample(CouplesExamples.UpdateCouple)
            .WithSummary("Change the repair case or pause it (If-Match).")
            .WithDescription("While a case is paused its programs make no new assignments (work already given stays); what came due " +
                             "meanwhile is assigned when the case is set back to active.")
            .Validate<UpdateCoupleRequest>().ProducesProblems(404, 409, 412);
        group.MapPost("/{id:guid}/close", Close).WithName("CloseCouple").WithSummary("Close the repair case.")
            .ProducesProblems(404, 409);

        group.MapPost("/{id:guid}/step", ChangeStep).WithName("ChangeCoupleStep")
            .WithExample(CouplesExamples.ChangeCoupleStep)
            .WithSummary("Move the couple to another of the seven repair steps; moving back is allowed and recorded.")
            .Validate<StepRequest>().ProducesProblems(404, 409);
        group.MapGet("/{id:guid}/steps", Steps).WithName("ListCoupleSteps")
            .WithSummary("The step history: who, when, from, to, note.")
            .Validate<PageQuery>().ProducesProblems(404);

        group.MapPost("/{id:guid}/breaches", RecordBreach).WithName("RecordCoupleBreach")
            .WithExample(CouplesExamples.RecordCoupleBreach)
            .WithSummary("Record a new breach of trust during repair.").Validate<BreachRequest>()
            .ProducesProblems(404, 409);
        group.MapGet("/{id:guid}/breaches", Breaches).WithName("ListCoupleBreaches")
            .WithSummary("Breaches recorded during repair.")
            .Validate<PageQuery>().ProducesProblems(404);

        group.MapPost("/{id:guid}/safety-screenings", AddScreening).WithName("AddSafetyScreening")
            .WithExample(CouplesExamples.AddSafetyScreening)
            .WithSummary("Screen a partner for danger or untreated addiction (care team only); a concern puts the couple on safety hold.")
            .Validate<SafetyScreeningRequest>().ProducesProblems(404);
        group.MapGet("/{id:guid}/safety-screenings", Screenings).WithName("ListSafetyScreenings")
            .WithSummary("The couple's safety screenings (care team only).").Validate<PageQuery>()
            .ProducesProblems(404);
        return routes;
    }

    private static async Task<Results<Created<CoupleResponse>, ProblemHttpResult>> Create(
        CreateCoupleRequest request, Caller caller, OpenCouple open, HttpContext http, CancellationToken ct) =>
        (await open.CreateAsync(caller, request, ct)).ToCreated(http, x => $"/api/v1/couples/{x.Id}", x => x.Version);

    private static async Task<Ok<Page<CoupleResponse>>> List([AsParameters] CoupleListQuery query, Caller caller,
        CoupleQueries couples, CancellationToken ct) =>
        TypedResults.Ok(await couples.ListAsync(caller, query, ct));

    private static async Task<Results<Ok<CoupleResponse>, ProblemHttpResult>> Get(Guid id, Caller caller,
        CoupleQueries couples, HttpContext http, CancellationToken ct)
    {
        var couple = await couples.GetAsync(caller, id, ct);
        if (couple is null) return Problems.NotFound("couple");
        ETags.Set(http, couple.Version);
        return TypedResults.Ok(couple);
    }

    private static async Task<Results<Ok<CoupleResponse>, ProblemHttpResult>> Update(
        Guid id, UpdateCoupleRequest request, IfMatch ifMatch, Caller caller, ChangeCouple change, HttpContext http, CancellationToken ct) =>
        (await change.UpdateAsync(caller, id, request, ifMatch.ExpectedVersion, ct)).ToOk(http, x => x.Version);

    private static async Task<Results<NoContent, ProblemHttpResult>> Close(Guid id, Caller caller, ChangeCouple change,
        CancellationToken ct) =>
        (await change.CloseAsync(caller, id, ct)).Failure.ToNoContent();

    private static async Task<Results<Ok<CoupleResponse>, ProblemHttpResult>> ChangeStep(
        Guid id, StepRequest request, Caller caller, ChangeCouple change, HttpContext http, CancellationToken ct) =>
        (await change.ChangeStepAsync(caller, id, request, ct)).ToOk(http, x => x.Version);

    private static async Task<Results<Ok<Page<StepChangeResponse>>, ProblemHttpResult>> Steps(
        Guid id, [AsParameters] PageQuery query, Caller caller, CoupleQueries couples, CancellationToken ct) =>
        await couples.StepsAsync(caller, id, query,
            ct) is { } page ? TypedResults.Ok(page) : Problems.NotFound("couple");

    private static async Task<Results<Created<BreachResponse>, ProblemHttpResult>> RecordBreach(
        Guid id, BreachRequest request, Caller caller, RecordOnCouple record, CancellationToken ct) =>
        (await record.RecordBreachAsync(caller, id, request, ct)).ToCreated(_ => $"/api/v1/couples/{id}/breaches");

    private static async Task<Results<Ok<Page<BreachResponse>>, ProblemHttpResult>> Breaches(
        Guid id, [AsParameters] PageQuery query, Caller caller, CoupleQueries couples, CancellationToken ct) =>
        await couples.BreachesAsync(caller, id, query,
            ct) is { } page ? TypedResults.Ok(page) : Problems.NotFound("couple");

    private static async Task<Results<Created<SafetyScreeningResponse>, ProblemHttpResult>> AddScreening(
        Guid id, SafetyScreeningRequest request, Caller caller, RecordOnCouple record, CancellationToken ct) =>
        (await record.AddScreeningAsync(caller, id, request,
            ct)).ToCreated(_ => $"/api/v1/couples/{id}/safety-screenings");

    private static async Task<Results<Ok<Page<SafetyScreeningResponse>>, ProblemHttpResult>> Screenings(
        Guid id, [AsParameters] PageQuery query, Caller caller, CoupleQueries couples, CancellationToken ct) =>
        await couples.ScreeningsAsync(caller, id, query,
            ct) is { } page ? TypedResults.Ok(page) : Problems.NotFound("couple");

}
