using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.Assignments;

public static class AssignmentsApi
{
    public static IServiceCollection AddAssignments(this IServiceCollection services)
    {
        services.AddSingleton<AssignmentStore>().AddSingleton<AssignExercise>().AddSingleton<ResponseStore>();
        services.AddSingleton<OccurrenceNotifier>();
        return services.AddHostedService(sp => sp.GetRequiredService<OccurrenceNotifier>());
    }

    public static IEndpointRouteBuilder MapAssignments(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/assignments").WithTags("Assignments");
        var read = Policies.StaffOrScope(Scopes.AssignmentsRead);

        group.MapPost("/", Create).WithName("CreateAssignment").WithExample(AssignmentsExamples.CreateAssignment)
            .WithSummary(
                "Assign an exercise to a client or a couple; conjoint exercises wait while a couple is on safety hold.")
            .WithDescription("The schedule comes from the template unless given: cadence (once, daily, weekly, monthly) from startsOn, " +
                             "until endsOn or for a number of occurrences, each due at dueTime in the practice's time zone. For a couple, " +
                             "respondents says who answers (both, or a partner by role) and visibility who sees whose answers: private " +
                             "(only the therapist), shared, mutual_reveal (once both answered) or therapist_release. A conjoint exercise " +
                             "or a shared/mutual_reveal one for a couple on safety hold is a 409 unless safetyOverrideReason is given " +
                             "(audited as an override).")
            .RequireAuthorization(Policies.Staff).Validate<CreateAssignmentRequest>().ProducesProblems(404, 409);
        group.MapGet("/", List).WithName("ListAssignments")
            .WithSummary("Assignments on the caller's caseload; filter by client, couple, status, template.")
            .RequireAuthorization(read).Validate<AssignmentListQuery>();
        group.MapGet("/{id:guid}", Get).WithName("GetAssignment").WithSummary("One assignment.")
            .RequireAuthorization(read).ProducesProblems(404);
        group.MapPost("/{id:guid}/cancel", Cancel).WithName("CancelAssignment")
            .WithSummary("Stop an assignment; its answers are kept.")
            .RequireAuthorization(Policies.Staff).ProducesProblems(404, 409);
        group.MapGet("/{id:guid}/occurrences", Occurrences).WithName("ListOccurrences")
            .WithSummary("Each due occurrence per respondent: upcoming, done, late or missed.")
            .RequireAuthorization(read).Validate<PageQuery>().ProducesProblems(404);
        group.MapPost("/{id:guid}/responses", Submit).WithName("SubmitResponse")
            .WithExample(AssignmentsExamples.SubmitResponse)
            .WithSummary(
                "Record a respondent's answer (for example, entered in session); a second answer is a new revision.")
            .RequireAuthorization(Policies.Staff).Validate<CreateResponseRequest>().ProducesProblems(404, 409);
        group.MapGet("/{id:guid}/responses", Responses).WithName("ListResponses")
            .WithSummary("Every answer and revision of an assignment.")
            .RequireAuthorization(Policies.Staff).Validate<PageQuery>().ProducesProblems(404);

        routes.MapPost("/api/v1/responses/{id:guid}/review", Review).WithTags("Assignments").WithName("ReviewResponse")
            .WithExample(AssignmentsExamples.ReviewResponse)
            .WithSummary(
                "Give feedback on a response, and release it to the partner for therapist_release assignments.")
            .RequireAuthorization(Policies.Staff).Validate<ReviewRequest>().ProducesProblems(404, 409);

        return routes;
    }

    internal static async Task<Results<Created<AssignmentResponse>, ProblemHttpResult>> Create(
        CreateAssignmentRequest request, Caller caller, AssignmentStore store, CancellationToken ct) =>
        (await store.CreateAsync(caller, request, ct)).ToCreated(a => $"/api/v1/assignments/{a.Id}");

    internal static async Task<Ok<Page<AssignmentResponse>>> List([AsParameters] AssignmentListQuery query,
        Caller caller, AssignmentStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(caller, query, ct));

    internal static async Task<Results<Ok<AssignmentResponse>, ProblemHttpResult>> Get(
        Guid id, Caller caller, AssignmentStore store, PracticeCalendar calendar, HttpContext http, CancellationToken ct)
    {
        if (await store.GetAsync(caller, id, ct) is not var (row, respondents)) return Problems.NotFound("assignment");
        ETags.Set(http, row.Version);
        return TypedResults.Ok(row.ToResponse(respondents, calendar.Now, caller));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Cancel(Guid id, Caller caller,
        AssignmentStore store, CancellationToken ct) =>
        (await store.CancelAsync(caller, id, ct)).ToNoContent();

    internal static async Task<Results<Ok<Page<OccurrenceResponse>>, ProblemHttpResult>> Occurrences(
        Guid id, [AsParameters] PageQuery query, Caller caller, ResponseStore store, CancellationToken ct) =>
        await store.OccurrencesAsync(caller, id, query,
            ct) is { } page ? TypedResults.Ok(page) : Problems.NotFound("assignment");

    internal static async Task<Results<Created<ResponseResponse>, ProblemHttpResult>> Submit(
        Guid id, CreateResponseRequest request, Caller caller, ResponseStore store, CancellationToken ct) =>
        // The answer's place as its author may read it: a replay of the request reads back through it.
        (await store.SubmitAsync(caller, id, request,
            ct)).ToCreated(_ => caller.IsPortal ? $"/api/v1/me/assignments/{id}/responses" : $"/api/v1/assignments/{id}/responses");

    internal static async Task<Results<Ok<Page<ResponseResponse>>, ProblemHttpResult>> Responses(
        Guid id, [AsParameters] PageQuery query, Caller caller, ResponseStore store, CancellationToken ct) =>
        await store.ListAsync(caller, id, query,
            ct) is { } page ? TypedResults.Ok(page) : Problems.NotFound("assignment");

    private static async Task<Results<Ok<ResponseResponse>, ProblemHttpResult>> Review(
        Guid id, ReviewRequest request, Caller caller, ResponseStore store, CancellationToken ct) =>
        (await store.ReviewAsync(caller, id, request, ct)).ToOk();
}

/// <summary>The client portal: a client's own assignments and answers, and the partner's as the visibility
/// allows.</summary>
public static class PortalApi
{
    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/me/assignments").WithTags("Client portal")
            .RequireAuthorization(Policies.Portal);
        group.MapGet("/", AssignmentsApi.List).WithName("ListMyAssignments")
            .WithSummary("My assignments and those of my couple.").Validate<AssignmentListQuery>();
        group.MapGet("/{id:guid}", AssignmentsApi.Get).WithName("GetMyAssignment").WithSummary("One of my assignments.")
            .ProducesProblems(404);
        group.MapGet("/{id:guid}/exercise", async Task<Results<Ok<Exercises.TemplateResponse>,
            ProblemHttpResult>> (Guid id, Caller caller,
                AssignmentStore store, HttpContext http, CancellationToken ct) =>
            {
                if (await store.ExerciseAsync(caller, id,
                    ct) is not { } template) return Problems.NotFound("assignment");
                return TypedResults.Ok(template.ToResponse(Languages.Answer(http)));
            })
            .WithName("GetMyExercise")
            .WithSummary(
                "The exercise an assignment of mine asks for: title, instructions and questions, in my language.")
            .WithDescription("The template version the assignment was made with; title and instructions in Accept-Language (nl or en), or " +
                             "the language I chose; field labels carry both.").ProducesProblems(404);
        group.MapGet("/{id:guid}/occurrences", AssignmentsApi.Occurrences).WithName("ListMyOccurrences")
            .WithSummary("My due occurrences and their status.").Validate<PageQuery>().ProducesProblems(404);
        group.MapPost("/{id:guid}/responses", AssignmentsApi.Submit).WithName("SubmitMyResponse")
            .WithExample(AssignmentsExamples.SubmitMyResponse)
            .WithSummary("Answer an occurrence, as myself.").Validate<CreateResponseRequest>()
            .ProducesProblems(404, 409);
        group.MapGet("/{id:guid}/responses", AssignmentsApi.Responses).WithName("ListMyResponses")
            .WithSummary("My answers, and my partner's as far as the assignment's visibility allows.")
            .Validate<PageQuery>().ProducesProblems(404);
        return routes;
    }
}
