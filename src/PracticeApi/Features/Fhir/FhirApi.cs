using System.Text.Json.Nodes;
using PracticeApi.Features.Smart;
using PracticeApi.Infrastructure.Examples;

namespace PracticeApi.Features.Fhir;

/// <summary>A FHIR R4 read API over the same data, tokens and caseload rules: read by id and search, as searchset
/// Bundles.</summary>
public static partial class FhirApi
{
    private static readonly Dictionary<string, string[]> SearchParameters = new()
    {
        ["Patient"] = ["_id", "identifier", "_lastUpdated", "_count"],
        ["Appointment"] = ["_id", "patient", "identifier", "_lastUpdated", "_count"],
        ["Questionnaire"] = ["url", "_count"],
        ["QuestionnaireResponse"] = ["_id", "patient", "_lastUpdated", "_count"],
        ["Task"] = ["patient", "_count"],
        ["CarePlan"] = ["patient", "_count"],
        ["RelatedPerson"] = ["patient", "_count"],
        ["Invoice"] = ["_id", "patient", "identifier", "_count"],
        ["Consent"] = ["_id", "patient", "_count"],
        ["Observation"] = ["_id", "patient", "_count"],
    };

    /// <summary>Searches that need a patient (said so in the CapabilityStatement).</summary>
    private static readonly HashSet<string> PatientRequired = ["Task", "CarePlan", "RelatedPerson"];

    public static IServiceCollection AddFhir(this IServiceCollection services)
    {
        FhirResources.AddTo(services);
        services.AddBulkExport();
        // First in line: the problem-details service uses the first writer that accepts the request.
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, FhirOutcomeWriter>());
        return services;
    }

    public static IEndpointRouteBuilder MapFhir(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/fhir").WithTags("FHIR R4")
            .RequireAuthorization(p => p.RequireAssertion(c => c.User.Identity is CallerIdentity { Token: var token } &&
                (token.IsUser || token.HasScope(Scopes.FhirRead) || (token.Kind == ActorKind.Integration
                    && SmartScopes.HasAny(token.Scopes)))))
            .AddEndpointFilter(async (context, next) => FhirResult.NotAcceptable(context.HttpContext.Request)
            ?? await next(context))
            .AddEndpointFilter(async (context, next) => TypeNotGranted(context.HttpContext) ?? await next(context))
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                const string search = "FhirSearch";
                if (operation.OperationId?.StartsWith(search, StringComparison.Ordinal) == true &&
                    SearchParameters.TryGetValue(operation.OperationId[search.Length..], out var parameters))
                {
                    var type = operation.OperationId[search.Length..];
                    FhirSearchDocumentation.Describe(operation, type, parameters, PatientRequired.Contains(type));
                }

                return Task.CompletedTask;
            });
        group.MapGet("/metadata", Metadata).AllowAnonymous().WithName("FhirCapabilityStatement")
            .WithSummary(
                "The CapabilityStatement: exactly the resources, interactions and search parameters supported.").Fhir();

        group.MapGet("/Patient", (HttpContext http, Caller caller, FhirResources store, CancellationToken ct) =>
            Search(http, "Patient", s => store.Patients.SearchAsync(caller, s, ct))).WithName("FhirSearchPatient")
                .WithSummary("Search clients as Patients.").Fhir();
        group.MapGet("/Patient/{id}", (string id, HttpContext http, Caller caller, FhirResources store,
            CancellationToken ct) =>
            Read("Patient", id, g => store.Patients.SearchAsync(caller, Single(g), ct))).WithName("FhirReadPatient")
                .WithSummary("Read a client as a Patient.").Fhir();

        group.MapSearchAndRead("Appointment", "Search sessions as Appointments.", "Read a session as an Appointment.",
            (store, caller, search, id, ct) => store.Appointments.SearchAsync(caller, search, id, ct));

        group.MapGet("/Questionnaire", (HttpContext http, Caller caller, FhirResources store, CancellationToken ct) =>
            Search(http, "Questionnaire", s => store.Questionnaires.SearchAsync(caller, s, ct)))
                .WithName("FhirSearchQuestionnaire")
            .WithSummary("The current version of each exercise template as a Questionnaire.").Fhir();
        group.MapGet("/Questionnaire/{id}", async (string id, Caller caller, FhirResources store,
            CancellationToken ct) =>
                await store.Questionnaires.ReadAsync(caller, id,
                    ct) is { } q ? new FhirResult(q) : FhirResult.NotFound("Questionnaire", id))
            .WithName("FhirReadQuestionnaire").WithExample(FhirExamples.FhirReadQuestionnaire)
            .WithSummary("An exercise template version ({templateId}-v{version}) as a Questionnaire.").Fhir();

        group.MapSearchAndRead("QuestionnaireResponse",
            "Search exercise responses and outcome measure answers as QuestionnaireResponses.",
            "Read an exercise response, or a measure's answers (the Observation of the same id is its score), as a QuestionnaireResponse.", (store, caller, search, id, ct) => store.Responses.SearchAsync(caller, search, id, ct));

        group.MapGet("/Task", (HttpContext http, Caller caller, FhirResources store, CancellationToken ct) =>
            Search(http, "Task", s => store.Tasks.SearchAsync(caller, s, null, ct))).WithName("FhirSearchTask")
                .WithExample(FhirExamples.FhirSearchTask)
            .WithSummary(
                "A patient's exercise occurrences as Tasks (status, due date, the response as output).").Fhir();
        group.MapGet("/Task/{id}", (string id, Caller caller, FhirResources store, CancellationToken ct) =>
                ReadComposite("Task", id, i => store.Tasks.SearchAsync(caller, Single(null), i, ct)))
            .WithName("FhirReadTask")
            .WithSummary("One occurrence ({assignmentId}-{yyyyMMdd}-{respondent}) as a Task.").Fhir();

        group.MapGet("/CarePlan", (HttpContext http, Caller caller, FhirResources store, CancellationToken ct) =>
            Search(http, "CarePlan", s => store.Couples.CarePlansAsync(caller, s, null, ct)))
                .WithName("FhirSearchCarePlan")
                .WithExample(FhirExamples.FhirSearchCarePlan)
            .WithSummary("A patient's repair plans (one per couple), with the current step and the open tasks.").Fhir();
        group.MapGet("/CarePlan/{id}", (string id, Caller caller, FhirResources store, CancellationToken ct) =>
                ReadComposite("CarePlan", id, i => store.Couples.CarePlansAsync(caller, Single(null), i, ct)))
            .WithName("FhirReadCarePlan").WithExample(FhirExamples.FhirReadCarePlan)
            .WithSummary("A couple's repair plan for one partner ({coupleId}-{0|1}).").Fhir();

        group.MapGet("/RelatedPerson", (HttpContext http, Caller caller, FhirResources store, CancellationToken ct) =>
            Search(http, "RelatedPerson", s => store.Couples.RelatedPersonsAsync(caller, s, null, ct)))
                .WithName("FhirSearchRelatedPerson").WithExample(FhirExamples.FhirSearchRelatedPerson)
            .WithSummary("A patient's partners (one per couple the caller may see), as RelatedPersons.").Fhir();
        group.MapGet("/RelatedPerson/{id}", (string id, Caller caller, FhirResources store, CancellationToken ct) =>
                ReadComposite("RelatedPerson", id, i => store.Couples.RelatedPersonsAsync(caller, Single(null), i, ct)))
            .WithName("FhirReadRelatedPerson").WithExample(FhirExamples.FhirReadRelatedPerson)
            .WithSummary("The partner of one patient of a couple ({coupleId}-{0|1}, by the patient's place).").Fhir();

        group.MapSearchAndRead("Invoice",
            "Issued invoices and credit notes, by payer (patient) or number (identifier).",
            "An issued invoice or credit note as an Invoice (balanced once paid, cancelled once credited in full).",
            (store, caller, search, id, ct) => store.Invoices.SearchAsync(caller, search, id,
                ct), FhirExamples.FhirSearchInvoice);
        group.MapSearchAndRead("Consent",
            "A patient's consents (treatment, sharing, portal use), in force and withdrawn.",
            "A consent as a Consent (active while in force, inactive once withdrawn).", (store, caller, search, id,
                ct) => store.Consents.SearchAsync(caller, search, id, ct),
            FhirExamples.FhirSearchConsent);
        group.MapSearchAndRead("Observation", "A patient's outcome measure scores as survey Observations.",
            "A measure's score as an Observation (total, band, subscales).", (store, caller, search, id,
                ct) => store.Observations.SearchAsync(caller, search, id, ct),
            FhirExamples.FhirSearchObservation);

        group.MapBulkExport();

        group.MapGet("/{**rest}", (string rest) => FhirResult.NotFound("resource type", rest.Split('/')[0]))
            .WithName("FhirUnsupported").WithSummary("Anything else under /fhir is not supported.").Fhir();
        return routes;
    }

    /// <summary>
    /// Every read and search under /fhir/{type} checks the type against the token's SMART scopes (one filter on the
    /// group, so a new route cannot miss it): a token granted system/Patient.read reads Patients and nothing else.
    /// </summary>
    private static FhirResult? TypeNotGranted(HttpContext http)
    {
        var segments = http.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (segments is not ["fhir", var type, ..] || !SmartScopes.ResourceTypes.Contains(type)) return null;
        if (http.User.Identity is not CallerIdentity { Token: var caller } || SmartScopes.MayRead(caller,
            type)) return null;
        return new FhirResult(FhirJson.Outcome("error", "forbidden",
            $"This token's scopes do not cover {type} (ask for system/{type}.read or system/{type}.rs)."), StatusCodes.Status403Forbidden);
    }

    /// <summary>A type's search and its read by id, through one query of the store: the read is that query for one
    /// id.</summary>
    private static void MapSearchAndRead(this RouteGroupBuilder group, string type, string searchSummary,
        string readSummary,
        Func<FhirResources, Caller, FhirSearch, Guid?, CancellationToken, Task<FhirPage>> query, RequestExample? searchExample = null)
    {
        var search = group.MapGet($"/{type}", (HttpContext http, Caller caller, FhirResources store,
            CancellationToken ct) =>
            Search(http, type, s => query(store, caller, s, null, ct))).WithName($"FhirSearch{type}")
                .WithSummary(searchSummary).Fhir();
        if (searchExample is not null) search.WithExample(searchExample);
        group.MapGet($"/{type}/{{id}}", (string id, Caller caller, FhirResources store, CancellationToken ct) =>
            Read(type, id, g => query(store, caller, Single(null), g, ct))).WithName($"FhirRead{type}")
                .WithSummary(readSummary).Fhir();
    }

    private static RouteHandlerBuilder Fhir(this RouteHandlerBuilder builder) =>
        builder.Produces<JsonObject>(StatusCodes.Status200OK, FhirJson.MediaType)
            .Produces<JsonObject>(StatusCodes.Status400BadRequest, FhirJson.MediaType)
            .Produces<JsonObject>(StatusCodes.Status404NotFound, FhirJson.MediaType);

    private static FhirSearch Single(Guid? patient) => new(patient is { } one ? [one] : null, null, null, null, 1,
        null, null, null);

    private static async Task<IResult> Read(string type, string id, Func<Guid, Task<FhirPage>> read)
    {
        if (!Guid.TryParse(id, out var guid)) return FhirResult.NotFound(type, id);
        var page = await read(guid);
        return page.Resources is [var resource] ? new FhirResult(resource) : FhirResult.NotFound(type, id);
    }

    /// <summary>A read by a composite id ({assignmentId}-{date}-{respondent}, {coupleId}-{0|1}).</summary>
    private static async Task<IResult> ReadComposite(string type, string id, Func<string, Task<FhirPage>> read) =>
        (await read(id)).Resources is [var resource] ? new FhirResult(resource) : FhirResult.NotFound(type, id);
}
