using System.Globalization;
using System.Text.Json.Nodes;

namespace PracticeApi.Features.Fhir;

/// <summary>Writes a FHIR resource as application/fhir+json.</summary>
internal sealed class FhirResult(JsonNode body, int status = StatusCodes.Status200OK) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        // A read of a versioned resource: W/"versionId" as ETag and meta.lastUpdated as Last-Modified (FHIR's version
        // aware reads), and If-None-Match with the current version answers 304 without a body.
        if (status == StatusCodes.Status200OK
            && body["resourceType"]?.GetValue<string>() is not ("Bundle" or "CapabilityStatement") &&
            body["meta"]?["versionId"]?.GetValue<string>() is { } version)
        {
            var etag = $"W/\"{version}\"";
            context.Response.Headers.ETag = etag;
            if (body["meta"]?["lastUpdated"]?.GetValue<string>() is { } updated &&
                DateTimeOffset.TryParse(updated, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal,
                    out var lastModified))
            {
                context.Response.Headers.LastModified = lastModified.ToString("R", CultureInfo.InvariantCulture);
            }

            // If-None-Match decides when sent; otherwise If-Modified-Since (HTTP dates have whole seconds).
            var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
            var notModified = ifNoneMatch.Length > 0
                ? ifNoneMatch.Split(',').Select(t => t.Trim()).Any(t => t == "*" || t == etag || t == $"\"{version}\"")
                : context.Request.GetTypedHeaders().IfModifiedSince is { } since
                    && context.Response.Headers.LastModified.Count > 0 &&
                  DateTimeOffset.Parse(context.Response.Headers.LastModified.ToString(),
                      CultureInfo.InvariantCulture) <= since;
            if (notModified)
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = FhirJson.MediaType;
        await context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>JSON is the only format served: an Accept or _format that excludes it is a 406, not JSON with
    /// 200.</summary>
    public static FhirResult? NotAcceptable(HttpRequest request)
    {
        var format = request.Query["_format"].ToString();
        var accept = request.Headers.Accept.ToString();
        // A bulk export's files are NDJSON.
        var ndjson = request.Path.Value?.Contains("/$export-file/", StringComparison.Ordinal) == true;
        var jsonOk = format.Length > 0
            ? format.Contains("json", StringComparison.OrdinalIgnoreCase)
            : accept.Length == 0 || accept.Split(',').Select(a => a.Split(';')[0].Trim().ToLowerInvariant())
                .Any(a => a is "*/*" or "application/*" or "application/json" or "application/fhir+json" or "application/json+fhir" ||
                          (ndjson && a is "application/fhir+ndjson" or "application/ndjson"));
        return jsonOk ? null : new FhirResult(FhirJson.Outcome("error", "not-supported",
            "Only JSON is served (application/fhir+json); XML and other formats are not."), StatusCodes.Status406NotAcceptable);
    }

    public static FhirResult NotFound(string type, string id) =>
        new(FhirJson.Outcome("error", "not-found", $"{type}/{id} is not known in your practice and caseload."),
            StatusCodes.Status404NotFound);

    public static FhirResult Invalid(string diagnostics) => new(FhirJson.Outcome("error", "invalid", diagnostics),
        StatusCodes.Status400BadRequest);
}
