using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using PracticeApi.Infrastructure.Data.Sqlite;

namespace PracticeApi.Infrastructure.Http;

/// <summary>Turns the known exceptions into problems; anything else is a 500 without details.</summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems,
    ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var problem = exception switch
        {
            BadHttpRequestException bad => FromBadRequest(context, bad),
            DbException db when DbErrors.IsConstraintViolation(db) => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Type = Problems.Type("conflict"),
                Title = "Conflict",
                Detail = "The change conflicts with existing data (a duplicate, or a reference that no longer holds).",
            },
            DbException db when IsStorageUnavailable(db) => StorageUnavailable(context, db),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };

        if (problem is null)
        {
            if (context.RequestAborted.IsCancellationRequested) return true;
            // Exception type and message only: bodies and clinical text never reach the log.
            LogUnhandled(logger, exception.GetType().Name, context.Request.Method, context.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Type = Problems.Type("internal"),
                Title = "Internal server error",
                Detail = "The server could not complete the request. Quote the requestId when reporting it.",
            };
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context,
            ProblemDetails = problem, Exception = exception });
    }

    /// <summary>
    /// The database cannot write (disk full, read-only files, I/O error) or cannot be reached: a 503 the client may
    /// retry, with no details. The pool is cleared, so that connections opened while storage was read-only do not
    /// outlive it.
    /// </summary>
    private ProblemDetails StorageUnavailable(HttpContext context, DbException e)
    {
        LogStorageUnavailable(logger, e.GetType().Name, e.ErrorCode);
        ClearPools(e);
        context.Response.Headers.RetryAfter = StorageRetryAfterSeconds.ToString(
            System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Type = Problems.Type("storage-unavailable"),
            Title = "Storage unavailable",
            Detail = "The data store cannot take this request right now. Nothing was changed; retry after the Retry-After seconds.",
        };
    }

    public const int StorageRetryAfterSeconds = 5;

    public static void ClearPools(DbException e)
    {
        if (e is SqliteException)
        {
            SqlitePool.ClearAll();
            SqliteConnection.ClearAllPools();
        }
        else if (e is SqlException) SqlConnection.ClearAllPools();
    }

    public static bool IsStorageUnavailable(DbException e) => e switch
    {
        // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN
        SqliteException s => s.SqliteErrorCode is 5 or 6 or 8 or 10 or 13 or 14,
        // filegroup or log full, read-only database, cannot open, unavailable (Azure), quota, network and timeouts
        SqlException s =>
            s.Number is 1105 or 9002 or 3906 or 4060 or 40613 or 40544 or 40197 or 40501 or 49918 or 53 or -1 or -2,
        _ => false,
    };

    /// <summary>
    /// The members System.Text.Json found missing (RespectRequiredConstructorParameters: a record's parameter without a
    /// default is required), keyed by their path in the body, such as <c>byClient</c> or <c>attendance[0].attended</c>.
    /// </summary>
    private static Dictionary<string, string[]>? MissingRequired(JsonException json)
    {
        var match = MissingRequiredPattern().Match(json.Message);
        if (!match.Success) return null;
        var at = (json.Path ?? "$").TrimStart('$').TrimStart('.');
        return QuotedName().Matches(match.Groups[1].Value)
            .Select(m => at.Length == 0 ? m.Groups[1].Value : $"{at}.{m.Groups[1].Value}")
            .Distinct()
            .ToDictionary(name => name, _ => new[] { Required() });
    }

    [MessageSource]
    private static string Required() => "This field is required.";

    /// <summary>
    /// The fields a body could not be read for, when the reason is one a client can act on: a date outside the window,
    /// a value outside a closed set (found by walking the body's type along the exception's path, <c>$.note.format</c>,
    /// <c>$.events[1]</c>), or required members left out (never a silent false, 0 or null).
    /// </summary>
    private static (string Detail, Dictionary<string, string[]> Errors)? FieldErrors(HttpContext context,
        JsonException json)
    {
        var field = json.Path is { Length: > 2 } path && path.StartsWith("$.",
            StringComparison.Ordinal) ? path[2..] : null;
        var message = field is null ? null
            : json is OutsideDateWindowException ? OutsideWindow(field)
            : ClosedSetAt(context, field) is { } set ? OneOf(field, ClosedSets.Names(set))
            : null;
        if (message is not null) return (message, new() { [field!] = [message] });
        return MissingRequired(json) is { Count: > 0 } missing ? (RequiredFields(missing.Keys), missing) : null;
    }

    /// <summary>The closed set (enum) the body's type holds at a field path, if any.</summary>
    private static Type? ClosedSetAt(HttpContext context, string field)
    {
        // The exception handler runs with the endpoint cleared; the feature keeps the one that failed.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        var type = endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
        foreach (var part in field.Split('.'))
        {
            type = type?.GetProperty(part.Split('[')[0],
                System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance |
                                                         System.Reflection.BindingFlags.IgnoreCase)?.PropertyType;
            for (var depth = part.Count(c => c == '['); depth > 0
                && type is not null; depth--) type = ClosedSets.ElementOf(type);
        }

        if (type is not null && !ClosedSets.IsClosedSet(type)) type = ClosedSets.ElementOf(type);
        return type is not null && ClosedSets.IsClosedSet(type) ? Nullable.GetUnderlyingType(type) ?? type : null;
    }

    [MessageSource]
    private static string RequiredFields(IEnumerable<string> names) => $"Required: {string.Join(", ", names)}.";

    [MessageSource]
    private static string OutsideWindow(string field) =>
        $"{field} must be between {SearchWindow.First:yyyy-MM-dd} and {SearchWindow.Last:yyyy-MM-dd}.";

    [MessageSource]
    private static string OneOf(string field,
        IEnumerable<string> names) => $"{field} must be one of: {string.Join(", ", names)}.";

    [System.Text.RegularExpressions.GeneratedRegex("missing required properties including: (.+)$",
        System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex MissingRequiredPattern();

    [System.Text.RegularExpressions.GeneratedRegex("'([^']+)'")]
    private static partial System.Text.RegularExpressions.Regex QuotedName();

    private static ProblemDetails FromBadRequest(HttpContext context, BadHttpRequestException bad)
    {
        var problem = new ProblemDetails { Status = bad.StatusCode };
        switch (bad.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                problem.Type = Problems.Type("payload-too-large");
                problem.Title = "Request body too large";
                problem.Detail = "The request body is larger than this endpoint accepts.";
                break;
            case StatusCodes.Status415UnsupportedMediaType:
                problem.Type = Problems.Type("unsupported-media-type");
                problem.Title = "Unsupported media type";
                problem.Detail = "Send the body as JSON with Content-Type: application/json.";
                break;
            default:
                var json = FindJsonException(bad);
                if (json is not null && FieldErrors(context, json) is var (detail, errors))
                {
                    // A reason the client can act on is a validation problem naming each field.
                    problem.Type = Problems.Type("validation");
                    problem.Title = "One or more fields are invalid.";
                    problem.Detail = detail;
                    problem.Extensions["errors"] = errors;
                    break;
                }

                problem.Type = Problems.Type(json is null ? "bad-request" : "malformed-json");
                problem.Title = json is null ? "Bad request" : "The request body is not valid JSON for this endpoint.";
                problem.Detail = json is null
                    ? bad.Message : $"At {json.Path ?? "$"}: the value could not be read{LineInfo(json)}.";
                if (json is not null)
                {
                    problem.Extensions["errors"] = new Dictionary<string, string[]>
                    {
                        [json.Path ?? "$"] = ["The value is missing, malformed or of the wrong type."],
                    };
                }

                break;
        }

        return problem;
    }

    private static string LineInfo(JsonException json) =>
        json.LineNumber is { } line ? $" (line {line + 1}, position {json.BytePositionInLine})" : "";

    private static JsonException? FindJsonException(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is JsonException json) return json;
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage unavailable: {ExceptionType} (error code {ErrorCode})")]
    private static partial void LogStorageUnavailable(ILogger logger, string exceptionType, int errorCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string exceptionType, string method, string path);
}
