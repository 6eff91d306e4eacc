using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace PracticeApi.Infrastructure.Http;

/// <summary>RFC 9457 problems with a stable <c>type</c> per kind of error.</summary>
public static class Problems
{
    public const string TypeBase = "https://practiceapi.dev/problems/";

    public static string Type(string name) => TypeBase + name;

    public static ProblemHttpResult NotFound(string resource) =>
        Result(StatusCodes.Status404NotFound, "not-found", "Not found",
            $"No {resource} with this id exists in your practice and caseload.");

    public static ValidationProblem Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
            type: Type("validation"), title: "One or more fields are invalid.");

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, type: Type("validation"), title: "One or more fields are invalid.");

    public static ProblemHttpResult Result(int status, string name, string title, string detail,
        IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: Type(name), extensions: extensions);

    /// <summary>For middleware and handlers that write outside an endpoint's result.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string name, string title, string detail,
        IDictionary<string, object?>? extensions = null)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Type = Type(name), Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>()) problem.Extensions[key] = value;
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
