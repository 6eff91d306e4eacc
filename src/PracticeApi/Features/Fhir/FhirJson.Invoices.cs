using System.Text.Json.Nodes;
using PracticeApi.Features.Invoicing;

namespace PracticeApi.Features.Fhir;

internal static partial class FhirJson
{
    public const string InvoiceNumberSystem = "urn:practiceapi:invoice-number";
    private const string InvoiceKindSystem = "urn:practiceapi:invoice-kind";

    /// <summary>
    /// An issued invoice or credit note as an R4 Invoice: the payer as subject and recipient, each line with its base
    /// price and VAT, the totals in euros. Status: issued while a balance is open, balanced once paid, cancelled once
    /// credited in full; a credit note is issued, with negative amounts. Version and last update move with every
    /// payment and credit note.
    /// </summary>
    public static JsonObject Invoice(InvoiceResponse invoice, IEnumerable<InvoiceRecords.InvoiceRow> creditNotes)
    {
        var notes = creditNotes.ToList();
        var changes = invoice.Payments.Select(p => p.RecordedAt).Concat(notes.Select(n => n.IssuedAt ?? n.CreatedAt))
            .Append(invoice.IssuedAt ?? invoice.CreatedAt).ToList();
        var creditNote = invoice.Kind == InvoiceKind.CreditNote;
        var resource = new JsonObject
        {
            ["resourceType"] = "Invoice", ["id"] = invoice.Id.ToString(), ["meta"] = Meta(changes.Count, changes.Max()),
            ["identifier"] = new JsonArray(new JsonObject { ["system"] = InvoiceNumberSystem,
                ["value"] = invoice.Number }),
            ["status"] = invoice.Status switch
            {
                InvoiceStatus.Paid => "balanced", InvoiceStatus.Credited => "cancelled", InvoiceStatus.Draft =>
                    "draft", _ => "issued",
            },
            ["type"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = InvoiceKindSystem,
                    ["code"] = invoice.Kind.Wire() }),
                ["text"] = creditNote ? "Credit note" : "Invoice",
            },
            ["subject"] = Reference("Patient", invoice.PayerId.ToString()), ["recipient"] = Reference("Patient",
                invoice.PayerId.ToString()),
        };
        if (invoice.Status == InvoiceStatus.Credited) resource["cancelledReason"] = string.Join("; ",
            notes.Select(n => $"{n.Number}: {n.Reason}"));
        if (invoice.IssuedOn is { } issued) resource["date"] = Date(issued);
        resource["lineItem"] = new JsonArray(invoice.Lines.Select((line, i) => (JsonNode)new JsonObject
        {
            ["sequence"] = i + 1,
            ["chargeItemCodeableConcept"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = "urn:practiceapi:charge",
                    ["code"] = line.Charge.Wire() }),
                ["text"] = $"{Date(line.ServiceDate)}: {InvoiceHtml.Describe(line, dutch: false)}",
            },
            ["priceComponent"] = new JsonArray(
                new JsonObject { ["type"] = "base", ["amount"] = Money(
                    line.NetCents) }, new JsonObject { ["type"] = "tax", ["amount"] = Money(line.VatCents) }),
        }).ToArray());
        resource["totalNet"] = Money(invoice.NetCents);
        resource["totalGross"] = Money(invoice.TotalCents);
        if (!creditNote && invoice.DueOn is { } due) resource["paymentTerms"] = $"Due on {Date(due)}.";
        var remarks = new List<string>();
        if (invoice.VatExemption is { } exemption) remarks.Add(exemption);
        if (invoice.CreditsInvoiceId is { } credited) remarks.Add($"Credits Invoice/{credited}: {invoice.Reason}");
        if (remarks.Count > 0) resource["note"] = new JsonArray(remarks.Select(
            n => (JsonNode)new JsonObject { ["text"] = n }).ToArray());
        return resource;
    }

    private static JsonObject Money(int cents) => new() { ["value"] = new decimal(Math.Abs(cents), 0, 0, cents < 0,
        2), ["currency"] = "EUR" };
}
