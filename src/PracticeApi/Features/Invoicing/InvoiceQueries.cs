namespace PracticeApi.Features.Invoicing;

/// <summary>
/// Reading invoices: staff within their caseload (an admin the whole practice; a therapist the invoices of the clients
/// they treat, read-only), a client through the portal their own issued invoices and credit notes. Every read is
/// audited.
/// </summary>
internal sealed class InvoiceQueries(Db db, AuditLog audit, PracticeCalendar calendar)
{
    private Guid? Portal(Caller caller) => caller.Kind == ActorKind.Client ? caller.ClientId : null;

    /// <summary>One invoice the caller may read, with its lines and payments (null outside their reach).</summary>
    private async Task<(InvoiceRecords.InvoiceRow Row, InvoiceResponse Invoice)?> ReadAsync(DbSession c,
        Caller caller, Guid id)
    {
        var row = await c.QuerySingleOrDefaultAsync<InvoiceRecords.InvoiceRow>(InvoiceRecords.GetSql,
            new { Id = id, caller.PracticeId, caller.Caseload, Portal = Portal(caller) });
        return row is null ? null : (row, (await InvoiceRecords.DescribeAsync(c, caller.PracticeId, [row],
            calendar.Today))[0]);
    }

    public async Task<InvoiceResponse?> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (await ReadAsync(c, caller, id) is not { } read) return null;
        var (row, invoice) = read;
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "invoice", id, [row.PayerId]), ct);
        return invoice;
    }

    public async Task<Page<InvoiceResponse>> ListAsync(Caller caller, InvoiceListQuery query, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var rows = await c.QueryAsync<InvoiceRecords.InvoiceRow>(InvoiceRecords.ListSql, new
        {
            caller.PracticeId, After = Cursor.After(
                query.Cursor), Caseload = caller.Caseload, query.PayerId, Portal = Portal(caller),
            Status = query.Status?.Wire(), calendar.Today, Limit = query.EffectiveLimit() + 1,
        });
        var page = rows.Take(query.EffectiveLimit()).ToList();
        var invoices = await InvoiceRecords.DescribeAsync(c, caller.PracticeId, page, calendar.Today);
        if (page.Count > 0)
        {
            await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "invoice", null,
                page.Select(r => r.PayerId).Distinct().ToList()), ct);
        }

        return new Page<InvoiceResponse>(invoices,
            rows.Count > page.Count ? Cursor.Encode(page[^1].Id.ToString()) : null);
    }

    /// <summary>
    /// An issued invoice or credit note (or, for staff, a draft) as a document prints it: with the practice's details
    /// as issued (the current profile for a draft or an invoice issued before details were kept), and the number it
    /// credits.
    /// </summary>
    public async Task<InvoiceDocument?> DocumentAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (await ReadAsync(c, caller, id) is not { } read) return null;
        var (row, invoice) = read;
        var supplier = row.Supplier is { } issued
            ? StoredJson.Read<BillingProfileResponse>(issued)
            : await c.QuerySingleOrDefaultAsync<BillingProfileResponse>(BillingSetup.ProfileSql,
                new { caller.PracticeId });
        var credited = row.CreditsInvoiceId is { } original ? (await InvoiceRecords.FindAsync(c, caller.PracticeId,
            original))?.Number : null;
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "invoice", id, [row.PayerId],
            Detail: "document"), ct);
        return new InvoiceDocument(invoice, supplier, credited);
    }
}

/// <summary>An invoice with what its printed forms show besides: the practice's details and the number a credit note
/// reverses.</summary>
internal sealed record InvoiceDocument(InvoiceResponse Invoice, BillingProfileResponse? Supplier,
    string? CreditedNumber);
