using System.Net.Http.Json;
using System.Xml.Linq;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Invoicing;

/// <summary>
/// The documents of an issued invoice (issue 32.6): the UBL 2.1 e-invoice checked by the Peppol BIS Billing 3.0 rules
/// with the Dutch ones, and the practice's details as issued, which later profile changes leave alone.
/// </summary>
public sealed class InvoiceDocumentTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private static readonly XNamespace Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    private static readonly XNamespace Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";

    private DateOnly Today => api.Today;

    private static object Profile(string legalName = "Praktijk Test", string? vatNumber = "NL001234567B01") => new
    {
        legalName, address = "Keizersgracht 1\n1015 AA Amsterdam", email = "facturen@example.test", iban = "NL91ABNA0417164300",
        kvkNumber = "12345678", agbCode = "94001234", bigNumber = "19012345601", vatNumber,
    };

    /// <summary>
    /// A practice that bills exempt sessions until a date and 21% VAT after it: an exempt invoice, a taxed one, a
    /// couple session split 50/50, and a credit note; returns the ids of the four documents.
    /// </summary>
    private async Task<(PracticeContext Practice, Guid Client, List<Guid> Documents)> BilledAsync()
    {
        var practice = await api.NewPracticeAsync();
        await Billing.SetUpAsync(practice);
        await (await practice.Admin.PutAsJsonAsync("/api/v1/billing-profile", Profile())).ReadJsonAsync(200);
        var taxedFrom = Today.AddDays(-10);
        await (await practice.Admin.PostAsJsonAsync("/api/v1/fee-schedules", Billing.Schedule(Billing.Day(taxedFrom),
            individual: 8333, vat: 2100))).ReadJsonAsync(201);
        var client = await practice.Admin.CreateClientIdAsync();
        await Billing.PayerAsync(practice.Admin, client, "Mira Jansen");
        var exemptDay = Today.AddDays(-20);
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client },
            exemptDay.ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc), client);
        var exempt = (await Billing.IssueAsync(practice.Admin, (await Billing.DraftAsync(practice.Admin, client,
            exemptDay, exemptDay)).Id())).Id();
        for (var i = 1; i <= 2; i++)
        {
            await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client }, Today.AddDays(-i)
                .ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc), client);
        }

        var taxed = (await Billing.IssueAsync(practice.Admin, (await Billing.DraftAsync(practice.Admin, client,
            taxedFrom, Today)).Id())).Id();
        var creditNote = (await (await practice.Admin.PostAsJsonAsync($"/api/v1/invoices/{exempt}/credit-notes",
            new { reason = "Sent twice" })).ReadJsonAsync(201)).Id();

        var partner = await practice.Admin.CreateClientIdAsync();
        await Billing.PayerAsync(practice.Admin, partner, "Bas Jansen");
        var couple = (await (await practice.Admin.PostAsJsonAsync("/api/v1/couples", new
        {
            partnerAId = client, partnerBId = partner, breachType = "emotional_affair", partnerARole = "breaching", partnerBRole = "hurt", startedOn = "2026-01-05",
        })).ReadJsonAsync(201)).Id();
        await (await practice.Admin.PutAsJsonAsync($"/api/v1/couples/{couple}/billing", new { payerId = (Guid?)null }))
            .ReadJsonAsync(200);
        await Billing.CompletedSessionAsync(practice.Admin, new { coupleId = couple }, Today.AddDays(-3)
            .ToDateTime(new TimeOnly(11, 0), DateTimeKind.Utc), client, partner);
        var half = (await Billing.IssueAsync(practice.Admin, (await Billing.DraftAsync(practice.Admin, partner,
            Today.AddDays(-3), Today)).Id())).Id();
        return (practice, client, [exempt, taxed, creditNote, half]);
    }

    private static async Task<XDocument> UblAsync(HttpClient client, Guid id)
    {
        var response = await client.GetAsync($"/api/v1/invoices/{id}/ubl");
        Assert.True(response.IsSuccessStatusCode,
            $"{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".xml", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(0xEF, bytes[0]);
        return XDocument.Parse(System.Text.Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task The_e_invoice_names_the_parties_the_lines_and_each_lines_vat_category_and_a_credit_note_its_invoice()
    {
        var (practice, _, documents) = await BilledAsync();
        var exempt = await UblAsync(practice.Admin, documents[0]);
        var exemptJson = await (await practice.Admin.GetAsync($"/api/v1/invoices/{documents[0]}")).ReadJsonAsync(200);
        Assert.Equal("Invoice", exempt.Root!.Name.LocalName);
        Assert.Equal(exemptJson.GetProperty("number").GetString(), exempt.Root.Element(Cbc + "ID")!.Value);
        Assert.Equal("380", exempt.Root.Element(Cbc + "InvoiceTypeCode")!.Value);
        var seller = exempt.Root.Element(Cac + "AccountingSupplierParty")!.Element(Cac + "Party")!;
        Assert.Equal("12345678", seller.Element(Cbc + "EndpointID")!.Value);
        Assert.Equal(("Keizersgracht 1", "1015 AA", "Amsterdam"), (seller.Element(Cac + "PostalAddress")!.Element(Cbc
            + "StreetName")!.Value,
            seller.Element(Cac + "PostalAddress")!.Element(Cbc + "PostalZone")!.Value, seller.Element(Cac
                + "PostalAddress")!.Element(Cbc + "CityName")!.Value));
        var buyer = exempt.Root.Element(Cac + "AccountingCustomerParty")!.Element(Cac + "Party")!;
        Assert.Equal("Mira Jansen", buyer.Element(Cac + "PartyLegalEntity")!.Element(Cbc + "RegistrationName")!.Value);
        Assert.Equal("NL91ABNA0417164300", exempt.Descendants(Cac + "PayeeFinancialAccount").Single().Element(Cbc
            + "ID")!.Value);
        var exemptCategory = exempt.Descendants(Cac + "TaxSubtotal").Single().Element(Cac + "TaxCategory")!;
        Assert.Equal(("E", Billing.Exemption), (exemptCategory.Element(Cbc + "ID")!.Value,
            exemptCategory.Element(Cbc + "TaxExemptionReason")!.Value));
        Assert.Equal("95.00", exempt.Descendants(Cbc + "PayableAmount").Single().Value);

        // 21% on 83.33 is 17.4993, rounded per line to 17.50: two lines, 166.66 net and 35.00 VAT.
        var taxed = await UblAsync(practice.Admin, documents[1]);
        var subtotal = taxed.Descendants(Cac + "TaxSubtotal").Single();
        Assert.Equal(("S", "21", "166.66", "35.00"), (subtotal.Element(Cac + "TaxCategory")!.Element(Cbc + "ID")!.Value,
            subtotal.Element(Cac + "TaxCategory")!.Element(Cbc + "Percent")!.Value, subtotal.Element(Cbc
                + "TaxableAmount")!.Value, subtotal.Element(Cbc + "TaxAmount")!.Value));
        Assert.Equal(2, taxed.Descendants(Cac + "InvoiceLine").Count());
        Assert.All(taxed.Descendants(Cac + "ClassifiedTaxCategory"), c => Assert.Equal("21",
            c.Element(Cbc + "Percent")!.Value));

        // A credit note: its own document type, positive amounts, and the number of the invoice it credits.
        var note = await UblAsync(practice.Admin, documents[2]);
        Assert.Equal(("CreditNote", "381"), (note.Root!.Name.LocalName,
            note.Root.Element(Cbc + "CreditNoteTypeCode")!.Value));
        Assert.Equal(exemptJson.GetProperty("number").GetString(), note.Descendants(Cac + "InvoiceDocumentReference")
            .Single().Element(Cbc + "ID")!.Value);
        Assert.Equal("95.00", note.Descendants(Cbc + "PayableAmount").Single().Value);
        Assert.Single(note.Descendants(Cac + "CreditNoteLine"));

        // Half a couple session for partner B: the line says so.
        var half = await UblAsync(practice.Admin, documents[3]);
        Assert.Contains("(50%)", half.Descendants(Cac + "Item").Single().Element(Cbc + "Name")!.Value);
        // 62.50 net and 21% VAT of 13.125, rounded half away from zero to 13.13.
        Assert.Equal("75.63", half.Descendants(Cbc + "PayableAmount").Single().Value);
    }

    [Fact]
    public async Task The_e_invoice_is_refused_with_what_is_missing_for_drafts_and_outside_the_callers_reach()
    {
        var (practice, client, documents) = await BilledAsync();
        await (await practice.Admin.PutAsJsonAsync("/api/v1/billing-profile", Profile(vatNumber: null)))
            .ReadJsonAsync(200);
        // The details as issued still hold the VAT number: issued documents do not change.
        await UblAsync(practice.Admin, documents[0]);

        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client }, Today.AddDays(-1)
            .ToDateTime(new TimeOnly(15, 0), DateTimeKind.Utc), client);
        var draft = (await Billing.DraftAsync(practice.Admin, client, Today.AddDays(-1), Today)).Id();
        var refused = await (await practice.Admin.GetAsync($"/api/v1/invoices/{draft}/ubl")).AssertProblemAsync(409,
            "e-invoice-details-missing");
        Assert.Contains("a number", refused.GetProperty("detail").GetString());
        Assert.Contains("vatNumber", refused.GetProperty("detail").GetString());
        await Billing.IssueAsync(practice.Admin, draft);
        var missing = await (await practice.Admin.GetAsync($"/api/v1/invoices/{draft}/ubl")).AssertProblemAsync(409,
            "e-invoice-details-missing");
        Assert.Contains("vatNumber", missing.GetProperty("detail").GetString());
        Assert.DoesNotContain("a number", missing.GetProperty("detail").GetString());

        await (await practice.Admin.PutAsJsonAsync($"/api/v1/clients/{client}/billing", new { name = "Mira Jansen",
            address = "Rue Haute 1\n1000 Brussel" })).ReadJsonAsync(200);
        await (await practice.Admin.PutAsJsonAsync("/api/v1/billing-profile", Profile())).ReadJsonAsync(200);
        var day = Today.AddDays(-4);
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client }, day.ToDateTime(new TimeOnly(14,
            0), DateTimeKind.Utc), client);
        var abroad = (await Billing.IssueAsync(practice.Admin, (await Billing.DraftAsync(practice.Admin, client, day,
            day)).Id())).Id();
        var address = await (await practice.Admin.GetAsync($"/api/v1/invoices/{abroad}/ubl")).AssertProblemAsync(409,
            "e-invoice-details-missing");
        Assert.Contains($"/api/v1/clients/{client}/billing", address.GetProperty("detail").GetString());

        var therapist = await practice.AddTherapistAsync();
        await (await therapist.Client.GetAsync($"/api/v1/invoices/{documents[0]}/ubl")).AssertProblemAsync(404,
            "not-found");
        await (await (await api.NewPracticeAsync()).Admin.GetAsync($"/api/v1/invoices/{documents[0]}/ubl"))
            .AssertProblemAsync(404, "not-found");
        await (await api.ClientWith(null).GetAsync($"/api/v1/invoices/{documents[0]}/ubl")).AssertProblemAsync(401);
        await (await practice.Admin.GetAsync($"/api/v1/invoices/{Guid.NewGuid()}/ubl")).AssertProblemAsync(404,
            "not-found");
    }

    [Fact]
    public async Task An_issued_invoice_prints_the_practice_as_it_was_a_draft_as_it_is()
    {
        var (practice, client, documents) = await BilledAsync();
        await (await practice.Admin.PutAsJsonAsync("/api/v1/billing-profile",
            Profile(legalName: "Praktijk Nieuwe Naam"))).ReadJsonAsync(200);
        var day = Today.AddDays(-5);
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client }, day.ToDateTime(new TimeOnly(14,
            0), DateTimeKind.Utc), client);
        var draft = (await Billing.DraftAsync(practice.Admin, client, day, day)).Id();

        async Task<string> PageAsync(Guid id)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get,
                $"/api/v1/invoices/{id}") { Headers = { { "Accept", "text/html" } } };
            return await (await practice.Admin.SendAsync(request)).Content.ReadAsStringAsync();
        }

        Assert.Contains("Praktijk Test", await PageAsync(documents[0]));
        Assert.DoesNotContain("Nieuwe Naam", await PageAsync(documents[0]));
        Assert.Contains("NL001234567B01", await PageAsync(documents[0]));
        Assert.Contains("Praktijk Nieuwe Naam", await PageAsync(draft));
        Assert.Equal("Praktijk Test", (await UblAsync(practice.Admin, documents[1])).Descendants(Cbc
            + "RegistrationName").First().Value);
        // The credit note was issued before the change too.
        Assert.Contains("Praktijk Test", await PageAsync(documents[2]));
    }

    /// <summary>
    /// Every document kind the practice issues (exempt, taxed, split, credit note) passes the Peppol BIS Billing 3.0
    /// Schematron rules: EN 16931 bound to UBL, and Peppol's own with the Dutch NL-R rules, but for the one that a
    /// private payer cannot meet; and a document with a Dutch rule broken on purpose fails, so the check can fail.
    /// </summary>
    [SkippableFact]
    [Trait("Category", "OutsideTools")]
    public async Task Every_kind_of_e_invoice_passes_the_peppol_bis_billing_rules_with_the_dutch_ones()
    {
        Skip.IfNot(await NodeTools.EnsureInstalledAsync("ubl-validation", "saxon-js"),
            "UBL validation needs Node.js with npm on PATH (it installs tests/ubl-validation itself).");
        var (practice, _, documents) = await BilledAsync();
        var folder = Directory.CreateTempSubdirectory("ubl-").FullName;
        var files = new List<string>();
        foreach (var id in documents)
        {
            var file = Path.Combine(folder, $"{id}.xml");
            (await UblAsync(practice.Admin, id)).Save(file);
            files.Add(file);
        }

        var validator = RepoFiles.PathTo("tests", "ubl-validation");
        // One rule is allowed, by name: Peppol's list of electronic address schemes has no e-mail, and a private client
        // has no Peppol participant id. The payer's e-mail goes with the EN 16931 scheme EM, which the CEN rules
        // accept.
        var run = await NodeTools.RunAsync("node", ["validate.mjs", "--allow", "PEPPOL-EN16931-CL008", .. files],
            validator, TimeSpan.FromMinutes(5));
        Skip.If(run is null, "node is not on PATH.");
        Assert.True(run.Value.ExitCode == 0, run.Value.Output + run.Value.Error);
        Assert.Matches(@"fired [1-9][0-9]+ rules on 4 documents; 0 fatal failures, 0 warnings", run.Value.Output);
        var allowed = run.Value.Output.Split('\n').Where(l => l.StartsWith("allowed",
            StringComparison.Ordinal)).ToList();
        Assert.Equal(files.Count, allowed.Count);
        Assert.All(allowed, l => Assert.Contains("PEPPOL-EN16931-CL008\tPEPPOL-EN16931-UBL", l));
        Assert.All(files, f => Assert.Equal("EM", XDocument.Load(f).Root!.Element(Cac
            + "AccountingCustomerParty")!.Descendants(Cbc + "EndpointID").Single()
            .Attribute("schemeID")!.Value));

        var broken = XDocument.Load(files[0]);
        broken.Root!.Element(Cac + "AccountingSupplierParty")!.Descendants(Cbc + "PostalZone").Single().Remove();
        var brokenFile = Path.Combine(folder, "broken.xml");
        broken.Save(brokenFile);
        var failed = await NodeTools.RunAsync("node", ["validate.mjs", brokenFile], validator, TimeSpan.FromMinutes(2));
        Assert.Equal(1, failed!.Value.ExitCode);
        Assert.Contains("NL-R-002", failed.Value.Output);
        Directory.Delete(folder, recursive: true);
    }
}
