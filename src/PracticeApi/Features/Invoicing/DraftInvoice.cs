namespace PracticeApi.Features.Invoicing;

/// <summary>
/// Drafts an invoice for a payer and a period from the sessions not yet invoiced to them: completed sessions at their
/// day's fee, late cancellations and no-shows by the policy of their day, couple sessions by the couple's arrangement.
/// A draft claims nothing (issuing does) and may be discarded. A fixed number of statements, whatever the number of
/// lines.
/// </summary>
internal sealed class DraftInvoice(Db db, AuditLog audit, PracticeCalendar calendar)
{
    private const string BillableSql = """
        SELECT s.Id, s.Kind, s.DurationMinutes, s.StartsAt, s.Status, s.ClientId, s.CoupleId, cp.PartnerAId,
            cb.CoupleId AS ArrangedCoupleId, cb.PayerId AS CouplePayerId
        FROM Sessions s
        LEFT JOIN Couples cp ON cp.PracticeId = s.PracticeId AND cp.Id = s.CoupleId
        LEFT JOIN CoupleBilling cb ON cb.PracticeId = s.PracticeId AND cb.CoupleId = s.CoupleId
        WHERE s.PracticeId = @PracticeId AND s.StartsAt >= @FromUtc AND s.StartsAt < @ToUtc
          AND s.Status IN ('completed', 'late_cancelled', 'no_show')
          AND (s.ClientId = @PayerId OR cp.PartnerAId = @PayerId OR cp.PartnerBId = @PayerId)
          AND NOT EXISTS (SELECT 1 FROM SessionBillings b WHERE b.PracticeId = s.PracticeId AND b.SessionId = s.Id
              AND b.PayerId = @PayerId)
        ORDER BY s.StartsAt, s.Id
        """;

    private const string DeleteLinesSql = "DELETE FROM InvoiceLines WHERE PracticeId = @PracticeId AND InvoiceId = @Id";

    private const string DeleteDraftSql = "DELETE FROM Invoices WHERE Id = @Id AND PracticeId = @PracticeId AND State = 'draft'";

    public async Task<Outcome<InvoiceResponse>> DraftAsync(Caller caller, DraftInvoiceRequest request,
        CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (await CareRules.CheckWritableAsync(c, caller, request.PayerId) is { } unwritable) return unwritable;
        var book = await BillingSetup.FeeBookAsync(c, caller.PracticeId);
        var sessions = await c.QueryAsync<BillableSession>(BillableSql, new
        {
            caller.PracticeId, request.PayerId, FromUtc = calendar.ToUtc(request.From, TimeOnly.MinValue),
            ToUtc = calendar.ToUtc(request.To.AddDays(1), TimeOnly.MinValue),
        });
        var id = EntityIds.New();
        var lines = new List<(Guid Id, PricedLine Line, Guid? Credits)>();
        var unbilled = new List<UnbilledSession>();
        foreach (var session in sessions)
        {
            var (line, reason) = book.Price(session, request.PayerId, calendar.LocalDate(session.StartsAt));
            if (line is not null) lines.Add((EntityIds.New(), line, null));
            else if (reason is not null) unbilled.Add(new UnbilledSession(session.Id, reason));
        }

        if (lines.Count == 0)
        {
            return Failure.Conflict("nothing-to-bill", "Nothing to bill",
                $"No session of {request.From:yyyy-MM-dd} to {request.To:yyyy-MM-dd} waits to be invoiced to this client.",
                new Dictionary<string, object?> { ["unbilled"] = unbilled });
        }

        await c.ExecuteAsync(InvoiceRecords.InsertInvoiceSql, new
        {
            Id = id, caller.PracticeId, Kind = InvoiceKind.Invoice.Wire(), State = InvoiceState.Draft.Wire(), request.PayerId, PeriodFrom = request.From,
            PeriodTo = request.To, CreditsInvoiceId = (Guid?)null, Reason = (string?)null, Number = (string?)null, IssuedOn = (DateOnly?)null,
            DueOn = (DateOnly?)null, PayerName = (string?)null, PayerAddress = (string?)null, PayerEmail = (string?)null,
            book.On(request.To)?.VatExemption, NetCents = lines.Sum(l => l.Line.NetCents), VatCents = lines.Sum(
                l => l.Line.VatCents),
            CreatedBy = caller.TherapistId, calendar.Now, IssuedAt = (DateTime?)null, Supplier = (string?)null,
        });
        await InvoiceRecords.StoreLinesAsync(c, caller.PracticeId, id, lines);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "invoice", id, [request.PayerId]));
        var draft = await InvoiceRecords.ReadBackAsync(c, caller.PracticeId, id, calendar.Today, unbilled);
        await c.CommitAsync();
        return draft;
    }

    /// <summary>Discards a draft: nothing was claimed or numbered. An issued invoice is never deleted (credit it
    /// instead).</summary>
    public async Task<Failure?> DiscardAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var invoice = await InvoiceRecords.FindAsync(c, caller.PracticeId, id);
        if (invoice is null) return Failure.NotFound("invoice");
        if (invoice.Stage != InvoiceState.Draft) return IssueInvoice.NotDraft();
        await c.ExecuteAsync(DeleteLinesSql, new { Id = id, caller.PracticeId });
        await c.ExecuteAsync(DeleteDraftSql, new { Id = id, caller.PracticeId });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Delete, "invoice", id));
        await c.CommitAsync();
        return null;
    }
}
