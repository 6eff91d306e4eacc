using System.Globalization;
using System.Net;
using System.Text;

namespace PracticeApi.Features.Invoicing;

/// <summary>
/// An invoice or credit note as a printable HTML page (Accept: text/html), in Dutch or English: the practice with its
/// registrations, the payer, the lines, the totals and the VAT ground. Every value is HTML-encoded; no script, no
/// outside resource.
/// </summary>
internal static class InvoiceHtml
{
    private sealed record Labels(
        string Invoice, string CreditNote, string Draft, string Number, string IssuedOn, string DueOn, string Period, string To, string Date,
        string Description, string Vat, string Amount, string Net, string Total, string Paid, string Balance, string Credits, string Pay, string Reason,
        IReadOnlyDictionary<Charge, string> Charges);

    private static readonly Labels English = new("Invoice", "Credit note", "Draft, not an invoice", "Number",
        "Issue date", "Due date", "Period",
        "to", "Date", "Description", "VAT", "Amount", "Subtotal", "Total", "Paid", "Still to pay", "Credits invoice", "Please pay to",
        "Reason", new Dictionary<Charge, string>
        {
            [Charge.Session] = "{0} session, {1} minutes", [Charge.LateCancellation] = "Late cancellation of a {0} session",
            [Charge.NoShow] = "Missed {0} session",
        });

    private static readonly Labels Dutch = new("Factuur", "Creditnota", "Concept, geen factuur", "Nummer",
        "Factuurdatum", "Vervaldatum",
        "Periode", "tot en met", "Datum", "Omschrijving", "Btw", "Bedrag", "Subtotaal", "Totaal", "Betaald", "Nog te betalen", "Crediteert factuur",
        "Graag betalen op", "Reden", new Dictionary<Charge, string>
        {
            [Charge.Session] = "Sessie ({0}), {1} minuten", [Charge.LateCancellation] = "Te laat afgezegde sessie ({0})",
            [Charge.NoShow] = "Niet verschenen voor sessie ({0})",
        });

    /// <summary>Euros as a Dutch reader writes them (€ 1.234,56) or an English one (€1,234.56); the host runs without
    /// culture data.</summary>
    public static string Euro(int cents, bool dutch)
    {
        var text = (Math.Abs(cents) / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);
        if (dutch) text = text.Replace(',', ' ').Replace('.', ',').Replace(' ', '.');
        return (cents < 0 ? "-" : "") + (dutch ? "€ " : "€") + text;
    }

    /// <summary>What a line charges for, as the invoice prints it (also the line's name in the UBL and FHIR
    /// forms).</summary>
    public static string Describe(InvoiceLineResponse line, bool dutch) =>
        string.Format(CultureInfo.InvariantCulture, (dutch ? Dutch : English).Charges[line.Charge],
            line.SessionKind.Wire(), line.DurationMinutes) +
        (line.SharePercent < 100 ? $" ({line.SharePercent}%)" : "");

    public static string Render(InvoiceDocument document, bool dutch)
    {
        var (invoice, practice, creditedNumber) = document;
        var l = dutch ? Dutch : English;
        string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        string Money(int cents) => Euro(cents, dutch);
        string Day(DateOnly? day) => day?.ToString(dutch ? "dd-MM-yyyy" : "d MMM yyyy",
            CultureInfo.InvariantCulture) ?? "";
        string Lines(string text) => string.Join("<br>", (text ?? "").Split('\n').Select(E));

        var title = invoice.Kind == InvoiceKind.CreditNote ? l.CreditNote : l.Invoice;
        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html><html lang=\"{(dutch ? "nl" : "en")}\"><head><meta charset=\"utf-8\"><title>{E(title)} {E(invoice.Number)}</title>");
        html.Append("<style>body{font-family:sans-serif;max-width:48em;margin:2em auto}table{width:100%;border-collapse:collapse}")
            .Append("td,th{padding:.3em;border-bottom:1px solid #ccc;text-align:left}.n{text-align:right}</style></head><body>");
        if (practice is not null)
        {
            html.Append($"<p><strong>{E(practice.LegalName)}</strong><br>{Lines(practice.Address)}");
            if (practice.Email is not null) html.Append($"<br>{E(practice.Email)}");
            if (practice.KvkNumber is not null) html.Append($"<br>KvK {E(practice.KvkNumber)}");
            if (practice.AgbCode is not null) html.Append($"<br>AGB {E(practice.AgbCode)}");
            if (practice.BigNumber is not null) html.Append($"<br>BIG {E(practice.BigNumber)}");
            if (practice.VatNumber is not null) html.Append($"<br>{E(l.Vat)} {E(practice.VatNumber)}");
            html.Append("</p>");
        }

        html.Append($"<h1>{E(title)}</h1>");
        if (invoice.Status == InvoiceStatus.Draft) html.Append($"<p><strong>{E(l.Draft)}</strong></p>");
        if (invoice.Payer is { } payer)
        {
            html.Append($"<p>{E(payer.Name)}<br>{Lines(payer.Address)}</p>");
        }

        html.Append($"<p>{E(l.Number)}: {E(invoice.Number)}<br>{E(l.IssuedOn)}: {Day(invoice.IssuedOn)}");
        if (invoice.Kind == InvoiceKind.Invoice) html.Append($"<br>{E(l.DueOn)}: {Day(invoice.DueOn)}");
        html.Append($"<br>{E(l.Period)}: {Day(invoice.PeriodFrom)} {E(l.To)} {Day(invoice.PeriodTo)}");
        if (creditedNumber is not null) html.Append($"<br>{E(l.Credits)}: {E(creditedNumber)}");
        if (invoice.Reason is not null) html.Append($"<br>{E(l.Reason)}: {E(invoice.Reason)}");
        html.Append("</p>");

        html.Append($"<table><thead><tr><th>{E(l.Date)}</th><th>{E(l.Description)}</th><th class=\"n\">{E(l.Amount)}</th><th class=\"n\">{E(l.Vat)}</th></tr></thead><tbody>");
        foreach (var line in invoice.Lines)
        {
            var text = Describe(line, dutch);
            html.Append($"<tr><td>{Day(line.ServiceDate)}</td><td>{E(text)}</td><td class=\"n\">{Money(line.NetCents)}</td><td class=\"n\">{Money(line.VatCents)}</td></tr>");
        }

        html.Append(
            $"</tbody></table><table><tr><td>{E(l.Net)}</td><td class=\"n\">{Money(invoice.NetCents)}</td></tr>")
            .Append($"<tr><td>{E(l.Vat)}</td><td class=\"n\">{Money(invoice.VatCents)}</td></tr>")
            .Append($"<tr><td><strong>{E(l.Total)}</strong></td><td class=\"n\"><strong>{Money(invoice.TotalCents)}</strong></td></tr>");
        if (invoice.Kind == InvoiceKind.Invoice && invoice.Status != InvoiceStatus.Draft)
        {
            html.Append($"<tr><td>{E(l.Paid)}</td><td class=\"n\">{Money(invoice.PaidCents)}</td></tr>")
                .Append($"<tr><td>{E(l.Balance)}</td><td class=\"n\">{Money(invoice.BalanceCents)}</td></tr>");
        }

        html.Append("</table>");
        if (invoice.VatExemption is not null) html.Append($"<p>{E(invoice.VatExemption)}</p>");
        if (practice?.Iban is { } iban
            && invoice.Kind == InvoiceKind.Invoice) html.Append($"<p>{E(l.Pay)} {E(iban)}, {E(invoice.Number)}</p>");
        return html.Append("</body></html>").ToString();
    }
}
