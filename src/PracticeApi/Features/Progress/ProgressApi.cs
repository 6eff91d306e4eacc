using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.Progress;

public static class ProgressApi
{
    public static IServiceCollection AddProgress(this IServiceCollection services) =>
        services.AddSingleton<RepairSignals>().AddSingleton<ProgressStore>();

    public static IEndpointRouteBuilder MapProgress(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1").WithTags("Progress and alerts").RequireAuthorization(Policies.Staff);

        group.MapGet("/couples/{id:guid}/progress", async Task<Results<Ok<ProgressResponse>, ProblemHttpResult>> (
                    Guid id, [AsParameters] ProgressQuery query, Caller caller, ProgressStore store, CancellationToken ct) =>
                await store.ProgressAsync(caller, id, query,
                    ct) is { } progress ? TypedResults.Ok(progress) : Problems.NotFound("couple"))
            .WithName("GetCoupleProgress")
            .WithSummary("Check-in adherence and streaks, mood by week, triggers by week, contract lines kept by month, timeline, computed milestones.")
            .Validate<ProgressQuery>().ProducesProblems(404);
        // A page like /alerts (one couple's alerts always fit in one), so clients read both the same way.
        group.MapGet("/couples/{id:guid}/alerts", async Task<Results<Ok<Page<AlertResponse>>, ProblemHttpResult>> (
                    Guid id, Caller caller, ProgressStore store, HttpContext http, CancellationToken ct) =>
                await store.CoupleAlertsAsync(caller, id,
                    ct) is { } alerts ? TypedResults.Ok(InLanguage(new Page<AlertResponse>(alerts, null), http))
                    : Problems.NotFound("couple"))
            .WithName("GetCoupleAlerts")
            .WithSummary("What needs attention in this couple's repair, with the data behind each alert.")
            .ProducesProblems(404);
        group.MapGet("/alerts", async ([AsParameters] IdPageQuery query, Caller caller, ProgressStore store,
            HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(InLanguage(await store.AlertsAsync(caller, query, ct), http)))
            .WithName("ListAlerts")
            .WithSummary("Alerts across the caller's caseload of open couples, a page of couples at a time.")
            .Validate<IdPageQuery>();
        return routes;
    }

    /// <summary>Alerts' reasons in the request's language (a measure's own alert text stays as the practice wrote
    /// it).</summary>
    private static Page<AlertResponse> InLanguage(Page<AlertResponse> page, HttpContext http)
    {
        var language = Languages.Answer(http);
        return page with { Items = page.Items.Select(a => a with { Reason = Translations.Translate(a.Reason,
            language) }).ToList() };
    }
}
