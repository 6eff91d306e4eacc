using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Invoicing;

/// <summary>
/// Issues a draft: checks that the practice and the payer have billing details, claims every session of its lines for
/// the payer (a session already on another issued invoice refuses the whole issue), takes the next number of the year,
/// fixes the payer's and the practice's details and the dates, and announces invoice.issued. From then on the invoice
/// never changes.
/// </summary>
internal sealed class IssueInvoice(Db db, AuditLog audit, Outbox outbox, PracticeCalendar calendar)
{
    private const string ClaimSql = """
        INSERT INTO SessionBillings (PracticeId, SessionId, PayerId, LineId)
        SELECT PracticeId, SessionId, @PayerId, Id FROM InvoiceLines WHERE PracticeId = @PracticeId AND InvoiceId = @Id
        """;

    private const string IssueSql = """
        UPDATE Invoices SET State = 'issued', Number = @Number, IssuedOn = @IssuedOn, DueOn = @DueOn,
            PayerName = @PayerName, PayerAddress = @PayerAddress,
            PayerEmail = @PayerEmail, IssuedAt = @Now, Supplier = @Supplier
        WHERE Id = @Id AND PracticeId = @PracticeId AND State = 'draft'
        """;

    public static Failure NotDraft() =>
        Failure.Conflict("invalid-transition", "Invoice already issued",
            "An issued invoice never changes or goes away: correct it with a credit note.");

    public static Failure MissingDetails(string whose, string path) =>
        Failure.Conflict("billing-details-missing", "Billing details missing",
            $"Set {whose} billing details first ({path}).");

    public async Task<Outcome<InvoiceResponse>> IssueAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var draft = await InvoiceRecords.FindAsync(c, caller.PracticeId, id);
        if (draft is null) return Failure.NotFound("invoice");
        if (draft.Stage != InvoiceState.Draft) return NotDraft();
        if (await c.QuerySingleOrDefaultAsync<BillingProfileResponse>(BillingSetup.ProfileSql,
            new { caller.PracticeId }) is not { } supplier)
        {
            return MissingDetails("the practice's", "PUT /api/v1/billing-profile");
        }

        var payer = await c.QuerySingleOrDefaultAsync<BillingDetailsResponse>(BillingSetup.DetailsSql,
            new { caller.PracticeId, ClientId = draft.PayerId });
        if (payer is null) return MissingDetails("the payer's", $"PUT /api/v1/clients/{draft.PayerId}/billing");
        var today = calendar.Today;
        // The term in force today; a draft of sessions billed at a version that starts later takes that version's.
        var book = await BillingSetup.FeeBookAsync(c, caller.PracticeId);
        var term = (book.On(today) ?? book.On(draft.PeriodTo))!.PaymentTermDays;
        var number = await InvoiceNumbers.NextAsync(c, caller.PracticeId, today.Year);
        if (!await c.ExecuteOnceAsync(ClaimSql, new { Id = id, caller.PracticeId, draft.PayerId }))
        {
            // PK_SessionBillings: another issued invoice bills one of these sessions to this payer. Nothing is kept,
            // the number included.
            return Failure.Conflict("already-invoiced", "Session already invoiced",
                "A session on this draft is on another issued invoice to this payer already: discard this draft and draft again.");
        }

        await c.ExecuteAsync(IssueSql, new
        {
            Id = id, caller.PracticeId, Number = number, IssuedOn = today, DueOn = today.AddDays(term), PayerName = payer.Name, PayerAddress = payer.Address,
            PayerEmail = payer.Email, calendar.Now, Supplier = StoredJson.Write(supplier),
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "invoice", id, [draft.PayerId],
            Detail: "issued"));
        await outbox.PublishAsync(c, caller.PracticeId, EventType.InvoiceIssued, "invoiceId", id, [draft.PayerId], ct,
            ("number", number), ("kind", InvoiceKind.Invoice.Wire()), ("totalCents", draft.TotalCents));
        var issued = await InvoiceRecords.ReadBackAsync(c, caller.PracticeId, id, today);
        await c.CommitAsync();
        return issued;
    }
}
