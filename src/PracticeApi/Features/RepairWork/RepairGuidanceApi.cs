using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.RepairWork;

public static class RepairGuidanceApi
{
    public static IServiceCollection AddRepairGuidance(this IServiceCollection services) =>
        services.AddSingleton<RepairAssessmentStore>();

    public static IEndpointRouteBuilder MapRepairGuidance(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/repair-suggestions", () => TypedResults.Ok(RepairGuidance.Suggestions))
            .WithTags("Repair work")
            .WithName("GetRepairSuggestions")
            .WithSummary("Example trust-contract lines and trigger-plan steps to start from and make the couple's own (nl and en).")
            .RequireAuthorization(Policies.StaffOrPartner);

        var group = routes.MapGroup("/api/v1").WithTags("Repair work").RequireAuthorization(Policies.Staff);
        group.MapGet("/repair-assessment-signs", () => TypedResults.Ok(RepairGuidance.Signs))
            .WithName("GetRepairAssessmentSigns")
            .WithSummary("The signs of repairable and of irreparable trust, and the question to ask (therapists).");
        group.MapPost("/couples/{id:guid}/repair-assessments", async (Guid id, RepairAssessmentRequest request,
            Caller caller, RepairAssessmentStore store, CancellationToken ct) =>
                (await store.AddAsync(caller, id, request,
                    ct)).ToCreated(_ => $"/api/v1/couples/{id}/repair-assessments"))
            .WithName("AddRepairAssessment").WithExample(RepairWorkExamples.AddRepairAssessment)
            .WithSummary(
                "Record which signs of repairable and irreparable trust the therapist sees now, and the outlook.")
            .WithDescription("Therapists' own working notes, for the partners' care team only (as safety screenings; an admin not on it " +
                             "gets 404): never shown to partners or integrations, not in FHIR and not in a client's " +
                             "export. The outlook is the therapist's judgement; nothing is computed from the signs. Assess again over time to " +
                             "see the picture change.")
            .Validate<RepairAssessmentRequest>().ProducesProblems(404);
        group.MapGet("/couples/{id:guid}/repair-assessments", async Task<Results<Ok<Page<RepairAssessmentResponse>>,
            ProblemHttpResult>> (
                    Guid id, [AsParameters] PageQuery query, Caller caller, RepairAssessmentStore store, CancellationToken ct) =>
                await store.ListAsync(caller, id, query,
                    ct) is { } page ? TypedResults.Ok(page) : Problems.NotFound("couple"))
            .WithName("ListRepairAssessments").WithSummary("The couple's repair assessments, newest first.")
            .Validate<PageQuery>().ProducesProblems(404);
        return routes;
    }
}
