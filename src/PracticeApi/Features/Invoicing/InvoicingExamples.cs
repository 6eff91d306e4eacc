using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.Invoicing;

/// <summary>
/// The OpenAPI examples of fee schedules, billing and invoices, one per operation that takes a body or names a record.
/// Each names the demo practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends
/// every one).
/// </summary>
internal static class InvoicingExamples
{
    public static RequestExample AddFeeSchedule => new(new
    {
        validFrom = "2027-01-01",
        fees = new object[]
        {
            new { sessionKind = "intake", amountCents = 9800 }, new { sessionKind = "individual", amountCents = 9800 },
            new { sessionKind = "couple", amountCents = 12900 }, new { sessionKind = "couple", durationMinutes = 90, amountCents = 18500 },
            new { sessionKind = "family", amountCents = 12900 },
        },
        lateCancelCents = 5000, noShowCents = 9800, vatExemption = "Vrijgesteld van btw (art. 11 lid 1 onderdeel g Wet OB)", paymentTermDays = 14,
    });

    public static RequestExample SetBillingProfile => new(new
    {
        legalName = "Praktijk Samen Verder", address = "Herengracht 12\n1015 BN Amsterdam", email = "facturen@demo.practice.example",
        iban = "NL91ABNA0417164300", kvkNumber = "12345678", agbCode = "94001234", bigNumber = "19012345601", vatNumber = "NL001234567B01",
    });

    public static RequestExample SetClientBilling => new(new { name = "Thijs Mulder",
        address = "Javastraat 88\n1094 HJ Amsterdam", email = "thijs@example.org" }, Id(DemoIds.Thijs));

    public static RequestExample SetCoupleBilling => new(new { payerId = DemoIds.Sanne }, Id(DemoIds.AffairCouple));

    public static RequestExample DraftInvoice => new(new { payerId = DemoIds.Sanne, from = "2026-06-01",
        to = "2027-05-31" });

    public static RequestExample DiscardDraftInvoice => new(null, Id(DemoIds.JoostDraftInvoice));

    public static RequestExample IssueInvoice => new(null, Id(DemoIds.JoostDraftInvoice));

    public static RequestExample CreditInvoice =>
        new(new { reason = "The session fell under the old fee; credited and invoiced again." },
        Id(DemoIds.SanneOverdueInvoice));

    public static RequestExample RecordPayment => new(new { amountCents = 6250, paidOn = "2026-12-01",
        method = "bank_transfer", reference = "NL-2026-1203" }, Id(DemoIds.SanneOverdueInvoice));

    public static RequestExample GetMyInvoice => new(null, Id(DemoIds.SanneOverdueInvoice), ExampleCaller.Partner);
}
