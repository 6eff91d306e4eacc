using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.Json;

namespace PracticeApi.Infrastructure.Http;

public static class HttpConventions
{
    public const long DefaultBodyLimit = 1024 * 1024;

    public static WebApplicationBuilder AddHttpConventions(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = DefaultBodyLimit;
            k.AddServerHeader = false;
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));

        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            // Numbers are JSON numbers: "30" is not 30 (and the OpenAPI document says integer, not integer-or-string).
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            // Required means required: a record parameter that is neither nullable nor defaulted must be in the body
            // (omitted is a 400 naming it, never a silent false or 0); the OpenAPI document's "required" lists are the
            // same.
            o.SerializerOptions.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
            {
                Modifiers = { RequiredMembers.Mark },
            };
            o.SerializerOptions.Converters.Add(ClosedSets.Converter());
            o.SerializerOptions.Converters.Add(new UtcDateTimeConverter());
            o.SerializerOptions.Converters.Add(new WindowedDateConverter());
        });

        // Bad JSON, wrong content type and bad route values throw, so one handler answers them as problems.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions["requestId"] = c.HttpContext.TraceIdentifier;
            // A bare 400 from a handler's binding: say which query values could not be read, as a validation problem.
            if (c.ProblemDetails.Status == StatusCodes.Status400BadRequest
                && c.ProblemDetails.Type is null or { Length: 0 } or "https://tools.ietf.org/html/rfc9110#section-15.5.1"
                && QueryValueProblems.Find(c.HttpContext) is { Count: > 0 } unreadable)
            {
                c.ProblemDetails.Type = Problems.Type("validation");
                c.ProblemDetails.Title = "One or more fields are invalid.";
                c.ProblemDetails.Extensions["errors"] = unreadable;
            }

            // The framework's own problems (unknown route, wrong method, wrong media type) get stable types too.
            if (c.ProblemDetails.Type is null || c.ProblemDetails.Type.StartsWith("https://tools.ietf.org/",
                StringComparison.Ordinal))
            {
                c.ProblemDetails.Type = Problems.Type(c.ProblemDetails.Status switch
                {
                    404 => "not-found",
                    405 => "method-not-allowed",
                    413 => "payload-too-large",
                    415 => "unsupported-media-type",
                    _ => "error",
                });
            }

            // Read in the request's language (Accept-Language, or a portal client's own choice).
            Translations.Localise(c.ProblemDetails, c.HttpContext);
        });
        // Last in line: a problem is written as JSON even when the request's Accept named nothing a writer offers.
        services.AddSingleton<IProblemDetailsWriter, JsonProblemFallbackWriter>();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddSingleton<ReplayAuthorization>();
        services.AddSingleton<PublicAddress>();
        PublicAddress.ConfigureAllowedHosts(builder);
        services.AddRateLimiting(builder.Configuration);
        return builder;
    }

    public static WebApplication UseHttpConventions(this WebApplication app)
    {
        app.Use(SecurityHeaders);
        // Only on HTTPS requests (and never for localhost): browsers then refuse plain HTTP to this host.
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>After routing, so that what an endpoint also offers (<see cref="Offers"/>) is known; before
    /// authentication.</summary>
    public static WebApplication UseAcceptNegotiation(this WebApplication app)
    {
        app.Use(RefuseUnacceptable);
        return app;
    }

    /// <summary>
    /// Everything this API answers is JSON: a request whose Accept excludes JSON gets 406 (as problem JSON, the one
    /// form there is), on every route, before authentication, instead of a problem writer finding no format to write.
    /// Swagger UI's pages and FHIR (its own 406 as an OperationOutcome) are left to themselves.
    /// </summary>
    private static async Task RefuseUnacceptable(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path;
        var accept = context.Request.Headers.Accept.ToString();
        if (path.StartsWithSegments("/swagger") || path.StartsWithSegments("/fhir") || AcceptsJson(accept))
        {
            await next();
            return;
        }

        if (context.GetEndpoint()?.Metadata.GetOrderedMetadata<Offers>().Any(o => o.AcceptedBy(accept)) == true)
        {
            // A request for what the endpoint also offers still gets its errors as problem details (RFC 9457), the one
            // form they have.
            context.Request.Headers.Accept = $"{accept}, application/problem+json;q=0.1";
            await next();
            return;
        }

        context.Response.StatusCode = StatusCodes.Status406NotAcceptable;
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
        {
            ["type"] = Problems.Type(
                "not-acceptable"), ["title"] = "Not acceptable", ["status"] = StatusCodes.Status406NotAcceptable,
            ["detail"] = "This API answers only JSON (application/json, or application/problem+json for errors); send an Accept header that allows it.",
            ["requestId"] = context.TraceIdentifier,
        }, options: (JsonSerializerOptions?)null, contentType: "application/problem+json");
    }

    /// <summary>No Accept header, or one with a media range that covers JSON (*/*, application/*, application/json,
    /// …+json).</summary>
    public static bool AcceptsJson(string accept)
    {
        if (accept.Length == 0) return true;
        foreach (var range in accept.Split(','))
        {
            var parts = range.Split(';');
            var type = parts[0].Trim().ToLowerInvariant();
            // A range with q=0 is one the client refuses.
            if (parts.Skip(1).Any(p => p.Trim().Replace(" ",
                "") is "q=0" or "q=0.0" or "q=0.00" or "q=0.000")) continue;
            if (type is "*/*" or "application/*" or "application/json" || type.EndsWith("+json",
                StringComparison.Ordinal)) return true;
        }

        return false;
    }

    /// <summary>
    /// On every response: clinical data is never cached by a browser or proxy, never sniffed into another type, never
    /// framed, and no referrer leaks an id in a URL.
    /// </summary>
    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "no-store";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            return Task.CompletedTask;
        });
        return next();
    }

    /// <summary>413 before the body is read when Content-Length says it is too large; Kestrel enforces the
    /// rest.</summary>
    public static WebApplication UseRequestBodyLimit(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
                ?? DefaultBodyLimit;
            if (context.Request.ContentLength > limit)
            {
                await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "payload-too-large",
                    "Request body too large", $"The request body may be at most {limit} bytes.");
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            await next(context);
        });
        return app;
    }

    private static void AddRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = configuration.GetValue("RateLimiting:PermitLimit", 1200);
        var window = TimeSpan.FromSeconds(configuration.GetValue("RateLimiting:WindowSeconds", 10));
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                // Per token once authenticated; per address before that.
                var key = context.User.FindFirst(Caller.TokenClaim)?.Value
                          ?? "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = async (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? (int)Math.Ceiling(wait.TotalSeconds)
                    : (int)window.TotalSeconds;
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "rate-limited",
                    "Too many requests", $"This token sent too many requests; retry after {retryAfter} seconds.");
            };
        });
    }
}

/// <summary>The last problem writer: problem JSON whatever the Accept header said, so writing a problem never
/// fails.</summary>
internal sealed class JsonProblemFallbackWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context) =>
        new(context.HttpContext.Response.WriteAsJsonAsync(context.ProblemDetails, (JsonSerializerOptions?)null,
            "application/problem+json"));
}

/// <summary>
/// The one rule for required members of a request body: a constructor parameter that is not nullable and has no default
/// value. Omitting one fails deserialization, which <see cref="ApiExceptionHandler"/> answers with a validation problem
/// naming it.
/// </summary>
internal static class RequiredMembers
{
    public static void Mark(System.Text.Json.Serialization.Metadata.JsonTypeInfo type)
    {
        if (type.Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object) return;
        foreach (var property in type.Properties)
        {
            if (property.AssociatedParameter is { HasDefaultValue: false,
                IsNullable: false }) property.IsRequired = true;
        }
    }
}

/// <summary>
/// Endpoint metadata: besides JSON, this endpoint answers in another media type to a request that accepts it (an
/// invoice's printable page, its UBL document, a calendar feed); the Accept check lets such a request through.
/// </summary>
public sealed record Offers(string MediaType)
{
    public static readonly Offers Html = new("text/html");

    /// <summary>Whether an Accept header names this media type, or its type with any subtype (text/*).</summary>
    public bool AcceptedBy(string accept) => accept.Split(',').Select(range => range.Split(';')[0].Trim()
        .ToLowerInvariant())
        .Any(range => range == MediaType || range == MediaType[..(MediaType.IndexOf('/') + 1)] + "*");
}
