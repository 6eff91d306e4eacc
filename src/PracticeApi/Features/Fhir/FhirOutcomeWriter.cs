namespace PracticeApi.Features.Fhir;

/// <summary>
/// Every error under /fhir, wherever it is written (auth challenge, rate limiter, unknown route, wrong method,
/// exception handler), leaves as a FHIR OperationOutcome instead of problem details.
/// </summary>
internal sealed class FhirOutcomeWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => context.HttpContext.Request.Path.StartsWithSegments("/fhir");

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var status = context.ProblemDetails.Status ?? http.Response.StatusCode;
        var code = status switch
        {
            400 => "invalid",
            401 => "login",
            403 => "forbidden",
            404 => "not-found",
            405 or 415 => "not-supported",
            409 => "conflict",
            413 => "too-long",
            429 => "throttled",
            _ => "exception",
        };
        http.Response.ContentType = FhirJson.MediaType;
        var diagnostics = context.ProblemDetails.Detail ?? context.ProblemDetails.Title
            ?? "The request could not be completed.";
        await http.Response.WriteAsync(FhirJson.Outcome("error", code, diagnostics).ToJsonString());
    }
}
