using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Http;

namespace PracticeApi.Features.Health;

public sealed record HealthResponse(string Status);

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/health").WithTags("Health").AllowAnonymous().DisableRateLimiting();
        group.MapGet("/live", () => TypedResults.Ok(new HealthResponse("live")))
            .WithName("Live").WithSummary("The process is up.");
        group.MapGet("/ready", Ready)
            .WithName("Ready").WithSummary("The database answers.").ProducesProblems(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private const string PingSql = "SELECT 1";

    private static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> Ready(Db db, CancellationToken ct)
    {
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition(PingSql, cancellationToken: ct));
            return TypedResults.Ok(new HealthResponse("ready"));
        }
        catch (System.Data.Common.DbException)
        {
            return Problems.Result(StatusCodes.Status503ServiceUnavailable, "not-ready", "Not ready", "The database does not answer.");
        }
    }
}
