using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace PracticeApi.Features.Integration;

/// <summary>
/// The OpenAPI 3.1 <c>webhooks</c> section: every event type this API sends, as the POST a subscriber receives
/// (Standard Webhooks headers, the signed body, and what a 2xx answer means), so that generators can type the receiving
/// side too.
/// </summary>
internal static class WebhookDocumentation
{
    public static void Describe(OpenApiDocument document)
    {
        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>();
        foreach (var type in EventTypes.All) document.Webhooks[type] = PathItem(type);
    }

    private static OpenApiPathItem PathItem(string type) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Post] = new()
            {
                OperationId = "Webhook_" + type.Replace('.', '_'),
                // The receiver authenticates the sender by the signature, not by a token it could ask for.
                Security = [],
                Summary = $"The {type} event, sent to each subscription that asked for it.",
                Description = "Signed per Standard Webhooks: verify webhook-signature (v1, HMAC-SHA256 over id.timestamp.body with the " +
                              "subscription's secret) before trusting the body. Deliveries to one subscription arrive one at a time in event " +
                              "order; a refused delivery is retried (5 s … 12 h, about 28 hours) and may then arrive after later events: order by " +
                              "sequence. De-duplicate on webhook-id.",
                Parameters =
                [
                    Header("webhook-id", "The event's id: the same on every retry of it."),
                    Header("webhook-timestamp", "Unix seconds when this attempt was signed."),
                    Header("webhook-signature",
                        "v1,<base64 HMAC-SHA256 over {webhook-id}.{webhook-timestamp}.{body}>; space-separated when several."),
                ],
                RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = Envelope(type) } },
                },
                Responses = new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse { Description = "Any 2xx within the webhook timeout (10 s) is a delivery." },
                    ["default"] = new OpenApiResponse { Description = "Anything else, or no answer, is retried; redirects are not followed." },
                },
            },
        },
    };

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name, In = ParameterLocation.Header, Required = true, Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static OpenApiSchema Envelope(string type) => new()
    {
        Type = JsonSchemaType.Object,
        Description = "The event: ids, types and times only, never clinical text.",
        Required = new HashSet<string> { "sequence", "type", "timestamp", "data" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["sequence"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer, Format = "int64",
                Description = "The event's place in the practice's order (the change feed's position): higher is later.",
            },
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(type)!], Description = "The event type." },
            ["timestamp"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "When the change committed (UTC)." },
            ["data"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "What changed, by id: the resource's id (clientId, sessionId, assignmentId, responseId or coupleId) and the " +
                              "clientIds it concerns, with a few facts of the change (a status, a date).",
            },
        },
    };
}
