using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace PracticeApi.Features.Invoicing;

/// <summary>
/// An issued invoice or credit note as a UBL 2.1 e-invoice, following Peppol BIS Billing 3.0 (the EN 16931 profile the
/// Dutch government and Dutch accounting software accept, with its Dutch rules NL-R-001 to NL-R-009): the practice as
/// seller (KvK as legal registration and electronic address, VAT number, structured Dutch address), the payer as buyer,
/// payment by SEPA credit transfer to the practice's IBAN, one tax category per line (E with the exemption's ground, S
/// or Z with the rate the line was priced at). A credit note is a UBL CreditNote with positive amounts that references
/// the invoice it credits. Elements follow the UBL 2.1 schema's order.
/// </summary>
internal static partial class InvoiceUbl
{
    private static readonly XNamespace Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    private static readonly XNamespace Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    private static readonly XNamespace InvoiceNs = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
    private static readonly XNamespace CreditNoteNs = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";

    public const string MediaType = "application/xml";
    private const string KvkScheme = "0106";

    /// <summary>A Dutch address's last line: the postcode (four digits, two letters) and the place.</summary>
    [GeneratedRegex("^(?<postcode>[1-9][0-9]{3} ?[A-Z]{2})\\s+(?<city>\\S.*)$")]
    private static partial Regex DutchPostcodeAndCity();

    /// <summary>A street, postcode and place read from an address written as lines, the last being "1015 BN
    /// Amsterdam".</summary>
    private sealed record PostalAddress(string Street, string Postcode, string City);

    private static PostalAddress? Parse(string? address)
    {
        var lines = (address ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2 || DutchPostcodeAndCity().Match(lines[^1]) is not { Success: true } last) return null;
        return new PostalAddress(string.Join(", ", lines[..^1]), last.Groups["postcode"].Value,
            last.Groups["city"].Value);
    }

    /// <summary>What the e-invoice needs that the invoice's details lack, each with where to set it; empty when it can
    /// be written.</summary>
    public static IReadOnlyList<string> Missing(InvoiceDocument document)
    {
        var missing = new List<string>();
        if (document.Invoice.Number is null) missing.Add(
            "a number: a draft is not an invoice yet (POST /api/v1/invoices/{id}/issue)");
        if (document.Supplier is not { } practice)
        {
            missing.Add("the practice's billing profile (PUT /api/v1/billing-profile)");
            return missing;
        }

        if (practice.KvkNumber is null) missing.Add("the practice's kvkNumber (PUT /api/v1/billing-profile)");
        if (practice.VatNumber is null) missing.Add("the practice's vatNumber (PUT /api/v1/billing-profile)");
        if (practice.Iban is null
            && document.Invoice.Kind == InvoiceKind.Invoice) missing.Add(
                "the practice's iban (PUT /api/v1/billing-profile)");
        if (Parse(practice.Address) is null) missing.Add(
            "the practice's address as street, then postcode and place on the last line (PUT /api/v1/billing-profile)");
        if (document.Invoice.Payer is not { } payer || Parse(payer.Address) is null)
        {
            missing.Add($"the payer's address as street, then postcode and place on the last line (PUT /api/v1/clients/{document.Invoice.PayerId}/billing)");
        }
        else if (payer.Email is null)
        {
            missing.Add($"the payer's email, their electronic address (PUT /api/v1/clients/{document.Invoice.PayerId}/billing)");
        }

        return missing;
    }

    /// <summary>The UBL document as UTF-8 bytes without a byte-order mark; call only when <see cref="Missing"/> is
    /// empty.</summary>
    public static byte[] Bytes(InvoiceDocument document)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false),
            Indent = true }))
        {
            Write(document).Save(writer);
        }

        return buffer.ToArray();
    }

    private static XDocument Write(InvoiceDocument document)
    {
        var (invoice, supplier, creditedNumber) = document;
        var practice = supplier!;
        var payer = invoice.Payer!;
        var creditNote = invoice.Kind == InvoiceKind.CreditNote;
        // A UBL credit note states positive amounts: the document type is what reverses them.
        var sign = creditNote ? -1 : 1;
        XElement Amount(string name, int cents) => new(Cbc + name, new XAttribute("currencyID", "EUR"),
            Euros(sign * cents));

        var categories = invoice.Lines.GroupBy(l => l.VatRateBasisPoints).OrderBy(g => g.Key ?? -1).ToList();
        var root = new XElement((creditNote ? CreditNoteNs : InvoiceNs) + (creditNote ? "CreditNote" : "Invoice"),
            new XAttribute(XNamespace.Xmlns + "cac", Cac), new XAttribute(XNamespace.Xmlns + "cbc", Cbc),
            new XElement(Cbc + "CustomizationID",
                "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"),
            new XElement(Cbc + "ProfileID", "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"),
            new XElement(Cbc + "ID", invoice.Number),
            new XElement(Cbc + "IssueDate", Day(invoice.IssuedOn!.Value)),
            creditNote ? null : new XElement(Cbc + "DueDate", Day(invoice.DueOn!.Value)),
            new XElement(Cbc + (creditNote ? "CreditNoteTypeCode" : "InvoiceTypeCode"), creditNote ? "381" : "380"),
            invoice.Reason is { } reason ? new XElement(Cbc + "Note", reason) : null,
            new XElement(Cbc + "DocumentCurrencyCode", "EUR"),
            new XElement(Cbc + "BuyerReference", invoice.PayerId.ToString()),
            new XElement(Cac + "InvoicePeriod", new XElement(Cbc + "StartDate", Day(invoice.PeriodFrom)),
                new XElement(Cbc + "EndDate", Day(invoice.PeriodTo))),
            creditedNumber is null ? null : new XElement(Cac + "BillingReference",
                new XElement(Cac + "InvoiceDocumentReference", new XElement(Cbc + "ID", creditedNumber))),
            new XElement(Cac + "AccountingSupplierParty", new XElement(Cac + "Party",
                new XElement(Cbc + "EndpointID", new XAttribute("schemeID", KvkScheme), practice.KvkNumber),
                new XElement(Cac + "PartyName", new XElement(Cbc + "Name", practice.LegalName)),
                Address(Parse(practice.Address)!),
                new XElement(Cac + "PartyTaxScheme", new XElement(Cbc + "CompanyID", practice.VatNumber), VatScheme()),
                new XElement(Cac + "PartyLegalEntity", new XElement(Cbc + "RegistrationName", practice.LegalName),
                    new XElement(Cbc + "CompanyID", new XAttribute("schemeID", KvkScheme), practice.KvkNumber)),
                practice.Email is { } email ? new XElement(Cac + "Contact", new XElement(Cbc + "ElectronicMail",
                    email)) : null)),
            new XElement(Cac + "AccountingCustomerParty", new XElement(Cac + "Party",
                new XElement(Cbc + "EndpointID", new XAttribute("schemeID", "EM"), payer.Email),
                Address(Parse(payer.Address)!),
                new XElement(Cac + "PartyLegalEntity", new XElement(Cbc + "RegistrationName", payer.Name)))),
            creditNote || practice.Iban is null
                ? null
                : new XElement(Cac + "PaymentMeans", new XElement(Cbc + "PaymentMeansCode", "58"),
                    new XElement(Cbc + "PaymentID", invoice.Number),
                    new XElement(Cac + "PayeeFinancialAccount", new XElement(Cbc + "ID", practice.Iban))),
            new XElement(Cac + "TaxTotal", Amount("TaxAmount", invoice.VatCents),
                categories.Select(g => new XElement(Cac + "TaxSubtotal", Amount("TaxableAmount",
                    g.Sum(l => l.NetCents)), Amount("TaxAmount", g.Sum(l => l.VatCents)),
                    Category("TaxCategory", g.Key, invoice.VatExemption)))),
            new XElement(Cac + "LegalMonetaryTotal", Amount("LineExtensionAmount", invoice.NetCents),
                Amount("TaxExclusiveAmount", invoice.NetCents),
                Amount("TaxInclusiveAmount", invoice.TotalCents), Amount("PayableAmount", invoice.TotalCents)),
            invoice.Lines.Select((line, i) => new XElement(Cac + (creditNote ? "CreditNoteLine" : "InvoiceLine"),
                new XElement(Cbc + "ID", (i + 1).ToString(CultureInfo.InvariantCulture)),
                new XElement(Cbc + (creditNote ? "CreditedQuantity" : "InvoicedQuantity"), new XAttribute("unitCode",
                    "C62"), "1"),
                Amount("LineExtensionAmount", line.NetCents),
                new XElement(Cac + "InvoicePeriod", new XElement(Cbc + "StartDate", Day(line.ServiceDate)),
                    new XElement(Cbc + "EndDate", Day(line.ServiceDate))),
                new XElement(Cac + "Item", new XElement(Cbc + "Name", InvoiceHtml.Describe(line, dutch: true)),
                    Category("ClassifiedTaxCategory", line.VatRateBasisPoints, exemption: null)),
                new XElement(Cac + "Price", Amount("PriceAmount", line.NetCents)))));
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), root);
    }

    private static XElement VatScheme() => new(Cac + "TaxScheme", new XElement(Cbc + "ID", "VAT"));

    /// <summary>A line's or a subtotal's VAT category: E (exempt, with the ground on the subtotal), Z (0%) or S (the
    /// rate).</summary>
    private static XElement Category(string name, int? rateBasisPoints, string? exemption) => new(Cac + name,
        new XElement(Cbc + "ID", rateBasisPoints switch { null => "E", 0 => "Z", _ => "S" }),
        new XElement(Cbc + "Percent", ((rateBasisPoints ?? 0) / 100m).ToString("0.##", CultureInfo.InvariantCulture)),
        rateBasisPoints is null && exemption is not null ? new XElement(Cbc + "TaxExemptionReason", exemption) : null,
        VatScheme());

    private static XElement Address(PostalAddress address) => new(Cac + "PostalAddress",
        new XElement(Cbc + "StreetName", address.Street), new XElement(Cbc + "CityName",
            address.City), new XElement(Cbc + "PostalZone", address.Postcode),
        new XElement(Cac + "Country", new XElement(Cbc + "IdentificationCode", "NL")));

    private static string Euros(int cents) => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
