using PracticeApi.Features.Integration;
namespace PracticeApi.Features.Invoicing;

/// <summary>
/// Corrects an issued invoice the only way it may be: a credit note with its own number in the same sequence, reversing
/// every line not credited yet or the lines named. Its sessions are released, to be invoiced again.
/// </summary>
internal sealed class CreditInvoice(Db db, AuditLog audit, Outbox outbox, PracticeCalendar calendar)
{
    private const string OpenLinesSql = """
        SELECT l.Id, l.InvoiceId, l.SessionId, l.ServiceDate, l.Charge, l.SessionKind, l.DurationMinutes,
            l.ShareBasisPoints, l.NetCents, l.VatCents, l.CreditsLineId
        FROM InvoiceLines l
        WHERE l.PracticeId = @PracticeId AND l.InvoiceId = @Id
          AND NOT EXISTS (SELECT 1 FROM InvoiceLines x WHERE x.PracticeId = l.PracticeId AND x.CreditsLineId = l.Id)
        ORDER BY l.Position
        """;

    private const string ReleaseSql = """
        DELETE FROM SessionBillings
        WHERE PracticeId = @PracticeId AND LineId IN (SELECT CreditsLineId FROM InvoiceLines
            WHERE PracticeId = @PracticeId AND InvoiceId = @CreditNoteId)
        """;

    public async Task<Outcome<InvoiceResponse>> CreditAsync(Caller caller, Guid id, CreditNoteRequest request,
        CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var invoice = await InvoiceRecords.FindAsync(c, caller.PracticeId, id);
        if (invoice is null) return Failure.NotFound("invoice");
        if (invoice is not { Document: InvoiceKind.Invoice, Stage: InvoiceState.Issued })
        {
            return Failure.Conflict("invalid-transition", "Not an issued invoice",
                "Only an issued invoice is credited (a draft is discarded instead).");
        }

        var open = await c.QueryAsync<InvoiceRecords.LineRow>(OpenLinesSql, new { Id = id, caller.PracticeId });
        if (request.LineIds?.FirstOrDefault(l => open.All(o => o.Id != l)) is { } unknown && unknown != Guid.Empty)
        {
            return Failure.Invalid("lineIds",
                $"lineIds names {unknown}, which is not a line of this invoice waiting to be credited.");
        }

        var credited = request.LineIds is null ? open : open.Where(o => request.LineIds.Contains(o.Id)).ToList();
        if (credited.Count == 0) return Failure.Conflict("already-credited", "Already credited",
            "Every line of this invoice is credited already.");
        var today = calendar.Today;
        var supplier = await c.QuerySingleOrDefaultAsync<BillingProfileResponse>(BillingSetup.ProfileSql,
            new { caller.PracticeId });
        var number = await InvoiceNumbers.NextAsync(c, caller.PracticeId, today.Year);
        var creditNoteId = EntityIds.New();
        var lines = credited.Select(o => (EntityIds.New(), o.Reversed(), (Guid?)o.Id)).ToList();
        await c.ExecuteAsync(InvoiceRecords.InsertInvoiceSql, new
        {
            Id = creditNoteId, caller.PracticeId, Kind = InvoiceKind.CreditNote.Wire(), State = InvoiceState.Issued.Wire(), invoice.PayerId, invoice.PeriodFrom,
            invoice.PeriodTo, CreditsInvoiceId = (Guid?)id, Reason = request.Reason.Trim(), Number = number, IssuedOn = (DateOnly?)today,
            DueOn = (DateOnly?)today, invoice.PayerName, invoice.PayerAddress, invoice.PayerEmail, invoice.VatExemption,
            NetCents = lines.Sum(l => l.Item2.NetCents), VatCents = lines.Sum(
                l => l.Item2.VatCents), CreatedBy = caller.TherapistId, calendar.Now,
            IssuedAt = (DateTime?)calendar.Now, Supplier = supplier is null
                ? invoice.Supplier : StoredJson.Write(supplier),
        });
        await InvoiceRecords.StoreLinesAsync(c, caller.PracticeId, creditNoteId, lines);
        await c.ExecuteAsync(ReleaseSql, new { caller.PracticeId, CreditNoteId = creditNoteId });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "credit_note", creditNoteId,
            [invoice.PayerId], Detail: $"credits {id}"));
        await outbox.PublishAsync(c, caller.PracticeId, EventType.InvoiceIssued, "invoiceId", creditNoteId,
            [invoice.PayerId], ct,
            ("number", number), ("kind", InvoiceKind.CreditNote.Wire()), ("creditsInvoiceId", id), ("totalCents",
                lines.Sum(l => l.Item2.NetCents + l.Item2.VatCents)));
        var note = await InvoiceRecords.ReadBackAsync(c, caller.PracticeId, creditNoteId, today);
        await c.CommitAsync();
        return note;
    }
}
