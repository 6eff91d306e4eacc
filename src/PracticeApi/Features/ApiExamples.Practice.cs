using PracticeApi.Features.Practices;

namespace PracticeApi.Features;

public static partial class ApiExamples
{
    /// <summary>The practice's people and tokens, its integrations, and invoicing.</summary>
    private static Dictionary<string, RequestExample> PracticeExamples() => new()
    {
        // Therapists, tokens, integrations
        ["POST /api/v1/therapists"] = new(new { name = "Fleur Peeters", email = "fleur@demo.practice.example", role = "therapist" }),
        ["PUT /api/v1/therapists/{id}"] = new(new { name = "Mark de Boer", email = "mark.deboer@demo.practice.example", role = "therapist" }, Id(DemoIds.Mark)),
        ["POST /api/v1/tokens"] = new(new { kind = "integration", name = "EHR sync", scopes = new[] { "clients:read", "sessions:read", "events:read" } }),
        ["POST /api/v1/webhooks"] = new(new
        {
            url = DemoIds.EhrWebhookUrl, events = new[] { "client.created", "session.scheduled", "response.submitted" },
        }),
        ["POST /api/v1/smart-clients"] = new(new
        {
            name = "EHR backend (Zorgdossier)", jwks = DemoIds.EhrJwks, scopes = new[] { "system/Patient.read", "system/Appointment.read" },
        }),
        // Invoicing
        ["POST /api/v1/fee-schedules"] = new(new
        {
            validFrom = "2027-01-01",
            fees = new object[]
            {
                new { sessionKind = "intake", amountCents = 9800 }, new { sessionKind = "individual", amountCents = 9800 },
                new { sessionKind = "couple", amountCents = 12900 }, new { sessionKind = "couple", durationMinutes = 90, amountCents = 18500 },
                new { sessionKind = "family", amountCents = 12900 },
            },
            lateCancelCents = 5000, noShowCents = 9800, vatExemption = "Vrijgesteld van btw (art. 11 lid 1 onderdeel g Wet OB)", paymentTermDays = 14,
        }),
        ["PUT /api/v1/billing-profile"] = new(new
        {
            legalName = "Praktijk Samen Verder", address = "Herengracht 12\n1015 BN Amsterdam", email = "facturen@demo.practice.example",
            iban = "NL91ABNA0417164300", kvkNumber = "12345678", agbCode = "94001234", bigNumber = "19012345601", vatNumber = "NL001234567B01",
        }),
        ["PUT /api/v1/clients/{id}/billing"] = new(new { name = "Thijs Mulder", address = "Javastraat 88\n1094 HJ Amsterdam", email = "thijs@example.org" },
            Id(DemoIds.Thijs)),
        ["PUT /api/v1/couples/{id}/billing"] = new(new { payerId = DemoIds.Sanne }, Id(DemoIds.AffairCouple)),
        ["POST /api/v1/invoices"] = new(new { payerId = DemoIds.Sanne, from = "2026-06-01", to = "2027-05-31" }),
        ["DELETE /api/v1/invoices/{id}"] = new(null, Id(DemoIds.JoostDraftInvoice)),
        ["POST /api/v1/invoices/{id}/issue"] = new(null, Id(DemoIds.JoostDraftInvoice)),
        ["POST /api/v1/invoices/{id}/credit-notes"] = new(new { reason = "The session fell under the old fee; credited and invoiced again." },
            Id(DemoIds.SanneOverdueInvoice)),
        ["POST /api/v1/invoices/{id}/payments"] = new(new { amountCents = 6250, paidOn = "2026-12-01", method = "bank_transfer", reference = "NL-2026-1203" },
            Id(DemoIds.SanneOverdueInvoice)),
        ["GET /api/v1/me/invoices/{id}"] = new(null, Id(DemoIds.SanneOverdueInvoice), ExampleCaller.Partner),

        // A client assertion is signed by the client's own key and expires in minutes: the example shows its shape only.
        ["POST /oauth/token"] = new(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "system/Patient.read",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = "eyJhbGciOiJFUzM4NCIsImtpZCI6Inpvcmdkb3NzaWVyLTIwMjYtMTEiLCJ0eXAiOiJKV1QifQ.<claims>.<signature>",
        }, Sendable: false),
    };
}
