using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PracticeApi.Features.Fhir;

namespace PracticeApi.Features.Records;

public static class ClientExportApi
{
    public static IServiceCollection AddClientExport(this IServiceCollection services) =>
        services.AddSingleton<ClientExportStore>();

    public static IEndpointRouteBuilder MapClientExport(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/clients/{id:guid}/export", Export).WithTags("Clients").WithName("ExportClient")
            .WithSummary("The client's whole record, as JSON or as a FHIR R4 Bundle (right of access and portability, AVG art. 15 and 20).")
            .WithDescription("Details and identifiers, every session with its note and addenda, the couples the client is a partner in, " +
                             "their exercise answers (and the partner's only where the exercise already shows them to the client), the " +
                             "safety screenings and trigger episodes they gave (screenings only for a member of the client's care team), " +
                             "their support network, recovery log, consents and outcome measures, and the access log of their record. " +
                             "format=fhir answers a FHIR R4 Bundle of type collection (Patient, Appointments, the client's own " +
                             "QuestionnaireResponses, and each measure's answers and score as a QuestionnaireResponse and an Observation). " +
                             "Audited as an export.")
            .RequireAuthorization(Policies.Staff).Validate<ExportQuery>().ProducesProblems(404);
        return routes;
    }

    private static async Task<Results<Ok<ClientExport>, FhirResult, ProblemHttpResult>> Export(Guid id,
        [AsParameters] ExportQuery query, Caller caller,
        ClientExportStore store, PublicAddress address, CancellationToken ct)
    {
        var fhir = query.Format == "fhir" ? address.For("/fhir") : null;
        if (await store.ExportAsync(caller, id, fhir, ct) is not { } result) return Problems.NotFound("client");
        return result.Bundle is { } bundle ? new FhirResult(bundle) : TypedResults.Ok(result.Export);
    }
}
