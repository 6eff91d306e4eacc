using Microsoft.OpenApi;
using System.Globalization;
using System.Text.Json.Nodes;
using PracticeApi.Features.Smart;

namespace PracticeApi.Features.Fhir;

/// <summary>
/// FHIR Bulk Data Access 2.0, the async pattern: a kick-off at the system, Patient or Group level answers 202 with the
/// status URL; the status answers 202 with X-Progress while the export runs and 200 with the manifest once done; each
/// file is NDJSON (application/fhir+ndjson) read with an access token of the same requester; DELETE cancels and
/// removes. A Group is a therapist's caseload (its id is the therapist's id).
/// </summary>
public static class BulkExportApi
{
    public const string NdjsonMediaType = "application/fhir+ndjson";

    /// <summary>What each level exports (Questionnaire is not in a patient's compartment: only the system level has
    /// it).</summary>
    public static readonly string[] PatientTypes = ["Patient", "Appointment", "QuestionnaireResponse", "Task",
        "CarePlan", "RelatedPerson", "Invoice", "Consent", "Observation"];

    public static readonly string[] SystemTypes = [.. PatientTypes, "Questionnaire"];

    public static IServiceCollection AddBulkExport(this IServiceCollection services) =>
        services.AddSingleton<BulkExportStore>().AddSingleton<BulkExportRunner>()
            .AddHostedService(s => s.GetRequiredService<BulkExportRunner>())
            .AddSingleton(new RetentionRule(BulkExportStore.PurgeFilesSql))
            .AddSingleton(new RetentionRule(BulkExportStore.PurgeExportsSql));

    /// <summary>Maps the operations on the FHIR route group (its authentication, Accept and SMART type rules
    /// apply).</summary>
    public static RouteGroupBuilder MapBulkExport(this RouteGroupBuilder fhir)
    {
        fhir.MapGet("/$export", (HttpContext http, Caller caller, BulkExportStore store, CancellationToken ct) =>
                KickOffAsync(http, caller, store, "system", null, ct))
            .WithName("FhirBulkExportSystem")
            .WithSummary("Bulk Data kick-off: everything the token may read, as NDJSON files (Prefer: respond-async).")
            .KickOff();
        fhir.MapGet("/Patient/$export", (HttpContext http, Caller caller, BulkExportStore store,
            CancellationToken ct) =>
                KickOffAsync(http, caller, store, "patient", null, ct))
            .WithName("FhirBulkExportPatients")
            .WithSummary("Bulk Data kick-off: every patient the token may read and their compartments.")
            .KickOff();
        fhir.MapGet("/Group/{id:guid}/$export", (Guid id, HttpContext http, Caller caller, BulkExportStore store,
            CancellationToken ct) =>
                KickOffAsync(http, caller, store, "group", id, ct))
            .WithName("FhirBulkExportGroup")
            .WithSummary("Bulk Data kick-off for a Group: a therapist's caseload (the group id is the therapist's id).")
            .KickOff();
        fhir.MapGet("/$export-status/{id:guid}", StatusAsync).WithName("FhirBulkExportStatus")
            .WithSummary("An export's status: 202 with X-Progress while it runs, 200 with the manifest when done.")
            .Produces<JsonObject>(StatusCodes.Status200OK, "application/json").Produces(StatusCodes.Status202Accepted)
            .Outcomes(StatusCodes.Status404NotFound);
        fhir.MapDelete("/$export-status/{id:guid}", async (Guid id, Caller caller, BulkExportStore store,
            CancellationToken ct) =>
                await store.CancelAsync(caller, id, ct) ? Results.Accepted() : FhirResult.NotFound("export",
                    id.ToString()))
            .WithName("FhirBulkExportCancel").WithSummary("Cancel an export, or delete a finished one's files.")
            .Produces(StatusCodes.Status202Accepted).Outcomes(StatusCodes.Status404NotFound);
        fhir.MapGet("/$export-file/{id:guid}", FileAsync).WithName("FhirBulkExportFile")
            .WithSummary(
                "One NDJSON file of a finished export (the requester's access token; it expires with the export).")
            .Produces<string>(StatusCodes.Status200OK, NdjsonMediaType).Outcomes(StatusCodes.Status404NotFound);
        return fhir;
    }

    private static RouteHandlerBuilder KickOff(this RouteHandlerBuilder builder) =>
        builder.Produces(StatusCodes.Status202Accepted).Outcomes(StatusCodes.Status400BadRequest,
            StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(KickOffParameter("Prefer", ParameterLocation.Header, "respond-async",
                    "Required: respond-async (the export runs in the background; poll the Content-Location of the 202).", required: true));
                operation.Parameters.Add(KickOffParameter("_type", ParameterLocation.Query, "Patient,Appointment",
                    "Comma-separated resource types to export; left out, every type the token may read."));
                operation.Parameters.Add(KickOffParameter("_since", ParameterLocation.Query, "2026-11-01T00:00:00Z",
                    "Only resources changed after this instant (a FHIR instant with a time zone)."));
                operation.Parameters.Add(KickOffParameter("_outputFormat", ParameterLocation.Query, NdjsonMediaType,
                    "application/fhir+ndjson (also ndjson or application/ndjson), the only format offered."));
                return Task.CompletedTask;
            });

    private static OpenApiParameter KickOffParameter(string name, ParameterLocation location, string example,
        string description, bool required = false) =>
        new()
        {
            Name = name, In = location, Required = required, Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String }, Example = System.Text.Json.Nodes.JsonValue.Create(example),
        };

    /// <summary>Error answers as FHIR OperationOutcomes.</summary>
    private static RouteHandlerBuilder Outcomes(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses) builder.Produces<JsonObject>(status, FhirJson.MediaType);
        return builder;
    }

    private static async Task<IResult> KickOffAsync(HttpContext http, Caller caller, BulkExportStore store,
        string level, Guid? group, CancellationToken ct)
    {
        var request = http.Request;
        if (!request.Headers["Prefer"].ToString().Contains("respond-async", StringComparison.OrdinalIgnoreCase))
        {
            return FhirResult.Invalid("A bulk export runs asynchronously: send Prefer: respond-async.");
        }

        var format = request.Query["_outputFormat"].ToString();
        if (format.Length > 0 && format is not (NdjsonMediaType or "application/ndjson" or "ndjson"))
        {
            return FhirResult.Invalid($"_outputFormat must be {NdjsonMediaType} (or application/ndjson, ndjson).");
        }

        var offered = level == "system" ? SystemTypes : PatientTypes;
        var asked = request.Query["_type"].ToString();
        var types = asked.Length == 0 ? offered.Where(t => SmartScopes.MayRead(caller, t)).ToList() : asked.Split(',')
            .Select(t => t.Trim()).Distinct().ToList();
        if (types.FirstOrDefault(t => !offered.Contains(t)) is { } unknown)
        {
            return FhirResult.Invalid(
                $"_type '{unknown}' is not exported at this level (exported: {string.Join(", ", offered)}).");
        }

        if (types.FirstOrDefault(t => !SmartScopes.MayRead(caller, t)) is { } denied)
        {
            return new FhirResult(FhirJson.Outcome("error", "forbidden",
                $"This token's scopes do not cover {denied}."), StatusCodes.Status403Forbidden);
        }

        if (types.Count == 0) return new FhirResult(FhirJson.Outcome("error", "forbidden",
            "This token may read none of the exported types."), StatusCodes.Status403Forbidden);
        DateTime? since = null;
        if (request.Query["_since"].ToString() is { Length: > 0 } sinceText)
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal,
                out var instant))
            {
                return FhirResult.Invalid("_since must be an instant, such as 2026-11-01T00:00:00Z.");
            }

            since = instant.UtcDateTime;
        }

        if (request.Query.Keys.FirstOrDefault(k => k is not ("_type" or "_since" or "_outputFormat")) is { } other)
        {
            return FhirResult.Invalid(
                $"'{other}' is not a parameter of $export here (supported: _type, _since, _outputFormat).");
        }

        var baseUrl = http.RequestServices.GetRequiredService<PublicAddress>().For("/fhir");
        var kickOff = $"{baseUrl}{request.Path.Value![5..]}{request.QueryString}";
        var id = await store.KickOffAsync(caller, level, group, types, since, kickOff, ct);
        if (id is null) return FhirResult.NotFound("Group", group.ToString()!);
        http.Response.Headers.ContentLocation = $"{baseUrl}/$export-status/{id}";
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> StatusAsync(Guid id, HttpContext http, Caller caller, BulkExportStore store,
        CancellationToken ct)
    {
        var export = await store.FindAsync(caller, id, ct);
        if (export is null || export.State == BulkExportStatus.Cancelled) return FhirResult.NotFound("export", id.ToString());
        switch (export.State)
        {
            case BulkExportStatus.Queued or BulkExportStatus.Running:
                http.Response.Headers["X-Progress"] = export.Progress ?? export.Status;
                http.Response.Headers.RetryAfter = "1";
                return Results.StatusCode(StatusCodes.Status202Accepted);
            case BulkExportStatus.Failed:
                return new FhirResult(FhirJson.Outcome("error", "forbidden",
                    export.Error ?? "The export could not run."), StatusCodes.Status403Forbidden);
        }

        var baseUrl = http.RequestServices.GetRequiredService<PublicAddress>().For("/fhir");
        var files = await store.FilesAsync(caller, id, ct);
        http.Response.Headers.Expires = export.ExpiresAt.ToString("R", CultureInfo.InvariantCulture);
        return Results.Json(new JsonObject
        {
            ["transactionTime"] = export.TransactionTime?.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'",
                CultureInfo.InvariantCulture),
            ["request"] = export.RequestUrl,
            ["requiresAccessToken"] = true,
            ["output"] = new JsonArray(files.Select(f => (JsonNode)new JsonObject
            {
                ["type"] = f.ResourceType, ["url"] = $"{baseUrl}/$export-file/{f.Id}", ["count"] = f.Resources,
            }).ToArray()),
            ["error"] = new JsonArray(),
        }, contentType: "application/json");
    }

    private static async Task<IResult> FileAsync(Guid id, HttpContext http, Caller caller, BulkExportStore store,
        CancellationToken ct)
    {
        var content = await store.FileContentAsync(caller, id, ct);
        if (content is null) return FhirResult.NotFound("export file", id.ToString());
        return Results.Text(content, NdjsonMediaType);
    }
}
