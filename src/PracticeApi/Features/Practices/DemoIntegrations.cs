using System.Globalization;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Integration;
using PracticeApi.Features.Smart;
using PracticeApi.Features.Tokens;
using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Features.Practices.DemoPractice;

namespace PracticeApi.Features.Practices;

/// <summary>
/// The demo practice's EHR: an integration token, a SMART client (public key only) and a webhook subscription, so that
/// the OpenAPI document's examples for them name records that exist. The last client registers after the subscription,
/// so the EHR has one delivery waiting (to an address that never answers: it ends as a dead letter to redeliver). And
/// Eva's calendar feed, which her calendar app would subscribe to. And the clients' consents: treatment for each
/// partner (through the portal or on paper), Daan's consent to involve his sponsor, Sanne's to share with the EHR.
/// </summary>
internal sealed class DemoIntegrations(TokenStore tokens, SmartStore smart, WebhookStore webhooks,
    RegisterClient clients, Calendar.CalendarFeeds feeds, Consents.ConsentStore consents)
{
    public async Task SeedAsync(Caller admin, Guid therapist, CancellationToken ct)
    {
        using (EntityIds.Plan(DemoIds.EhrToken))
        {
            Value(await tokens.CreateAsync(admin, new CreateTokenRequest(TokenKind.Integration,
                "EHR sync (Zorgdossier)", null,
                [Scope.ClientsRead, Scope.SessionsRead, Scope.EventsRead], null), ct));
        }

        using (EntityIds.Plan(DemoIds.EhrSmartClient))
        {
            Value(await smart.RegisterAsync(admin, new SmartClientRequest("EHR backend (Zorgdossier)",
                DemoIds.EhrJwks, null,
                ["system/Patient.read", "system/Appointment.read"]), ct));
        }

        using (EntityIds.Plan(DemoIds.EhrWebhook))
        {
            Value(await webhooks.CreateAsync(admin, new WebhookRequest(DemoIds.EhrWebhookUrl,
                [EventType.ClientCreated, EventType.SessionScheduled, EventType.SessionCompleted]), ct));
        }

        using (EntityIds.Plan(DemoIds.Thijs, DemoIds.EhrWebhookDelivery))
        {
            Value(await clients.CreateAsync(admin, new CreateClientRequest("Thijs", "Mulder",
                DateOnly.Parse("1993-04-17", CultureInfo.InvariantCulture),
                "thijs@example.org", null, Language.Nl, null, null, [therapist]), ct));
        }

        Value(await feeds.CreateAsync(admin, DemoIds.Eva, ct));
        await ConsentsAsync(admin, ct);
    }

    private async Task ConsentsAsync(Caller admin, CancellationToken ct)
    {
        Caller Portal(Guid client) => new(admin.PracticeId, Guid.Empty, ActorKind.Client, null, client, null,
            new HashSet<string>(), null, "demo-seed");
        using (EntityIds.Plan(DemoIds.SanneTreatmentConsent))
        {
            Value(await consents.GiveAsync(Portal(DemoIds.Sanne), DemoIds.Sanne,
                new Consents.ConsentRequest(Consents.ConsentKind.Treatment, "2026-01", null, null), ct));
        }

        Value(await consents.GiveAsync(admin, DemoIds.Joost,
            new Consents.ConsentRequest(Consents.ConsentKind.Treatment, "2026-01", null,
            Consents.ConsentVia.Paper), ct));
        Value(await consents.GiveAsync(admin, DemoIds.Daan, new Consents.ConsentRequest(Consents.ConsentKind.Treatment,
            "2026-01", null, Consents.ConsentVia.Paper), ct));
        Value(await consents.GiveAsync(Portal(DemoIds.Lotte), DemoIds.Lotte,
            new Consents.ConsentRequest(Consents.ConsentKind.Treatment, "2026-01", null, null), ct));
        Value(await consents.GiveAsync(Portal(DemoIds.Daan), DemoIds.Daan,
            new Consents.ConsentRequest(Consents.ConsentKind.PersonSharing, "2026-01", DemoIds.DaanSponsor, null), ct));
        Value(await consents.GiveAsync(admin, DemoIds.Sanne,
            new Consents.ConsentRequest(Consents.ConsentKind.EhrSharing, "2026-01", DemoIds.EhrToken,
            Consents.ConsentVia.Paper), ct));
    }
}
