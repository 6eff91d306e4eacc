using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.Health;

/// <param name="Status">live (the process is up) or ready (it serves requests).</param>
/// <param name="Warnings">What an operator should fix although the instance serves (for example SQL Server's
/// READ_COMMITTED_SNAPSHOT left off); empty when there is nothing.</param>
public sealed record HealthResponse(HealthStatus Status, IReadOnlyList<string> Warnings);

/// <summary>What a health probe found: the process is up (live), or it serves requests (ready).</summary>
public enum HealthStatus { Live, Ready }

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        // Rate limited per address like every anonymous route: readiness commits a write, so it must not be a flood's
        // target.
        var group = routes.MapGroup("/health").WithTags("Health").AllowAnonymous();
        group.MapGet("/live", () => TypedResults.Ok(new HealthResponse(HealthStatus.Live, [])))
            .WithName("Live").WithSummary("The process is up.");
        group.MapGet("/ready", Ready)
            .WithName("Ready")
            .WithSummary(
                "The database answers and takes a write, and the key ring encrypts; 503 with Retry-After otherwise.")
            .ProducesProblems(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    // A committed one-row write: a full disk or read-only files fail it, so a load balancer stops sending traffic.
    private const string ProbeSql = "UPDATE HealthProbes SET CheckedAt = @Now WHERE Id = 1";

    private static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> Ready(Db db, TimeProvider clock,
        HttpContext http,
        Microsoft.AspNetCore.DataProtection.IDataProtectionProvider protection, ReadCommittedSnapshot snapshot, CancellationToken ct)
    {
        try
        {
            // Keyed writes store their answer encrypted: without a usable key ring they refuse, so the instance is not
            // ready.
            protection.CreateProtector("PracticeApi.Readiness").Protect([1]);
        }
        catch (Exception e) when (KeyRing.IsUnavailable(e))
        {
            http.Response.Headers.RetryAfter = ApiExceptionHandler.StorageRetryAfterSeconds.ToString(
                System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Result(StatusCodes.Status503ServiceUnavailable, "not-ready", "Not ready",
                "The Data Protection key ring cannot be read (DataProtection:KeysPath): stored answers cannot be encrypted.");
        }

        try
        {
            await db.ExecuteAsync(ProbeSql, new { Now = clock.GetUtcNow().UtcDateTime }, ct);
            return TypedResults.Ok(new HealthResponse(HealthStatus.Ready,
                await snapshot.WarningAsync(ct) is { } warning ? [warning] : []));
        }
        catch (System.Data.Common.DbException e)
        {
            ApiExceptionHandler.ClearPools(e);
            http.Response.Headers.RetryAfter = ApiExceptionHandler.StorageRetryAfterSeconds.ToString(
                System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Result(StatusCodes.Status503ServiceUnavailable, "not-ready", "Not ready",
                "The database cannot take writes.");
        }
    }
}
