using PracticeApi.Features.Integration;
namespace PracticeApi.Features.Invoicing;

/// <summary>
/// Records a payment against an issued invoice, partial or whole, never more than the open balance; the payment that
/// settles the balance announces invoice.paid.
/// </summary>
internal sealed class RecordPayment(Db db, AuditLog audit, Outbox outbox, PracticeCalendar calendar)
{
    private const string InsertSql = """
        INSERT INTO Payments (Id, PracticeId, InvoiceId, AmountCents, PaidOn, Method, Reference, RecordedBy, RecordedAt)
        VALUES (@Id, @PracticeId, @InvoiceId, @AmountCents, @PaidOn, @Method, @Reference, @RecordedBy, @Now)
        """;

    public async Task<Outcome<InvoiceResponse>> PayAsync(Caller caller, Guid id, PaymentRequest request,
        CancellationToken ct)
    {
        if (request.PaidOn > calendar.Today) return Failure.Invalid("paidOn", "paidOn is not in the future.");
        await using var c = await db.BeginWriteAsync(ct);
        var invoice = await InvoiceRecords.FindAsync(c, caller.PracticeId, id);
        if (invoice is null) return Failure.NotFound("invoice");
        if (invoice is not { Document: InvoiceKind.Invoice, Stage: InvoiceState.Issued })
        {
            return Failure.Conflict("invalid-transition", "Not an issued invoice",
                "Payments are recorded against an issued invoice.");
        }

        if (request.AmountCents > invoice.BalanceCents)
        {
            return Failure.Conflict("overpayment", "More than the balance",
                $"The open balance is {invoice.BalanceCents} cents; record at most that (a refund of an overpayment is outside this API).");
        }

        var paymentId = EntityIds.New();
        await c.ExecuteAsync(InsertSql, new
        {
            Id = paymentId, caller.PracticeId, InvoiceId = id, request.AmountCents, request.PaidOn, Method = request.Method.Wire(), Reference = request.Reference?.Trim(),
            RecordedBy = caller.TherapistId, calendar.Now,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "payment", paymentId, [invoice.PayerId],
            Detail: $"invoice {id}"));
        if (request.AmountCents == invoice.BalanceCents)
        {
            await outbox.PublishAsync(c, caller.PracticeId, EventType.InvoicePaid, "invoiceId", id, [invoice.PayerId],
                ct, ("number", invoice.Number));
        }

        var paid = await InvoiceRecords.ReadBackAsync(c, caller.PracticeId, id, calendar.Today);
        await c.CommitAsync();
        return paid;
    }
}
