using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Invoicing;

/// <summary>
/// Announces invoice.overdue once per invoice, the first round after its due date passes (in the practice's time zone)
/// with a balance still open. The invoice is marked in the same transaction as its event, and only by the round whose
/// mark changed the row: with several instances running rounds at once, each overdue invoice is announced exactly once.
/// </summary>
internal sealed class OverdueWatch(Db db, PracticeCalendar calendar, Outbox outbox, IConfiguration configuration,
    ILogger<OverdueWatch> logger)
    : PeriodicWork(configuration, logger, "Invoicing:OverdueWatch", 300)
{
    private const int ChunkSize = 200;

    private static readonly string DueSql = $"""
        SELECT i.Id, i.PracticeId, i.PayerId, i.Number, i.DueOn FROM Invoices i
        WHERE i.State = 'issued' AND i.OverdueAnnouncedAt IS NULL AND i.DueOn < @Today AND i.Kind = 'invoice'
          AND i.NetCents + i.VatCents > {InvoiceRecords.PaidSql} + {InvoiceRecords.CreditedSql}
        ORDER BY i.DueOn, i.Id {SqlDialect.Limit}
        """;

    private const string MarkSql = "UPDATE Invoices SET OverdueAnnouncedAt = @Now WHERE Id = @Id AND PracticeId = @PracticeId AND OverdueAnnouncedAt IS NULL";

    private sealed record DueRow
    {
        public Guid Id { get; init; }
        public Guid PracticeId { get; init; }
        public Guid PayerId { get; init; }
        public string? Number { get; init; }
        public DateOnly DueOn { get; init; }
    }

    protected override async Task RoundAsync(CancellationToken ct)
    {
        while (await AnnounceAsync(ct) == ChunkSize)
        {
        }
    }

    /// <summary>One chunk of overdue invoices announced; how many were found.</summary>
    public async Task<int> AnnounceAsync(CancellationToken ct)
    {
        List<DueRow> due;
        await using (var c = await db.BeginReadAsync(ct))
        {
            due = await c.QueryAsync<DueRow>(DueSql, new { calendar.Today, Limit = ChunkSize });
        }

        foreach (var invoice in due)
        {
            await using var c = await db.BeginWriteAsync(ct);
            if (await c.ExecuteAsync(MarkSql, new { invoice.Id, invoice.PracticeId,
                calendar.Now }) == 0) continue; // another instance did
            await outbox.PublishAsync(c, invoice.PracticeId, EventType.InvoiceOverdue, "invoiceId", invoice.Id,
                [invoice.PayerId], ct, ("number", invoice.Number), ("dueOn", invoice.DueOn.ToString("yyyy-MM-dd",
                    System.Globalization.CultureInfo.InvariantCulture)));
            await c.CommitAsync();
        }

        return due.Count;
    }
}
