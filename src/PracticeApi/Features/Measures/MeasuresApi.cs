using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.Measures;

/// <summary>
/// Outcome measures: the practice's scored questionnaires (written in the API's form, or imported from a FHIR
/// Questionnaire as instruments are distributed), taken by clients in session or through the portal, and each
/// instrument's trend per client.
/// </summary>
public static class MeasuresApi
{
    public static IServiceCollection AddMeasures(this IServiceCollection services) =>
        services.AddSingleton<MeasureStore>().AddSingleton<MeasureAssignments>();

    public static IEndpointRouteBuilder MapMeasures(this IEndpointRouteBuilder routes)
    {
        var measures = routes.MapGroup("/api/v1/measures").WithTags("Outcome measures")
            .RequireAuthorization(Policies.Staff);
        measures.MapGet("/", async ([AsParameters] IdPageQuery query, Caller caller, MeasureStore store,
            CancellationToken ct) =>
                TypedResults.Ok(await store.ListAsync(caller, query, ct)))
            .WithName("ListMeasures").WithSummary("The practice's measures, every version.").Validate<IdPageQuery>();
        measures.MapGet("/{id:guid}", async Task<Results<Ok<MeasureResponse>, ProblemHttpResult>> (Guid id,
            Caller caller, MeasureStore store, CancellationToken ct) =>
                await store.GetAsync(caller, id,
                    ct) is { } measure ? TypedResults.Ok(measure) : Problems.NotFound("measure"))
            .WithName("GetMeasure")
            .WithSummary("One version of a measure: items, answer values, bands, critical items.")
            .ProducesProblems(404);
        measures.MapPost("/", async (MeasureDefinitionRequest request, Caller caller, MeasureStore store,
            CancellationToken ct) =>
            {
                var measure = await store.CreateAsync(caller, request.Key, request.Name,
                    new MeasureDefinition(request.LoincCode, request.TotalLoincCode, request.Items, request.Bands,
                        request.CriticalItems), ct);
                return TypedResults.Created($"/api/v1/measures/{measure.Id}", measure);
            })
            .WithName("CreateMeasure").WithExample(MeasuresExamples.CreateMeasure)
            .WithSummary("Write a measure (admin); a key in use makes its next version.")
            .RequireAuthorization(Policies.Admin).Validate<MeasureDefinitionRequest>();
        measures.MapPost("/import", async Task<Results<Created<MeasureResponse>,
            ProblemHttpResult>> (MeasureImportRequest request, Caller caller,
                MeasureStore store, CancellationToken ct) =>
            {
                var read = QuestionnaireImport.Read(request.Questionnaire);
                if (!read.Succeeded) return read.Failure!.ToProblem();
                var (name, loinc, items) = read.Value;
                var definition = new MeasureDefinition(loinc, request.TotalLoincCode, items, request.Bands,
                    request.CriticalItems);
                var problems = new MeasureRules<MeasureDefinition>(_ => request.Key, d => d.Items, d => d.Bands,
                    d => d.CriticalItems).Validate(definition);
                if (!problems.IsValid) return Failure.Invalid(problems.Errors[0].PropertyName,
                    problems.Errors[0].ErrorMessage).ToProblem();
                var measure = await store.CreateAsync(caller, request.Key, name, definition, ct);
                return TypedResults.Created($"/api/v1/measures/{measure.Id}", measure);
            })
            .WithName("ImportMeasure").WithExample(MeasuresExamples.ImportMeasure)
            .WithSummary("Import a measure from a FHIR R4 Questionnaire with answer values (admin); a key in use makes its next version.")
            .RequireAuthorization(Policies.Admin).Validate<MeasureImportRequest>();

        var clients = routes.MapGroup("/api/v1/clients/{id:guid}/measures").WithTags("Outcome measures")
            .RequireAuthorization(Policies.Staff);
        clients.MapGet("/", async (Guid id, [AsParameters] PageQuery query, Caller caller, MeasureStore store,
            CancellationToken ct) =>
                (await store.TrendsAsync(caller, id, query, ct)).ToOk())
            .WithName("ListClientMeasures")
            .WithSummary("A client's scores over time, per instrument (a page holds up to limit scores, oldest first).")
            .Validate<PageQuery>().ProducesProblems(404);
        clients.MapPost("/", async (Guid id, RecordScoreRequest request, Caller caller, MeasureStore store,
            CancellationToken ct) =>
                (await store.RecordAsync(caller, id, request, ct)).ToCreated(s => $"/api/v1/clients/{id}/measures"))
            .WithName("RecordClientMeasure").WithExample(MeasuresExamples.RecordClientMeasure)
            .WithSummary("Record a measure a client took in session: scored at once; a critical answer announces measure.critical_item.")
            .Validate<RecordScoreRequest>().ProducesProblems(404, 409);

        var assigned = routes.MapGroup("/api/v1/clients/{id:guid}/measure-assignments").WithTags("Outcome measures")
            .RequireAuthorization(Policies.Staff);
        assigned.MapPost("/", async (Guid id, AssignMeasureRequest request, Caller caller, MeasureAssignments store,
            CancellationToken ct) =>
                (await store.AssignAsync(caller, id, request,
                    ct)).ToCreated(a => $"/api/v1/clients/{id}/measure-assignments/{a.Id}"))
            .WithName("AssignMeasure").WithExample(MeasuresExamples.AssignMeasure)
            .WithSummary("Assign a measure to a client, once or on a cadence, as an exercise is assigned.")
            .WithDescription("The client finds each occurrence in the portal's /me/due (measures) and answers it by sending the assignment's id " +
                             "with the score; the first answer fills the occurrence, on time or late by its due time.")
            .Validate<AssignMeasureRequest>().ProducesProblems(404, 409);
        assigned.MapGet("/", async (Guid id, [AsParameters] IdPageQuery query, Caller caller, MeasureAssignments store,
            CancellationToken ct) =>
                (await store.ListAsync(caller, id, query, ct)).ToOk())
            .WithName("ListMeasureAssignments")
            .WithSummary("A client's measure assignments, with how their occurrences stand.")
            .Validate<IdPageQuery>().ProducesProblems(404);
        assigned.MapGet("/{assignmentId:guid}", async (Guid id, Guid assignmentId, Caller caller,
            MeasureAssignments store, CancellationToken ct) =>
                (await store.GetAsync(caller, id, assignmentId, ct)).ToOk())
            .WithName("GetMeasureAssignment").WithExample(MeasuresExamples.GetMeasureAssignment)
            .WithSummary("One measure assignment: done, late, missed and upcoming occurrences, and the next due.")
            .ProducesProblems(404);
        assigned.MapPost("/{assignmentId:guid}/cancel", async (Guid id, Guid assignmentId, Caller caller,
            MeasureAssignments store, CancellationToken ct) =>
                (await store.CancelAsync(caller, id, assignmentId, ct)).ToOk())
            .WithName("CancelMeasureAssignment").WithExample(MeasuresExamples.CancelMeasureAssignment)
            .WithSummary("Stop a measure assignment; scores already taken stay.").ProducesProblems(404, 409);

        var portal = routes.MapGroup("/api/v1/me/measures").WithTags("Client portal")
            .RequireAuthorization(Policies.Portal);
        portal.MapGet("/", async ([AsParameters] PageQuery query, Caller caller, MeasureStore store,
            CancellationToken ct) =>
                (await store.TrendsAsync(caller, caller.ClientId!.Value, query, ct)).ToOk())
            .WithName("ListMyMeasures").WithExample(MeasuresExamples.ListMyMeasures)
            .WithSummary("My scores over time, per instrument.").Validate<PageQuery>();
        portal.MapPost("/", async (RecordScoreRequest request, Caller caller, MeasureStore store,
            CancellationToken ct) =>
                (await store.RecordAsync(caller, caller.ClientId!.Value, request,
                    ct)).ToCreated(s => "/api/v1/me/measures"))
            .WithName("TakeMyMeasure").WithExample(MeasuresExamples.TakeMyMeasure)
            .WithSummary("Take a measure: my answers, scored at once.").Validate<RecordScoreRequest>()
            .ProducesProblems(409);
        return routes;
    }
}
