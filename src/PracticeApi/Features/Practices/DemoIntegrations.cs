using System.Globalization;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Integration;
using PracticeApi.Features.Smart;
using PracticeApi.Features.Tokens;
using static PracticeApi.Features.Practices.DemoPractice;

namespace PracticeApi.Features.Practices;

/// <summary>
/// The demo practice's EHR: an integration token, a SMART client (public key only) and a webhook subscription, so that
/// the OpenAPI document's examples for them name records that exist. The last client registers after the subscription,
/// so the EHR has one delivery waiting (to an address that never answers: it ends as a dead letter to redeliver). And Eva's
/// calendar feed, which her calendar app would subscribe to.
/// </summary>
internal sealed class DemoIntegrations(TokenStore tokens, SmartStore smart, WebhookStore webhooks, ClientStore clients, Calendar.CalendarFeeds feeds)
{
    public async Task SeedAsync(Caller admin, Guid therapist, CancellationToken ct)
    {
        using (EntityIds.Plan(DemoIds.EhrToken))
        {
            Value(await tokens.CreateAsync(admin, new CreateTokenRequest(TokenKinds.Integration, "EHR sync (Zorgdossier)", null,
                [Scopes.ClientsRead, Scopes.SessionsRead, Scopes.EventsRead], null), ct));
        }

        using (EntityIds.Plan(DemoIds.EhrSmartClient))
        {
            Value(await smart.RegisterAsync(admin, new SmartClientRequest("EHR backend (Zorgdossier)", DemoIds.EhrJwks, null,
                ["system/Patient.read", "system/Appointment.read"]), ct));
        }

        using (EntityIds.Plan(DemoIds.EhrWebhook))
        {
            Value(await webhooks.CreateAsync(admin, new WebhookRequest(DemoIds.EhrWebhookUrl,
                [EventTypes.ClientCreated, EventTypes.SessionScheduled, EventTypes.SessionCompleted]), ct));
        }

        using (EntityIds.Plan(DemoIds.Thijs, DemoIds.EhrWebhookDelivery))
        {
            Value(await clients.CreateAsync(admin, new CreateClientRequest("Thijs", "Mulder", DateOnly.Parse("1993-04-17", CultureInfo.InvariantCulture),
                "thijs@example.org", null, "nl", null, null, [therapist]), ct));
        }

        Value(await feeds.CreateAsync(admin, DemoIds.Eva, ct));
    }
}
