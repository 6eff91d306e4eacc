using FluentValidation;

namespace PracticeApi.Features.Recovery;

public static class RecoveryLogApi
{
    public static IServiceCollection AddRecoveryLog(this IServiceCollection services) =>
        services.AddSingleton<RecoveryLogStore>();

    public static IEndpointRouteBuilder MapRecoveryLog(this IEndpointRouteBuilder routes)
    {
        var portal = routes.MapGroup("/api/v1/me").WithTags("Client portal").RequireAuthorization(Policies.Portal);
        portal.MapPost("/recovery-log", async (RecoveryEntryRequest request, Caller caller, RecoveryLogStore store,
            CancellationToken ct) =>
                (await store.AddAsync(caller, caller.ClientId!.Value, request,
                    ct)).ToCreated(_ => "/api/v1/me/recovery-log"))
            .WithName("AddMyRecoveryEntry").WithExample(RecoveryExamples.AddMyRecoveryEntry)
            .WithSummary("Log a sober day, a setback (what happened, what I learnt) or a support meeting.")
            .WithDescription("A setback starts the count of sober days again and is shown to the care team as a signal to talk about; it " +
                             "never changes the couple's progress in repair. Days up to 30 back can be logged; one sober day per day.")
            .Validate<RecoveryEntryRequest>().ProducesProblems(409);
        portal.MapGet("/recovery-log", async (Caller caller, [AsParameters] PageQuery query, RecoveryLogStore store,
            CancellationToken ct) =>
                (await store.ListAsync(caller, caller.ClientId!.Value, query, ct)).ToOk())
            .WithName("GetMyRecoveryLog")
            .WithSummary("My recovery log, newest day first, with my sober days, setbacks and meetings so far.")
            .Validate<PageQuery>();
        portal.MapGet("/recovery-log/sharing", async (Caller caller, RecoveryLogStore store, CancellationToken ct) =>
                TypedResults.Ok(await store.SharingAsync(caller, ct)))
            .WithName("GetMyRecoveryLogSharing")
            .WithSummary("For each of my couples, my partner there and whether I share my recovery log with them.");
        portal.MapPut("/recovery-log/sharing", async (RecoverySharingRequest request, Caller caller,
            RecoveryLogStore store, CancellationToken ct) =>
                (await store.SetSharingAsync(caller, request, ct)).ToOk())
            .WithName("SetMyRecoveryLogSharing").WithExample(RecoveryExamples.SetMyRecoveryLogSharing)
            .WithSummary("Share my recovery log with my partner in one couple, or stop sharing it there (off until I turn it on).")
            .WithDescription("Sharing names the couple: a client in two couples shares with the partner of the couple named, never with " +
                             "the other. 404 when the couple is not one of mine or is closed.")
            .ProducesProblems(404);
        portal.MapGet("/partner/recovery-log", async (Caller caller, Guid? coupleId, [AsParameters] PageQuery query,
            RecoveryLogStore store, CancellationToken ct) =>
                (await store.PartnerAsync(caller, coupleId, query, ct)).ToOk())
            .WithName("GetPartnerRecoveryLog").WithExample(RecoveryExamples.GetPartnerRecoveryLog)
            .WithSummary(
                "My partner's recovery log, while they share it with me in our couple (403 not-shared otherwise).")
            .WithDescription(
                "coupleId names the couple; it may be left out by a client in one open couple only (400 otherwise).")
            .Validate<PageQuery>().ProducesProblems(403, 404);

        var staff = routes.MapGroup("/api/v1/clients/{id:guid}/recovery-log").WithTags("Support network")
            .RequireAuthorization(Policies.Staff);
        staff.MapGet("/", async (Guid id, [AsParameters] PageQuery query, Caller caller, RecoveryLogStore store,
            CancellationToken ct) =>
                (await store.ListAsync(caller, id, query, ct)).ToOk())
            .WithName("GetClientRecoveryLog")
            .WithSummary("A client's recovery log with where recovery stands (care team).")
            .Validate<PageQuery>().ProducesProblems(404);
        staff.MapPost("/", async (Guid id, RecoveryEntryRequest request, Caller caller, RecoveryLogStore store,
            CancellationToken ct) =>
                (await store.AddAsync(caller, id, request, ct)).ToCreated(_ => $"/api/v1/clients/{id}/recovery-log"))
            .WithName("AddClientRecoveryEntry").WithExample(RecoveryExamples.AddClientRecoveryEntry)
            .WithSummary("Record an entry a client reported in session (care team).")
            .Validate<RecoveryEntryRequest>().ProducesProblems(404, 409);
        return routes;
    }
}
