using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Invoicing;

/// <summary>Sets a practice up to bill: what it prints, its fees, payers' details, completed sessions,
/// drafts.</summary>
public static class Billing
{
    public const string Exemption = "Vrijgesteld van btw op grond van art. 11 lid 1 onderdeel g Wet OB";

    public static object Schedule(string validFrom, int individual = 9500, int couple = 12500, int? vat = null,
        int late = 5000, int noShow = 9500, int term = 14) => new
    {
        validFrom,
        fees = new object[]
        {
            new { sessionKind = "individual", amountCents = individual }, new { sessionKind = "intake", amountCents = individual },
            new { sessionKind = "couple", amountCents = couple },
        },
        lateCancelCents = late, noShowCents = noShow, vatRateBasisPoints = vat, vatExemption = vat is null
            ? Exemption : null, paymentTermDays = term,
    };

    public static async Task SetUpAsync(PracticeContext practice, object? schedule = null)
    {
        await (await practice.Admin.PutAsJsonAsync("/api/v1/billing-profile", new
        {
            legalName = "Praktijk Test", address = "Keizersgracht 1\n1015 AA Amsterdam", email = "facturen@example.test", iban = "NL91ABNA0417164300",
            kvkNumber = "12345678", agbCode = "94001234", bigNumber = "19012345601",
        })).ReadJsonAsync(200);
        await (await practice.Admin.PostAsJsonAsync("/api/v1/fee-schedules", schedule ?? Schedule("2020-01-01")))
            .ReadJsonAsync(201);
    }

    public static async Task PayerAsync(HttpClient admin, Guid client, string name = "Payer") =>
        await (await admin.PutAsJsonAsync($"/api/v1/clients/{client}/billing", new { name,
            address = "Dorpsstraat 2\n1234 AB Ergens", email = "payer@example.test" }))
            .ReadJsonAsync(200);

    /// <summary>A session in the past, completed with everyone present.</summary>
    public static async Task<Guid> CompletedSessionAsync(HttpClient admin, object subject, DateTime startsAt,
        params Guid[] present)
    {
        var id = await admin.CreateSessionAsync(subject, startsAt);
        await (await admin.PostAsJsonAsync($"/api/v1/sessions/{id}/complete",
            new { attendance = present.Select(p => new { clientId = p, attended = true }) })).ReadJsonAsync(200);
        return id;
    }

    public static async Task<JsonElement> DraftAsync(HttpClient admin, Guid payer, DateOnly from, DateOnly to) =>
        await (await admin.PostAsJsonAsync("/api/v1/invoices", new { payerId = payer, from = Day(from), to = Day(to) }))
            .ReadJsonAsync(201);

    public static async Task<JsonElement> IssueAsync(HttpClient admin, Guid invoice) =>
        await (await admin.PostAsync($"/api/v1/invoices/{invoice}/issue", null)).ReadJsonAsync(200);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd");

    public static Guid Id(this JsonElement json) => json.GetProperty("id").GetGuid();
}
