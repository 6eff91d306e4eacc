using PracticeApi.Infrastructure.Examples;

namespace PracticeApi.Features.Integration;

/// <summary>
/// The OpenAPI examples of webhooks, one per operation that takes a body or names a record. Each names the demo
/// practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends every one).
/// </summary>
internal static class IntegrationExamples
{
    public static RequestExample CreateWebhook => new(new
    {
        url = DemoIds.EhrWebhookUrl, events = new[] { "client.created", "session.scheduled", "response.submitted" },
    });
}
