using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.Invoicing;

/// <summary>
/// Invoicing for a self-pay practice: fee schedules, who pays, invoices drafted from the schedule and issued with
/// gap-free numbers, credit notes, payments. Admins bill; therapists read the invoices of their caseload; a client
/// reads their own issued invoices through the portal.
/// </summary>
public static class InvoicingApi
{
    public static IServiceCollection AddInvoicing(this IServiceCollection services) =>
        services.AddSingleton<BillingSetup>().AddSingleton<DraftInvoice>().AddSingleton<IssueInvoice>()
            .AddSingleton<CreditInvoice>()
            .AddSingleton<RecordPayment>().AddSingleton<InvoiceQueries>()
            .AddSingleton<OverdueWatch>().AddHostedService(s => s.GetRequiredService<OverdueWatch>());

    public static IEndpointRouteBuilder MapInvoicing(this IEndpointRouteBuilder routes)
    {
        var billing = routes.MapGroup("/api/v1").WithTags("Invoicing").RequireAuthorization(Policies.Staff);
        billing.MapGet("/fee-schedules", async (Caller caller, BillingSetup setup,
            CancellationToken ct) => TypedResults.Ok(await setup.SchedulesAsync(caller, ct)))
            .WithName("ListFeeSchedules")
            .WithSummary(
                "Every version of the practice's fees, oldest first; a session is billed at the version of its day.");
        billing.MapGet("/fee-schedules/{id:guid}", async Task<Results<Ok<FeeScheduleResponse>,
            ProblemHttpResult>> (Guid id, Caller caller, BillingSetup setup,
                CancellationToken ct) => await setup.ScheduleAsync(caller, id,
                    ct) is { } schedule ? TypedResults.Ok(schedule) : Problems.NotFound("fee schedule"))
            .WithName("GetFeeSchedule").WithSummary("One version of the practice's fees.").ProducesProblems(404);
        billing.MapPost("/fee-schedules", async (FeeScheduleRequest request, Caller caller, BillingSetup setup,
            CancellationToken ct) =>
                (await setup.AddScheduleAsync(caller, request, ct)).ToCreated(s => $"/api/v1/fee-schedules/{s.Id}"))
            .WithName("AddFeeSchedule").WithExample(InvoicingExamples.AddFeeSchedule)
            .WithSummary("New fees from a date (admin): sessions before it keep the fees of their day.")
            .RequireAuthorization(Policies.Admin).Validate<FeeScheduleRequest>().ProducesProblems(409);
        billing.MapGet("/billing-profile", async Task<Results<Ok<BillingProfileResponse>,
            ProblemHttpResult>> (Caller caller, BillingSetup setup,
                CancellationToken ct) => await setup.ProfileAsync(caller,
                    ct) is { } profile ? TypedResults.Ok(profile) : Problems.NotFound("billing profile"))
            .WithName("GetBillingProfile")
            .WithSummary("What the practice prints on its invoices: name, address, KvK, AGB and BIG numbers, IBAN.")
            .ProducesProblems(404);
        billing.MapPut("/billing-profile", async (BillingProfileRequest request, Caller caller, BillingSetup setup,
            CancellationToken ct) =>
                TypedResults.Ok(await setup.SetProfileAsync(caller, request, ct)))
            .WithName("SetBillingProfile").WithExample(InvoicingExamples.SetBillingProfile)
            .WithSummary(
                "Set what the practice prints on its invoices (admin); issued invoices keep what they printed.")
            .RequireAuthorization(Policies.Admin).Validate<BillingProfileRequest>();
        billing.MapGet("/clients/{id:guid}/billing", async (Guid id, Caller caller, BillingSetup setup,
            CancellationToken ct) =>
                (await setup.DetailsAsync(caller, id, ct)).ToOk())
            .WithName("GetClientBilling").WithSummary("Where a client's invoices go: name, billing address, e-mail.")
            .ProducesProblems(404);
        billing.MapPut("/clients/{id:guid}/billing", async (Guid id, BillingDetailsRequest request, Caller caller,
            BillingSetup setup, CancellationToken ct) =>
                (await setup.SetDetailsAsync(caller, id, request, ct)).ToOk())
            .WithName("SetClientBilling").WithExample(InvoicingExamples.SetClientBilling)
            .WithSummary(
                "Set where a client's invoices go (admin); issued invoices keep the details they were issued with.")
            .RequireAuthorization(Policies.Admin).Validate<BillingDetailsRequest>().ProducesProblems(404, 409);
        billing.MapGet("/couples/{id:guid}/billing", async (Guid id, Caller caller, BillingSetup setup,
            CancellationToken ct) =>
                (await setup.CoupleBillingAsync(caller, id, ct)).ToOk())
            .WithName("GetCoupleBilling").WithSummary("Who pays the couple's sessions: one partner, or both half.")
            .ProducesProblems(404);
        billing.MapPut("/couples/{id:guid}/billing", async (Guid id, CoupleBillingRequest request, Caller caller,
            BillingSetup setup, CancellationToken ct) =>
                (await setup.SetCoupleBillingAsync(caller, id, request, ct)).ToOk())
            .WithName("SetCoupleBilling").WithExample(InvoicingExamples.SetCoupleBilling)
            .WithSummary("Name the partner who pays the couple's sessions, or split them 50/50 (admin).")
            .RequireAuthorization(Policies.Admin).ProducesProblems(404);

        var invoices = routes.MapGroup("/api/v1/invoices").WithTags("Invoicing").RequireAuthorization(Policies.Staff);
        invoices.MapPost("/", async (DraftInvoiceRequest request, Caller caller, DraftInvoice draft,
            CancellationToken ct) =>
                (await draft.DraftAsync(caller, request, ct)).ToCreated(i => $"/api/v1/invoices/{i.Id}"))
            .WithName("DraftInvoice").WithExample(InvoicingExamples.DraftInvoice)
            .WithSummary("Draft an invoice for a payer and a period from the billable sessions not invoiced to them yet (admin).")
            .WithDescription("Completed sessions at the fee of their day; late cancellations and no-shows by the policy of their day; couple " +
                             "sessions by the couple's billing arrangement. Sessions that cannot be billed are listed under unbilled with the reason.")
            .RequireAuthorization(Policies.Admin).Validate<DraftInvoiceRequest>().ProducesProblems(404, 409);
        invoices.MapGet("/", async ([AsParameters] InvoiceListQuery query, Caller caller, InvoiceQueries queries,
            CancellationToken ct) =>
                TypedResults.Ok(await queries.ListAsync(caller, query, ct)))
            .WithName("ListInvoices")
            .WithSummary("Invoices and credit notes, oldest first; filter by status (draft, open, overdue, paid, credited) and payer.")
            .Validate<InvoiceListQuery>();
        invoices.MapGet("/{id:guid}", (Guid id, Caller caller, InvoiceQueries queries, HttpContext http,
            CancellationToken ct) => ReadAsync(id, caller, queries, http, ct))
            .WithName("GetInvoice")
            .WithSummary("One invoice or credit note: as JSON, or as a printable page with Accept: text/html.")
            .WithMetadata(Offers.Html).Produces<string>(StatusCodes.Status200OK, "text/html").ProducesProblems(404);
        invoices.MapGet("/{id:guid}/ubl", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (Guid id,
            Caller caller, InvoiceQueries queries, CancellationToken ct) =>
            {
                if (await queries.DocumentAsync(caller, id,
                    ct) is not { } document) return Problems.NotFound("invoice");
                if (InvoiceUbl.Missing(document) is [_, ..] missing)
                {
                    return Failure.Conflict("e-invoice-details-missing", "E-invoice details missing",
                        $"The e-invoice needs {string.Join("; ", missing)}.").ToProblem();
                }

                return TypedResults.File(InvoiceUbl.Bytes(document), InvoiceUbl.MediaType,
                    $"{document.Invoice.Number}.xml");
            })
            .WithName("GetInvoiceUbl")
            .WithSummary("An issued invoice or credit note as a UBL 2.1 e-invoice (Peppol BIS Billing 3.0, with the Dutch rules).")
            .WithDescription("For accounting software and e-invoicing networks. Needs the practice's KvK and VAT numbers and IBAN, and the payer's e-mail " +
                             "and an address whose last line is a Dutch postcode and place; the problem names what is missing.")
            .WithMetadata(new Offers(InvoiceUbl.MediaType), new Offers("text/xml"))
            .Produces<string>(StatusCodes.Status200OK, InvoiceUbl.MediaType).ProducesProblems(404, 409);
        invoices.MapDelete("/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, Caller caller,
            DraftInvoice draft, CancellationToken ct) =>
                await draft.DiscardAsync(caller, id,
                    ct) is { } failure ? failure.ToProblem() : TypedResults.NoContent())
            .WithName("DiscardDraftInvoice").WithExample(InvoicingExamples.DiscardDraftInvoice)
            .WithSummary("Discard a draft (admin); an issued invoice is never deleted, it is credited.")
            .RequireAuthorization(Policies.Admin).ProducesProblems(404, 409);
        invoices.MapPost("/{id:guid}/issue", async (Guid id, Caller caller, IssueInvoice issue,
            CancellationToken ct) => (await issue.IssueAsync(caller, id, ct)).ToOk())
            .WithName("IssueInvoice").WithExample(InvoicingExamples.IssueInvoice)
            .WithSummary("Issue a draft (admin): the next number of the year, the issue and due dates, fixed for good; invoice.issued.")
            .RequireAuthorization(Policies.Admin).ProducesProblems(404, 409);
        invoices.MapPost("/{id:guid}/credit-notes", async (Guid id, CreditNoteRequest request, Caller caller,
            CreditInvoice credit, CancellationToken ct) =>
                (await credit.CreditAsync(caller, id, request, ct)).ToCreated(n => $"/api/v1/invoices/{n.Id}"))
            .WithName("CreditInvoice").WithExample(InvoicingExamples.CreditInvoice)
            .WithSummary("Reverse an issued invoice, wholly or by lines, with a numbered credit note (admin); its sessions can be invoiced again.")
            .RequireAuthorization(Policies.Admin).Validate<CreditNoteRequest>().ProducesProblems(404, 409);
        invoices.MapPost("/{id:guid}/payments", async (Guid id, PaymentRequest request, Caller caller,
            RecordPayment payments, CancellationToken ct) =>
                (await payments.PayAsync(caller, id, request, ct)).ToOk())
            .WithName("RecordPayment").WithExample(InvoicingExamples.RecordPayment)
            .WithSummary(
                "Record a payment, partial or whole (admin); the one that settles the invoice announces invoice.paid.")
            .RequireAuthorization(Policies.Admin).Validate<PaymentRequest>().ProducesProblems(404, 409);

        var portal = routes.MapGroup("/api/v1/me/invoices").WithTags("Client portal")
            .RequireAuthorization(Policies.Portal);
        portal.MapGet("/", async ([AsParameters] InvoiceListQuery query, Caller caller, InvoiceQueries queries,
            CancellationToken ct) =>
                TypedResults.Ok(await queries.ListAsync(caller, query, ct)))
            .WithName("ListMyInvoices")
            .WithSummary(
                "My issued invoices and credit notes with their payments (never a partner's who pays separately).")
            .Validate<InvoiceListQuery>();
        portal.MapGet("/{id:guid}", (Guid id, Caller caller, InvoiceQueries queries, HttpContext http,
            CancellationToken ct) => ReadAsync(id, caller, queries, http, ct))
            .WithName("GetMyInvoice").WithExample(InvoicingExamples.GetMyInvoice)
            .WithSummary("One of my invoices: as JSON, or as a printable page with Accept: text/html.")
            .WithMetadata(Offers.Html).Produces<string>(StatusCodes.Status200OK, "text/html").ProducesProblems(404);
        return routes;
    }

    private static async Task<Results<Ok<InvoiceResponse>, ContentHttpResult, ProblemHttpResult>> ReadAsync(
        Guid id, Caller caller, InvoiceQueries queries, HttpContext http, CancellationToken ct)
    {
        if (!Offers.Html.AcceptedBy(http.Request.Headers.Accept.ToString()))
        {
            return await queries.GetAsync(caller, id,
                ct) is { } invoice ? TypedResults.Ok(invoice) : Problems.NotFound("invoice");
        }

        if (await queries.DocumentAsync(caller, id, ct) is not { } document) return Problems.NotFound("invoice");
        var dutch = http.Request.Headers.AcceptLanguage.ToString().StartsWith("nl", StringComparison.OrdinalIgnoreCase);
        return TypedResults.Content(InvoiceHtml.Render(document, dutch), "text/html; charset=utf-8");
    }
}
