using System.Globalization;
using System.Text.Json.Nodes;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Exercises;
using PracticeApi.Features.Smart;
using PracticeApi.Infrastructure.Http;
using PracticeApi.Infrastructure.Security;

namespace PracticeApi.Features.Fhir;

/// <summary>A FHIR R4 read API over the same data, tokens and caseload rules: read by id and search, as searchset Bundles.</summary>
public static class FhirApi
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
    };

    /// <summary>Searches that need a patient (said so in the CapabilityStatement).</summary>
    private static readonly HashSet<string> PatientRequired = ["Task", "CarePlan", "RelatedPerson"];

    public static IServiceCollection AddFhir(this IServiceCollection services)
    {
        services.AddSingleton<FhirStore>();
        services.AddBulkExport();
        // First in line: the problem-details service uses the first writer that accepts the request.
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, FhirOutcomeWriter>());
        return services;
    }

    public static IEndpointRouteBuilder MapFhir(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/fhir").WithTags("FHIR R4")
            .RequireAuthorization(p => p.RequireAssertion(c => c.User.Identity is CallerIdentity { Token: var token } &&
                (token.IsUser || token.HasScope(Scopes.FhirRead) || (token.Kind == TokenKinds.Integration && SmartScopes.HasAny(token.Scopes)))))
            .AddEndpointFilter(async (context, next) => FhirResult.NotAcceptable(context.HttpContext.Request) ?? await next(context))
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
            .WithSummary("The CapabilityStatement: exactly the resources, interactions and search parameters supported.").Fhir();

        group.MapGet("/Patient", (HttpContext http, Caller caller, FhirStore store, CancellationToken ct) =>
            Search(http, "Patient", s => store.PatientsAsync(caller, s, ct))).WithName("FhirSearchPatient").WithSummary("Search clients as Patients.").Fhir();
        group.MapGet("/Patient/{id}", (string id, HttpContext http, Caller caller, FhirStore store, CancellationToken ct) =>
            Read("Patient", id, g => store.PatientsAsync(caller, Single(g), ct))).WithName("FhirReadPatient").WithSummary("Read a client as a Patient.").Fhir();

        group.MapGet("/Appointment", (HttpContext http, Caller caller, FhirStore store, CancellationToken ct) =>
            Search(http, "Appointment", s => store.AppointmentsAsync(caller, s, null, ct))).WithName("FhirSearchAppointment").WithSummary("Search sessions as Appointments.").Fhir();
        group.MapGet("/Appointment/{id}", (string id, HttpContext http, Caller caller, FhirStore store, CancellationToken ct) =>
            Read("Appointment", id, g => store.AppointmentsAsync(caller, Single(null), g, ct))).WithName("FhirReadAppointment").WithSummary("Read a session as an Appointment.").Fhir();

        group.MapGet("/Questionnaire", (HttpContext http, Caller caller, FhirStore store, TemplateStore templates, CancellationToken ct) =>
            Search(http, "Questionnaire", s => store.QuestionnairesAsync(caller, s, templates, ct))).WithName("FhirSearchQuestionnaire")
            .WithSummary("The current version of each exercise template as a Questionnaire.").Fhir();
        group.MapGet("/Questionnaire/{id}", async (string id, Caller caller, FhirStore store, CancellationToken ct) =>
                await store.QuestionnaireAsync(caller, id, ct) is { } q ? new FhirResult(q) : FhirResult.NotFound("Questionnaire", id))
            .WithName("FhirReadQuestionnaire").WithSummary("An exercise template version ({templateId}-v{version}) as a Questionnaire.").Fhir();

        group.MapGet("/QuestionnaireResponse", (HttpContext http, Caller caller, FhirStore store, CancellationToken ct) =>
            Search(http, "QuestionnaireResponse", s => store.ResponsesAsync(caller, s, null, ct))).WithName("FhirSearchQuestionnaireResponse")
            .WithSummary("Search exercise responses as QuestionnaireResponses.").Fhir();
        group.MapGet("/QuestionnaireResponse/{id}", (string id, HttpContext http, Caller caller, FhirStore store, CancellationToken ct) =>
            Read("QuestionnaireResponse", id, g => store.ResponsesAsync(caller, Single(null), g, ct))).WithName("FhirReadQuestionnaireResponse")
            .WithSummary("Read an exercise response as a QuestionnaireResponse.").Fhir();

        group.MapGet("/Task", (HttpContext http, Caller caller, FhirStore store, CancellationToken ct) =>
            Search(http, "Task", s => store.TasksAsync(caller, s, null, ct))).WithName("FhirSearchTask")
            .WithSummary("A patient's exercise occurrences as Tasks (status, due date, the response as output).").Fhir();
        group.MapGet("/Task/{id}", (string id, Caller caller, FhirStore store, CancellationToken ct) =>
                ReadComposite("Task", id, i => store.TasksAsync(caller, Single(null), i, ct)))
            .WithName("FhirReadTask").WithSummary("One occurrence ({assignmentId}-{yyyyMMdd}-{respondent}) as a Task.").Fhir();

        group.MapGet("/CarePlan", (HttpContext http, Caller caller, FhirStore store, CancellationToken ct) =>
            Search(http, "CarePlan", s => store.CarePlansAsync(caller, s, null, ct))).WithName("FhirSearchCarePlan")
            .WithSummary("A patient's repair plans (one per couple), with the current step and the open tasks.").Fhir();
        group.MapGet("/CarePlan/{id}", (string id, Caller caller, FhirStore store, CancellationToken ct) =>
                ReadComposite("CarePlan", id, i => store.CarePlansAsync(caller, Single(null), i, ct)))
            .WithName("FhirReadCarePlan").WithSummary("A couple's repair plan for one partner ({coupleId}-{0|1}).").Fhir();

        group.MapGet("/RelatedPerson", (HttpContext http, Caller caller, FhirStore store, CancellationToken ct) =>
            Search(http, "RelatedPerson", s => store.RelatedPersonsAsync(caller, s, null, ct))).WithName("FhirSearchRelatedPerson")
            .WithSummary("A patient's partners (one per couple the caller may see), as RelatedPersons.").Fhir();
        group.MapGet("/RelatedPerson/{id}", (string id, Caller caller, FhirStore store, CancellationToken ct) =>
                ReadComposite("RelatedPerson", id, i => store.RelatedPersonsAsync(caller, Single(null), i, ct)))
            .WithName("FhirReadRelatedPerson").WithSummary("The partner of one patient of a couple ({coupleId}-{0|1}, by the patient's place).").Fhir();

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
        if (http.User.Identity is not CallerIdentity { Token: var caller } || SmartScopes.MayRead(caller, type)) return null;
        return new FhirResult(FhirJson.Outcome("error", "forbidden",
            $"This token's scopes do not cover {type} (ask for system/{type}.read or system/{type}.rs)."), StatusCodes.Status403Forbidden);
    }

    private static RouteHandlerBuilder Fhir(this RouteHandlerBuilder builder) =>
        builder.Produces<JsonObject>(StatusCodes.Status200OK, FhirJson.MediaType).Produces<JsonObject>(StatusCodes.Status400BadRequest, FhirJson.MediaType)
            .Produces<JsonObject>(StatusCodes.Status404NotFound, FhirJson.MediaType);

    private static FhirSearch Single(Guid? patient) => new(patient is { } one ? [one] : null, null, null, null, 1, null, null, null);

    private static async Task<IResult> Read(string type, string id, Func<Guid, Task<FhirPage>> read)
    {
        if (!Guid.TryParse(id, out var guid)) return FhirResult.NotFound(type, id);
        var page = await read(guid);
        return page.Resources is [var resource] ? new FhirResult(resource) : FhirResult.NotFound(type, id);
    }

    /// <summary>A read by a composite id ({assignmentId}-{date}-{respondent}, {coupleId}-{0|1}).</summary>
    private static async Task<IResult> ReadComposite(string type, string id, Func<string, Task<FhirPage>> read) =>
        (await read(id)).Resources is [var resource] ? new FhirResult(resource) : FhirResult.NotFound(type, id);

    private static async Task<IResult> Search(HttpContext http, string type, Func<FhirSearch, Task<FhirPage>> search)
    {
        var query = http.Request.Query;
        if (PatientRequired.Contains(type) && !query.ContainsKey("patient")) return FhirResult.Invalid($"{type} search needs a patient parameter.");
        if (query.Keys.FirstOrDefault(k => k is not ("_cursor" or "_format" or "_total") && !SearchParameters[type].Contains(k)) is { } unknown)
        {
            return FhirResult.Invalid($"{type} does not support the search parameter '{unknown}' (supported: {string.Join(", ", SearchParameters[type])}).");
        }

        var count = Cursor.DefaultLimit;
        if (query.TryGetValue("_count", out var countText) && (!int.TryParse(countText, out count) || count is < 1 or > Cursor.MaxLimit))
        {
            return FhirResult.Invalid($"_count must be 1 to {Cursor.MaxLimit}.");
        }

        var baseUrl = http.RequestServices.GetRequiredService<PublicAddress>().For("/fhir");
        List<Guid>? patients = null;
        if (query.TryGetValue("patient", out var patientText))
        {
            // A reference: Patient/{id}, {id}, or absolute on this server ({base}/Patient/{id}); a comma is OR.
            if (patientText.Count > 1) return FhirResult.Invalid("give one patient parameter; separate several patients with commas (OR).");
            patients = [];
            foreach (var reference in patientText.ToString().Split(','))
            {
                var text = reference.Trim();
                if (text.StartsWith(baseUrl + "/", StringComparison.OrdinalIgnoreCase)) text = text[(baseUrl.Length + 1)..];
                if (text.StartsWith("Patient/", StringComparison.Ordinal)) text = text[8..];
                if (!Guid.TryParse(text, out var id) || patients.Count >= 20)
                {
                    return FhirResult.Invalid($"patient takes up to 20 comma-separated references: Patient/{{id}}, {{id}} or {baseUrl}/Patient/{{id}}.");
                }

                patients.Add(id);
            }
        }

        // Token parameters (R4): a comma is OR; "system|value", "system|" (any value in that system), "|value" (an
        // identifier without a system: none here, every identifier has one) or "value" (any system).
        List<IdentifierToken>? identifiers = null;
        if (query.TryGetValue("identifier", out var identifierText))
        {
            identifiers = [];
            foreach (var token in identifierText.SelectMany(t => (t ?? "").Split(',')))
            {
                var parts = token.Split('|', 2);
                IdentifierToken? parsed = parts switch
                {
                    [var value] when value.Length > 0 => new IdentifierToken(null, value),
                    ["", var value] when value.Length > 0 => new IdentifierToken(null, value, NoSystem: true),
                    [var system, ""] when system.Length > 0 => new IdentifierToken(system, null),
                    [var system, var value] when system.Length > 0 && value.Length > 0 => new IdentifierToken(system, value),
                    _ => null,
                };
                if (parsed is null || identifiers.Count >= 20)
                {
                    return FhirResult.Invalid("identifier takes up to 20 comma-separated system|value, system|, |value or value tokens.");
                }

                identifiers.Add(parsed);
            }
        }

        List<Guid>? ids = null;
        if (query.TryGetValue("_id", out var idText))
        {
            ids = [];
            foreach (var token in idText.SelectMany(t => (t ?? "").Split(',')))
            {
                if (!Guid.TryParse(token, out var id) || ids.Count >= Cursor.MaxLimit) return FhirResult.Invalid("_id takes comma-separated ids of this resource type.");
                ids.Add(id);
            }
        }

        string? url = query.TryGetValue("url", out var urlText) ? urlText.ToString() : null;
        var total = query["_total"].ToString();
        if (total is not ("" or "none" or "estimate" or "accurate")) return FhirResult.Invalid("_total must be none, estimate or accurate.");

        DateTime? from = null, before = null;
        foreach (var value in query["_lastUpdated"])
        {
            if (!TryRange(value ?? "", ref from, ref before))
            {
                return FhirResult.Invalid($"_lastUpdated '{value}' must be a date or time from {SearchWindow.First:yyyy-MM-dd} to {SearchWindow.Last:yyyy-MM-dd}, with an optional prefix ge, gt, le, lt or eq.");
            }
        }

        var cursor = query["_cursor"].ToString();
        var cursorParts = type switch { "Task" => FhirStore.TaskCursorParts, "CarePlan" or "RelatedPerson" => FhirStore.CoupleCursorParts, _ => 1 };
        if (cursor.Length > 0 && Cursor.Decode(cursor, cursorParts) is null)
        {
            return FhirResult.Invalid("_cursor is not one this server returned.");
        }

        var page = await search(new FhirSearch(patients, identifiers, from, before, count, cursor.Length > 0 ? cursor : null, ids, url, total == "accurate"));

        var self = $"{baseUrl}/{type}{http.Request.QueryString}";
        string? next = null;
        if (page.NextCursor is not null)
        {
            var parameters = query.Where(q => q.Key != "_cursor").SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v))).ToList();
            parameters.Add(KeyValuePair.Create("_cursor", (string?)page.NextCursor));
            next = $"{baseUrl}/{type}{QueryString.Create(parameters)}";
        }

        // Bundle.total: counted on request (_total=accurate), and known anyway when the first page is the only one.
        var known = page.Total ?? (cursor.Length == 0 && page.NextCursor is null ? page.Resources.Count : null);
        return new FhirResult(FhirJson.Bundle(self, next, page.Resources, baseUrl, known));
    }

    /// <summary>Narrows [from, before) by one _lastUpdated value: a date means that whole day.</summary>
    private static bool TryRange(string value, ref DateTime? from, ref DateTime? before)
    {
        if (value.Length == 0) return false;
        var prefixed = char.IsLetter(value[0]);
        if (prefixed && value.Length <= 2) return false;
        var prefix = prefixed ? value[..2] : "eq";
        var text = prefixed ? value[2..] : value;
        DateTime start, end;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            if (!SearchWindow.Contains(day)) return false;
            start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            end = start.AddDays(1);
        }
        else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            if (!SearchWindow.Contains(DateOnly.FromDateTime(instant.UtcDateTime))) return false;
            start = instant.UtcDateTime;
            end = start.AddTicks(1);
        }
        else
        {
            return false;
        }

        switch (prefix)
        {
            case "eq": from = Max(from, start); before = Min(before, end); return true;
            case "ge": from = Max(from, start); return true;
            case "gt": from = Max(from, end); return true;
            case "le": before = Min(before, end); return true;
            case "lt": before = Min(before, start); return true;
            default: return false;
        }

        static DateTime Max(DateTime? a, DateTime b) => a is { } x && x > b ? x : b;
        static DateTime Min(DateTime? a, DateTime b) => a is { } x && x < b ? x : b;
    }

    private static FhirResult Metadata(HttpContext http)
    {
        JsonObject Resource(string type, bool search)
        {
            var resource = new JsonObject
            {
                ["type"] = type,
                ["interaction"] = search
                    ? new JsonArray(new JsonObject { ["code"] = "read" }, new JsonObject { ["code"] = "search-type" })
                    : new JsonArray(new JsonObject { ["code"] = "read" }),
            };
            var parameters = SearchParameters[type].Where(p => p != "_count").Select(p =>
            {
                var parameter = new JsonObject
                {
                    ["name"] = p, ["type"] = p switch { "patient" => "reference", "identifier" or "_id" => "token", "url" => "uri", _ => "date" },
                };
                if (p == "patient" && PatientRequired.Contains(type)) parameter["documentation"] = "Required: this search is always for one patient.";
                return (JsonNode)parameter;
            }).ToArray();
            // FHIR JSON has no empty arrays: a type without search parameters leaves the element out.
            if (parameters.Length > 0) resource["searchParam"] = new JsonArray(parameters);
            if (type == "Patient") resource["operation"] = new JsonArray(Operation("export", "patient-export"));
            return resource;
        }

        static JsonObject Operation(string name, string definition) =>
            new() { ["name"] = name, ["definition"] = $"http://hl7.org/fhir/uv/bulkdata/OperationDefinition/{definition}" };

        return new FhirResult(new JsonObject
        {
            ["resourceType"] = "CapabilityStatement", ["status"] = "active", ["date"] = "2026-12-06", ["kind"] = "instance",
            ["instantiates"] = new JsonArray("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"),
            ["fhirVersion"] = "4.0.1", ["format"] = new JsonArray("json"),
            ["software"] = new JsonObject { ["name"] = "PracticeApi" },
            ["implementation"] = new JsonObject { ["description"] = "PracticeApi FHIR R4 read API", ["url"] = http.RequestServices.GetRequiredService<PublicAddress>().For("/fhir") },
            ["rest"] = new JsonArray(new JsonObject
            {
                ["mode"] = "server",
                ["security"] = new JsonObject { ["description"] = "Bearer tokens of the PracticeApi (user tokens, or integration tokens with the fhir:read scope); caseload rules apply." },
                ["resource"] = new JsonArray(SearchParameters.Keys.Select(t => (JsonNode)Resource(t, true)).ToArray()),
                // Bulk Data: the system export here, the Patient export on Patient; a Group is a therapist's caseload (Group/{therapistId}/$export).
                ["operation"] = new JsonArray(Operation("export", "export"), Operation("group-export", "group-export")),
            }),
        });
    }
}
