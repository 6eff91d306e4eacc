using PracticeApi.Features.Invoicing;
using PracticeApi.Features.Sessions;
using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Features.Practices.DemoPractice;

namespace PracticeApi.Features.Practices;

/// <summary>
/// A month of the demo practice's invoicing: its fees (exempt from VAT as healthcare), what it prints, the payers'
/// details, the affair couple's sessions split between the partners (Joost's half paid, Sanne's overdue), the addiction
/// couple's billed to Daan (credited once and invoiced again, open), and Joost's half of last week's session waiting in
/// draft. Earlier invoices are issued as of their day, by the same operations with their clock set back (<see
/// cref="DemoTime"/>).
/// </summary>
internal sealed class DemoBilling(PracticeCalendar calendar, TimeProvider clock, BillingSetup setup, DemoTime time)
{
    /// <summary>An invoicing operation as it ran some days ago.</summary>
    private T DaysAgo<T>(int days) where T : class => time.At<T>(clock.GetUtcNow().UtcDateTime.AddDays(-days));

    public async Task SeedAsync(Caller admin, CancellationToken ct)
    {
        var today = calendar.Today;
        await setup.SetProfileAsync(admin, new BillingProfileRequest("Praktijk Samen Verder",
            "Herengracht 12\n1015 BN Amsterdam",
            "facturen@demo.practice.example", "NL91ABNA0417164300", "12345678", "94001234", null,
            "NL001234567B01"), ct);
        using (EntityIds.Plan(DemoIds.FeeSchedule))
        {
            Value(await setup.AddScheduleAsync(admin, new FeeScheduleRequest(new DateOnly(today.Year - 1, 1, 1),
                [new(SessionKind.Intake, null, 9500), new(SessionKind.Individual, null, 9500), new(SessionKind.Couple,
                    null, 12500), new(SessionKind.Family, null, 12500)],
                5000, 9500, null, "Vrijgesteld van btw: zorg door een BIG- of kwaliteitsgeregistreerde hulpverlener (art. 11 lid 1 onderdeel g Wet OB)", 14), ct));
        }

        foreach (var (client, name, address, email) in new[]
                 {
                     (DemoIds.Sanne, "Sanne de Vries", "Prinsengracht 301\n1016 GW Amsterdam",
                         "sanne.devries@example.org"),
                     (DemoIds.Joost, "Joost Bakker", "Prinsengracht 301\n1016 GW Amsterdam",
                         "joost.bakker@example.org"),
                     (DemoIds.Daan, "Daan Smit", "Linnaeusstraat 40\n1093 EJ Amsterdam", "daan.smit@example.org"),
                     (DemoIds.Lotte, "Lotte Visser", "Linnaeusstraat 40\n1093 EJ Amsterdam",
                         "lotte.visser@example.org"),
                     (DemoIds.Noor, "Noor El Amrani", "Javastraat 88\n1094 HJ Amsterdam", "noor.elamrani@example.org"),
                 })
        {
            Value(await setup.SetDetailsAsync(admin, client, new BillingDetailsRequest(name, address, email), ct));
        }

        Value(await setup.SetCoupleBillingAsync(admin, DemoIds.AffairCouple, new CoupleBillingRequest(null), ct));
        Value(await setup.SetCoupleBillingAsync(admin, DemoIds.AddictionCouple,
            new CoupleBillingRequest(DemoIds.Daan), ct));

        // The affair couple's session three weeks ago, issued the next day: Joost paid his half, Sanne's is past due.
        var joost = await IssuedAsync(admin, DemoIds.JoostPaidInvoice, DemoIds.Joost, today.AddDays(-22),
            today.AddDays(-20), 20, ct);
        await IssuedAsync(admin, DemoIds.SanneOverdueInvoice, DemoIds.Sanne, today.AddDays(-22),
            today.AddDays(-20), 20, ct);
        Value(await DaysAgo<RecordPayment>(10).PayAsync(admin, DemoIds.JoostPaidInvoice,
            new PaymentRequest(joost.BalanceCents, today.AddDays(-10), PaymentMethod.BankTransfer,
                "NL-2026-1187"), ct));

        // The addiction couple's session, billed to Daan with his old address: credited, and invoiced again today.
        await IssuedAsync(admin, DemoIds.DaanCreditedInvoice, DemoIds.Daan, today.AddDays(-15),
            today.AddDays(-13), 13, ct);
        using (EntityIds.Plan(DemoIds.DaanCreditNote))
        {
            Value(await DaysAgo<CreditInvoice>(12).CreditAsync(admin, DemoIds.DaanCreditedInvoice,
                new CreditNoteRequest("Sent to a former address; invoiced again.", null), ct));
        }

        await IssuedAsync(admin, DemoIds.DaanOpenInvoice, DemoIds.Daan, today.AddDays(-15), today.AddDays(-13), 0, ct);
        using (EntityIds.Plan(DemoIds.JoostDraftInvoice))
        {
            Value(await DaysAgo<DraftInvoice>(0).DraftAsync(admin, new DraftInvoiceRequest(DemoIds.Joost,
                today.AddDays(-8), today.AddDays(-6)), ct));
        }
    }

    private async Task<InvoiceResponse> IssuedAsync(Caller admin, Guid id, Guid payer, DateOnly from, DateOnly to,
        int daysAgo, CancellationToken ct)
    {
        using (EntityIds.Plan(id))
        {
            Value(await DaysAgo<DraftInvoice>(daysAgo).DraftAsync(admin, new DraftInvoiceRequest(payer, from, to), ct));
        }

        return Value(await DaysAgo<IssueInvoice>(daysAgo).IssueAsync(admin, id, ct));
    }
}
