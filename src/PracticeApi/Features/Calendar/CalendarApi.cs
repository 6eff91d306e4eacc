using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.Calendar;

/// <summary>
/// A calendar feed per therapist: a secret address their calendar app subscribes to, showing their sessions from a
/// month back to a year ahead (times, kind, initials; no clinical text), updated as sessions are rescheduled or
/// cancelled.
/// </summary>
public static class CalendarApi
{
    public static IServiceCollection AddCalendar(this IServiceCollection services) =>
        services.AddSingleton<CalendarFeeds>();

    public static IEndpointRouteBuilder MapCalendar(this IEndpointRouteBuilder routes)
    {
        var feeds = routes.MapGroup("/api/v1/therapists/{id:guid}/calendar-feed").WithTags("Therapists")
            .RequireAuthorization(Policies.Staff);
        feeds.MapPost("/", async Task<Results<Created<CalendarFeedResponse>, ProblemHttpResult>> (Guid id,
            Caller caller, CalendarFeeds store, PublicAddress address, CancellationToken ct) =>
            {
                var outcome = await store.CreateAsync(caller, id, ct);
                if (!outcome.Succeeded) return outcome.Failure!.ToProblem();
                var (feed, token) = outcome.Value;
                return TypedResults.Created($"/api/v1/therapists/{id}/calendar-feed",
                    feed with { Url = address.For($"/calendar/{token}") });
            })
            .WithName("CreateCalendarFeed")
            .WithSummary("A new calendar feed address for a therapist; the previous one stops working at once.")
            .WithDescription("The address holds the feed's secret and is shown once: paste it into a calendar app as a subscription. " +
                             "Anyone with it sees the therapist's session times and clients' initials, so treat it as a password.")
            .ProducesProblems(403, 404);
        feeds.MapGet("/", async (Guid id, Caller caller, CalendarFeeds store,
            CancellationToken ct) => (await store.GetAsync(caller, id, ct)).ToOk())
            .WithName("GetCalendarFeed")
            .WithSummary("Whether a therapist has a calendar feed, and since when (never its address).")
            .ProducesProblems(403, 404);
        feeds.MapDelete("/", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, Caller caller,
            CalendarFeeds store, CancellationToken ct) =>
                await store.RevokeAsync(caller, id, ct) is { } failure ? failure.ToProblem() : TypedResults.NoContent())
            .WithName("RevokeCalendarFeed").WithSummary("Stop a therapist's calendar feed at once.")
            .ProducesProblems(403, 404);

        routes.MapGet("/calendar/{token}", async Task<Results<ContentHttpResult, ProblemHttpResult>> (string token,
            CalendarFeeds store, HttpContext http, CancellationToken ct) =>
            {
                if (await store.ReadAsync(token, http.Connection.RemoteIpAddress?.ToString(), http.TraceIdentifier,
                    ct) is not { } feed)
                {
                    return Problems.NotFound("calendar feed");
                }

                var dutch = http.Request.Headers.AcceptLanguage.ToString().StartsWith("nl",
                    StringComparison.OrdinalIgnoreCase);
                http.Response.Headers.CacheControl = "private, no-store";
                return TypedResults.Content(CalendarIcs.Write(feed.Sessions, feed.Participants, dutch),
                    $"{CalendarIcs.MediaType}; charset=utf-8");
            })
            .AllowAnonymous().WithTags("Therapists").WithName("ReadCalendarFeed")
            .WithMetadata(new Offers(CalendarIcs.MediaType))
            .WithSummary("A therapist's sessions as iCalendar, for a calendar app's subscription; the secret in the address is the credential.")
            .Produces<string>(StatusCodes.Status200OK, CalendarIcs.MediaType).ProducesProblems(404);
        return routes;
    }
}
