using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.RepairWork;

/// <summary>The couple's shared repair work; partners reach it through their portal token, as themselves.</summary>
public static class RepairWorkApi
{
    public static IServiceCollection AddRepairWork(this IServiceCollection services)
    {
        services.AddSingleton<TrustContractStore>().AddSingleton<TriggerStore>();
        // A released answer of a program's contract or trigger-plan item feeds the couple's own contract or plan.
        return services.AddSingleton<ICareChangeHandler, AnswersIntoRepair>();
    }

    public static IEndpointRouteBuilder MapRepairWork(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/couples/{id:guid}").WithTags("Repair work")
            .RequireAuthorization(Policies.StaffOrPartner);

        group.MapGet("/trust-contract", (Guid id, Caller caller, TrustContractStore store, HttpContext http,
            CancellationToken ct) =>
                Versioned(store.GetAsync(caller, id, ct), http))
            .WithName("GetTrustContract").WithSummary("The current trust contract: lines, agreements, evaluations.")
            .ProducesProblems(404);
        group.MapPut("/trust-contract", (Guid id, TrustContractRequest request, IfMatch ifMatch, Caller caller,
            TrustContractStore store, HttpContext http, CancellationToken ct) =>
                Versioned(store.PutAsync(caller, id, request, ifMatch.ExpectedVersion, ct), http))
            .WithName("PutTrustContract").WithExample(RepairWorkExamples.PutTrustContract)
            .WithSummary("Write a new version of the contract's lines (If-Match: the current version).")
            .RequireAuthorization(Policies.Staff).Validate<TrustContractRequest>().ProducesProblems(404, 409, 412);
        group.MapPost("/trust-contract/agreements", async (Guid id, AgreementRequest request, Caller caller,
            TrustContractStore store, CancellationToken ct) =>
                (await store.AgreeAsync(caller, id, request,
                    ct)).ToCreated(_ => $"/api/v1/couples/{id}/trust-contract"))
            .WithName("AgreeToTrustContract").WithExample(RepairWorkExamples.AgreeToTrustContract)
            .WithSummary("A partner agrees to the current version.")
            .Validate<AgreementRequest>().ProducesProblems(403, 404, 409);
        group.MapPost("/trust-contract/evaluations", async (Guid id, EvaluationRequest request, Caller caller,
            TrustContractStore store, CancellationToken ct) =>
                (await store.EvaluateAsync(caller, id, request,
                    ct)).ToCreated(_ => $"/api/v1/couples/{id}/trust-contract/history"))
            .WithName("EvaluateTrustContract").WithExample(RepairWorkExamples.EvaluateTrustContract)
            .WithSummary("A partner's monthly rating of every line (kept, partly_kept, broken) and decisions.")
            .Validate<EvaluationRequest>().ProducesProblems(403, 404, 409);
        group.MapGet("/trust-contract/history", async (Guid id, [AsParameters] PageQuery query, Caller caller,
            TrustContractStore store, CancellationToken ct) =>
                (await store.HistoryAsync(caller, id, query, ct)).ToOk())
            .WithName("TrustContractHistory")
            .WithSummary("Every version, newest first, with its agreements and evaluations.")
            .Validate<PageQuery>().ProducesProblems(404);

        group.MapGet("/trigger-plan", (Guid id, Caller caller, TriggerStore store, HttpContext http,
            CancellationToken ct) => Versioned(store.GetPlanAsync(caller, id, ct), http))
            .WithName("GetTriggerPlan").WithSummary("The agreed steps for when one of the partners is triggered.")
            .ProducesProblems(404);
        group.MapPut("/trigger-plan", (Guid id, TriggerPlanRequest request, IfMatch ifMatch, Caller caller,
            TriggerStore store, HttpContext http, CancellationToken ct) =>
                Versioned(store.PutPlanAsync(caller, id, request, ifMatch.ExpectedVersion, ct), http))
            .WithName("PutTriggerPlan").WithExample(RepairWorkExamples.PutTriggerPlan)
            .WithSummary("Write the trigger plan (If-Match: the current version).")
            .RequireAuthorization(Policies.Staff).Validate<TriggerPlanRequest>().ProducesProblems(404, 412);
        group.MapPost("/trigger-episodes", async (Guid id, TriggerEpisodeRequest request, Caller caller,
            TriggerStore store, CancellationToken ct) =>
                (await store.LogEpisodeAsync(caller, id, request,
                    ct)).ToCreated(_ => $"/api/v1/couples/{id}/trigger-episodes"))
            .WithName("LogTriggerEpisode").WithExample(RepairWorkExamples.LogTriggerEpisode)
            .WithSummary("Log a trigger episode: who, when, intensity 1–10, what helped.")
            .Validate<TriggerEpisodeRequest>().ProducesProblems(403, 404);
        group.MapGet("/trigger-episodes", async (Guid id, [AsParameters] PageQuery query, Caller caller,
            TriggerStore store, CancellationToken ct) =>
                (await store.EpisodesAsync(caller, id, query, ct)).ToOk())
            .WithName("ListTriggerEpisodes").WithSummary("Trigger episodes, newest first (a partner sees their own).")
            .Validate<PageQuery>().ProducesProblems(404);

        group.MapPost("/milestones", async (Guid id, MilestoneRequest request, Caller caller, TriggerStore store,
            CancellationToken ct) =>
                (await store.AddMilestoneAsync(caller, id, request,
                    ct)).ToCreated(_ => $"/api/v1/couples/{id}/milestones"))
            .WithName("AddMilestone").WithExample(RepairWorkExamples.AddMilestone)
            .WithSummary("Mark a milestone, such as three months without a big fight.")
            .Validate<MilestoneRequest>().ProducesProblems(404);
        group.MapGet("/milestones", async (Guid id, [AsParameters] PageQuery query, Caller caller, TriggerStore store,
            CancellationToken ct) =>
                (await store.MilestonesAsync(caller, id, query, ct)).ToOk())
            .WithName("ListMilestones")
            .WithSummary("Milestones entered by the therapist or the partners (computed ones are in progress).")
            .Validate<PageQuery>().ProducesProblems(404);
        return routes;
    }

    private static async Task<Results<Ok<TrustContractResponse>, ProblemHttpResult>> Versioned(
        Task<Outcome<TrustContractResponse>> work, HttpContext http) =>
        (await work).ToOk(http, c => c.Version);

    private static async Task<Results<Ok<TriggerPlanResponse>, ProblemHttpResult>> Versioned(
        Task<Outcome<TriggerPlanResponse>> work, HttpContext http) =>
        (await work).ToOk(http, p => p.Version);
}
