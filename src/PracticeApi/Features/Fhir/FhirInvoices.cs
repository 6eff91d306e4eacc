using PracticeApi.Features.Clients;
using PracticeApi.Features.Invoicing;

namespace PracticeApi.Features.Fhir;

/// <summary>Issued invoices and credit notes as FHIR Invoices: the payer is the patient; drafts are the practice's own
/// work and never shown.</summary>
internal sealed class FhirInvoices(FhirPages pages, PracticeCalendar calendar)
{
    public Task<FhirPage> SearchAsync(Caller caller, FhirSearch search, Guid? id, CancellationToken ct) =>
        pages.IdPageAsync<InvoiceRecords.InvoiceRow>(caller, search, id, InvoiceRecords.IssuedSql,
            InvoiceRecords.IssuedCountSql, "fhir_invoice", r => r.Id, r => r.PayerId, async (c, kept) =>
            {
                var invoices = await InvoiceRecords.DescribeAsync(c, caller.PracticeId, kept, calendar.Today);
                var creditNotes = kept.Count == 0
                    ? Enumerable.Empty<InvoiceRecords.InvoiceRow>().ToLookup(n => n.CreditsInvoiceId)
                    : (await c.QueryAsync<InvoiceRecords.InvoiceRow>(InvoiceRecords.CreditNotesSql,
                        new { caller.PracticeId, Ids = kept.Select(r => r.Id).ToList() }))
                    .ToLookup(n => n.CreditsInvoiceId);
                return invoices.Select(i => FhirJson.Invoice(i, creditNotes[i.Id]));
            }, ct, Numbers(search.Identifiers));

    /// <summary>
    /// The invoice numbers an identifier search asks for, or null for any: "number" and "{system}|number" name one,
    /// "{system}|" any; another system's or a system-less identifier names none.
    /// </summary>
    private static List<string>? Numbers(IReadOnlyList<IdentifierToken>? tokens)
    {
        if (tokens is null || tokens.Any(t => t.System == FhirJson.InvoiceNumberSystem && t.Value is null)) return null;
        return tokens.Where(t => !t.NoSystem && (t.System is null || t.System == FhirJson.InvoiceNumberSystem)
            && t.Value is not null).Select(t => t.Value!).ToList();
    }
}
