using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.Integration;

public static class IntegrationApi
{
    public static IServiceCollection AddIntegration(this IServiceCollection services)
    {
        services.AddSingleton<Outbox>();
        services.AddSingleton<WebhookTargets>();
        services.AddSingleton<FeedHorizon>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddSingleton(new RetentionRule(IdempotencyMiddleware.PurgeSql));
        services.AddHostedService<RetentionService>();
        services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1",
            o => o.AddDocumentTransformer((document, _, _) =>
        {
            WebhookDocumentation.Describe(document);
            return Task.CompletedTask;
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapIntegration(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/webhooks").WithTags("Webhooks")
            .RequireAuthorization(Policies.AdminOrScope(Scopes.WebhooksManage));

        group.MapPost("/", async Task<Results<Created<CreatedWebhookResponse>,
            ProblemHttpResult>> (WebhookRequest request, Caller caller, WebhookStore store, CancellationToken ct) =>
                (await store.CreateAsync(caller, request, ct)).ToCreated(w => $"/api/v1/webhooks/{w.Id}"))
            .WithName("CreateWebhook").WithExample(IntegrationExamples.CreateWebhook)
            .WithSummary("Subscribe a URL (https, public address) to events; the signing secret is returned once.")
            .Validate<WebhookRequest>();
        group.MapGet("/", async ([AsParameters] IdPageQuery query, Caller caller, WebhookStore store,
            CancellationToken ct) =>
                TypedResults.Ok(Cursor.ToPage(await store.ListAsync(caller, query, ct), query.EffectiveLimit(),
                    w => [w.Id.ToString()], w => w)))
            .WithName("ListWebhooks").WithSummary("The practice's webhook subscriptions (without secrets).")
            .Validate<IdPageQuery>();
        group.MapDelete("/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, Caller caller,
            WebhookStore store, CancellationToken ct) =>
                await store.DeleteAsync(caller, id, ct) ? TypedResults.NoContent() : Problems.NotFound("webhook"))
            .WithName("DeleteWebhook").WithSummary("Stop a subscription; its pending deliveries are abandoned.")
            .ProducesProblems(404);
        group.MapGet("/{id:guid}/deliveries", async Task<Results<Ok<Page<DeliveryResponse>>, ProblemHttpResult>> (
                    Guid id, [AsParameters] DeliveryListQuery query, Caller caller, WebhookStore store, CancellationToken ct) =>
                await store.DeliveriesAsync(caller, id, query,
                    ct) is { } page ? TypedResults.Ok(page) : Problems.NotFound("webhook"))
            .WithName("ListWebhookDeliveries")
            .WithSummary(
                "Deliveries with their attempts, status codes and next try; status=failed lists the dead letters.")
            .Validate<DeliveryListQuery>().ProducesProblems(404);
        group.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver", async Task<Results<NoContent,
            ProblemHttpResult>> (
                    Guid id, Guid deliveryId, Caller caller, WebhookStore store, CancellationToken ct) =>
                await store.RedeliverAsync(caller, id, deliveryId,
                    ct) ? TypedResults.NoContent() : Problems.NotFound("delivery"))
            .WithName("RedeliverWebhook")
            .WithSummary("Send a delivery again now (a dead letter gets one more attempt, out of line).")
            .ProducesProblems(404);

        routes.MapGet("/api/v1/events", async ([AsParameters] FeedQuery query, Caller caller, WebhookStore store,
            CancellationToken ct) =>
                TypedResults.Ok(await store.FeedAsync(caller, query, ct)))
            .WithTags("Webhooks").WithName("ListEvents")
            .WithSummary(
                "The change feed: the same events as the webhooks, in commit order; poll with ?after=<nextCursor>.")
            .WithDescription("Events carry ids and statuses, never clinical text. The feed reads only below the oldest transaction still " +
                             "in flight, so an event committed late is never skipped by a cursor that has moved on; store nextCursor and " +
                             "poll with it. Reading the feed is audited with the clients the events name.")
            .RequireAuthorization(Policies.AdminOrScope(Scopes.EventsRead)).Validate<FeedQuery>();
        return routes;
    }
}
