using PracticeApi.Features.Clients;
using PracticeApi.Features.Invoicing;

namespace PracticeApi.Features.Fhir;

/// <summary>Issued invoices and credit notes as FHIR Invoices: the payer is the patient; drafts are the practice's own work and never shown.</summary>
internal sealed partial class FhirStore
{
    public async Task<FhirPage> InvoicesAsync(Caller caller, FhirSearch search, Guid? id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var args = Args(caller, search, id, numbers: Numbers(search.Identifiers));
        var rows = await c.QueryAsync<InvoiceRecords.InvoiceRow>(InvoiceRecords.IssuedSql, args);
        var kept = rows.Take(search.Count).ToList();
        var invoices = await InvoiceRecords.DescribeAsync(c, caller.PracticeId, kept, calendar.Today);
        var creditNoteRows = kept.Count == 0
            ? []
            : await c.QueryAsync<InvoiceRecords.InvoiceRow>(InvoiceRecords.CreditNotesSql, new { caller.PracticeId, Ids = kept.Select(r => r.Id).ToList() });
        var creditNotes = creditNoteRows.ToLookup(n => n.CreditsInvoiceId);
        var resources = invoices.Select(i => FhirJson.Invoice(i, creditNotes[i.Id])).ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "fhir_invoice", id, kept.Select(r => r.PayerId).Distinct().ToList(), Detail: "fhir"), ct);
        return new FhirPage(resources, rows.Count > search.Count ? Cursor.Encode(kept[^1].Id.ToString()) : null,
            await CountAsync(c, InvoiceRecords.IssuedCountSql, search, args, ct));
    }

    /// <summary>
    /// The invoice numbers an identifier search asks for, or null for any: "number" and "{system}|number" name one,
    /// "{system}|" any; another system's or a system-less identifier names none.
    /// </summary>
    private static List<string>? Numbers(IReadOnlyList<IdentifierToken>? tokens)
    {
        if (tokens is null || tokens.Any(t => t.System == FhirJson.InvoiceNumberSystem && t.Value is null)) return null;
        return tokens.Where(t => !t.NoSystem && (t.System is null || t.System == FhirJson.InvoiceNumberSystem) && t.Value is not null).Select(t => t.Value!).ToList();
    }
}
