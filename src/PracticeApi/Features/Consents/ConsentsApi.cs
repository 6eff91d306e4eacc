namespace PracticeApi.Features.Consents;

/// <summary>
/// Consent records per client: staff who treat the client record a paper or spoken consent and its withdrawal; the
/// client gives and withdraws their own through the portal. Every change and read is audited and in the client's
/// export.
/// </summary>
public static class ConsentsApi
{
    public static IServiceCollection AddConsents(this IServiceCollection services) =>
        services.AddSingleton<ConsentStore>();

    public static IEndpointRouteBuilder MapConsents(this IEndpointRouteBuilder routes)
    {
        var staff = routes.MapGroup("/api/v1/clients/{id:guid}/consents").WithTags("Clients")
            .RequireAuthorization(Policies.Staff);
        staff.MapGet("/", async (Guid id, [AsParameters] IdPageQuery query, Caller caller, ConsentStore store,
            CancellationToken ct) =>
                (await store.ListAsync(caller, id, query, ct)).ToOk())
            .WithName("ListConsents").WithSummary("A client's consents, in force and withdrawn, oldest first.")
            .Validate<IdPageQuery>().ProducesProblems(404);
        staff.MapGet("/{consentId:guid}", async (Guid id, Guid consentId, Caller caller, ConsentStore store,
            CancellationToken ct) =>
                (await store.GetAsync(caller, id, consentId, ct)).ToOk())
            .WithName("GetConsent").WithExample(ConsentsExamples.GetConsent).WithSummary("One consent of a client.")
            .ProducesProblems(404);
        staff.MapPost("/", async (Guid id, ConsentRequest request, Caller caller, ConsentStore store,
            CancellationToken ct) =>
                (await store.GiveAsync(caller, id, request,
                    ct)).ToCreated(k => $"/api/v1/clients/{id}/consents/{k.Id}"))
            .WithName("RecordConsent").WithExample(ConsentsExamples.RecordConsent)
            .WithSummary("Record a consent the client gave on paper or in words (treatment, sharing, portal use).")
            .WithDescription("An ehr_sharing consent names the integration token or SMART client; one bound to consent (requiresConsent) sees " +
                             "this client's data while the consent is in force. A person_sharing consent names a person of the client's support network.")
            .Validate<ConsentRequest>().ProducesProblems(404, 409);
        staff.MapPost("/{consentId:guid}/withdraw", async (Guid id, Guid consentId, WithdrawConsentRequest request,
            Caller caller, ConsentStore store,
                CancellationToken ct) => (await store.WithdrawAsync(caller, id, consentId, request, ct)).ToOk())
            .WithName("WithdrawConsent").WithExample(ConsentsExamples.WithdrawConsent)
            .WithSummary("Record that the client withdrew a consent; it takes effect at once.")
            .Validate<WithdrawConsentRequest>().ProducesProblems(404, 409);

        var portal = routes.MapGroup("/api/v1/me/consents").WithTags("Client portal")
            .RequireAuthorization(Policies.Portal);
        portal.MapGet("/", async ([AsParameters] IdPageQuery query, Caller caller, ConsentStore store,
            CancellationToken ct) =>
                (await store.ListAsync(caller, caller.ClientId!.Value, query, ct)).ToOk())
            .WithName("ListMyConsents").WithExample(ConsentsExamples.ListMyConsents)
            .WithSummary("My consents, in force and withdrawn.").Validate<IdPageQuery>();
        portal.MapPost("/", async (ConsentRequest request, Caller caller, ConsentStore store, CancellationToken ct) =>
                (await store.GiveAsync(caller, caller.ClientId!.Value, request,
                    ct)).ToCreated(k => $"/api/v1/me/consents/{k.Id}"))
            .WithName("GiveMyConsent").WithExample(ConsentsExamples.GiveMyConsent)
            .WithSummary("Give a consent myself (its text's version, and for sharing, with whom).")
            .Validate<ConsentRequest>().ProducesProblems(409);
        portal.MapPost("/{consentId:guid}/withdraw", async (Guid consentId, WithdrawConsentRequest request,
            Caller caller, ConsentStore store,
                CancellationToken ct) => (await store.WithdrawAsync(caller, caller.ClientId!.Value, consentId, request,
                    ct)).ToOk())
            .WithName("WithdrawMyConsent").WithExample(ConsentsExamples.WithdrawMyConsent)
            .WithSummary("Withdraw one of my consents; it takes effect at once.")
            .Validate<WithdrawConsentRequest>().ProducesProblems(404, 409);
        return routes;
    }
}
