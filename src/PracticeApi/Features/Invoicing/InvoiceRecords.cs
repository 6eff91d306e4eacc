namespace PracticeApi.Features.Invoicing;

/// <summary>
/// How invoices are read and written, shared by the operations: an invoice row with its paid and credited sums, its
/// lines and payments, the one rule that gives an invoice its status, and the single statement that stores any number
/// of lines.
/// </summary>
internal static class InvoiceRecords
{
    /// <summary>What invoice <c>i</c> has received in payments, in cents.</summary>
    public const string PaidSql = "COALESCE((SELECT SUM(p.AmountCents) FROM Payments p WHERE p.PracticeId = i.PracticeId AND p.InvoiceId = i.Id), 0)";

    /// <summary>What credit notes have reversed of invoice <c>i</c>, in cents (positive).</summary>
    public const string CreditedSql =
        "COALESCE((SELECT -SUM(n.NetCents + n.VatCents) FROM Invoices n WHERE n.PracticeId = i.PracticeId AND n.CreditsInvoiceId = i.Id), 0)";

    private const string Columns = $"""
        i.Id, i.Kind, i.State, i.Number, i.PayerId, i.PeriodFrom, i.PeriodTo, i.IssuedOn, i.DueOn, i.CreditsInvoiceId,
            i.Reason, i.PayerName,
        i.PayerAddress, i.PayerEmail, i.VatExemption, i.NetCents, i.VatCents, i.CreatedAt, i.IssuedAt, i.Supplier, {PaidSql} AS PaidCents, {CreditedSql} AS CreditedCents
        """;

    /// <summary>One invoice the caller may read: staff within their caseload (the payer's), a portal client their own
    /// issued ones.</summary>
    public static readonly string GetSql = $"""
        SELECT {Columns} FROM Invoices i
        WHERE i.Id = @Id AND i.PracticeId = @PracticeId AND {Care.Caseload.Client("i.PayerId")}
          AND (@Portal IS NULL OR (i.PayerId = @Portal AND i.State = 'issued'))
        """;

    /// <summary>
    /// The status filter, in SQL, of <see cref="Status"/>: draft; for an issued invoice credited (credit notes cover
    /// its total), paid (payments and credits do), overdue (a balance after the due date) or open.
    /// </summary>
    public static readonly string ListSql = $"""
        SELECT x.* FROM (
            SELECT {Columns} FROM Invoices i
            WHERE i.PracticeId = @PracticeId AND i.Id > @After AND {Care.Caseload.Client("i.PayerId")}
              AND (@PayerId IS NULL OR i.PayerId = @PayerId) AND (@Portal IS NULL OR (i.PayerId = @Portal
                  AND i.State = 'issued'))
        ) x
        WHERE @Status IS NULL
           OR (@Status = 'draft' AND x.State = 'draft')
           OR (@Status = 'issued' AND x.State = 'issued' AND x.Kind = 'credit_note')
           OR (x.State = 'issued' AND x.Kind = 'invoice' AND (
                  (@Status = 'credited' AND x.CreditedCents >= x.NetCents + x.VatCents)
               OR (@Status = 'paid' AND x.CreditedCents < x.NetCents + x.VatCents
                   AND x.PaidCents + x.CreditedCents >= x.NetCents + x.VatCents)
               OR (@Status = 'overdue' AND x.PaidCents + x.CreditedCents < x.NetCents + x.VatCents AND x.DueOn < @Today)
               OR (@Status = 'open' AND x.PaidCents + x.CreditedCents < x.NetCents + x.VatCents AND x.DueOn >= @Today)))
        ORDER BY x.Id {SqlDialect.Limit}
        """;

    // Issued invoices and credit notes as integrators read them (FHIR Invoice): by id, by payer, in the caller's
    // caseload.
    private static readonly string IssuedMatch = $"""
        FROM Invoices i
        WHERE i.PracticeId = @PracticeId AND i.State = 'issued' AND (@Id IS NULL OR i.Id = @Id)
          AND (@AnyPatients = 0 OR i.PayerId IN @Patients) AND (@AnyIds = 0 OR i.Id IN @Ids) AND (@AnyNumbers = 0
              OR i.Number IN @Numbers)
          AND {Care.Caseload.Client("i.PayerId")}
        """;

    /// <summary>A page of issued invoices and credit notes, keyset by id (FHIR searches and reads).</summary>
    public static readonly string IssuedSql = $"SELECT {Columns} {IssuedMatch} AND i.Id > @After ORDER BY i.Id {SqlDialect.Limit}";

    public static readonly string IssuedCountSql = $"SELECT COUNT(*) {IssuedMatch}";

    /// <summary>The issued credit notes of some invoices.</summary>
    public static readonly string CreditNotesSql = $"SELECT {Columns} FROM Invoices i WHERE i.PracticeId = @PracticeId AND i.CreditsInvoiceId IN @Ids AND i.State = 'issued'";

    private const string LineColumns =
        "Id, InvoiceId, SessionId, ServiceDate, Charge, SessionKind, DurationMinutes, ShareBasisPoints, NetCents, VatCents, VatRateBasisPoints, CreditsLineId";

    public const string LinesSql = $"SELECT {LineColumns} FROM InvoiceLines WHERE PracticeId = @PracticeId AND InvoiceId IN @Ids ORDER BY InvoiceId, Position";

    public const string PaymentsSql = """
        SELECT Id, InvoiceId, AmountCents, PaidOn, Method, Reference, RecordedAt FROM Payments
        WHERE PracticeId = @PracticeId AND InvoiceId IN @Ids ORDER BY InvoiceId, PaidOn, RecordedAt
        """;

    // Any number of lines in one statement: the lines travel as one JSON array, whose ids are text (unhex makes them the
    // stored blobs, StoredIds).
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string InsertLinesSqlite = """
        INSERT INTO InvoiceLines (Id, PracticeId, InvoiceId, Position, SessionId, CreditsLineId, ServiceDate, Charge,
            SessionKind, DurationMinutes, ShareBasisPoints, NetCents, VatCents, VatRateBasisPoints)
        SELECT unhex(json_extract(value, '$.id'), '-'), @PracticeId, @InvoiceId, json_extract(value, '$.position'),
            unhex(json_extract(value, '$.sessionId'), '-'),
            unhex(json_extract(value, '$.creditsLineId'), '-'), json_extract(value, '$.serviceDate'), json_extract(value,
                '$.charge'), json_extract(value, '$.sessionKind'),
            json_extract(value, '$.durationMinutes'), json_extract(value, '$.shareBasisPoints'), json_extract(value,
                '$.netCents'), json_extract(value, '$.vatCents'),
            json_extract(value, '$.vatRateBasisPoints')
        FROM json_each(@Lines)
        """;

    [SqlDialectOnly(DatabaseProvider.SqlServer)]
    private const string InsertLinesSqlServer = """
        INSERT INTO InvoiceLines (Id, PracticeId, InvoiceId, Position, SessionId, CreditsLineId, ServiceDate, Charge,
            SessionKind, DurationMinutes, ShareBasisPoints, NetCents, VatCents, VatRateBasisPoints)
        SELECT j.Id, @PracticeId, @InvoiceId, j.Position, j.SessionId, j.CreditsLineId, j.ServiceDate, j.Charge,
            j.SessionKind, j.DurationMinutes, j.ShareBasisPoints, j.NetCents, j.VatCents, j.VatRateBasisPoints
        FROM OPENJSON(@Lines) WITH (
            Id UNIQUEIDENTIFIER '$.id', Position INT '$.position', SessionId UNIQUEIDENTIFIER '$.sessionId',
                CreditsLineId UNIQUEIDENTIFIER '$.creditsLineId',
            ServiceDate DATE '$.serviceDate', Charge NVARCHAR(20) '$.charge', SessionKind NVARCHAR(20) '$.sessionKind',
                DurationMinutes INT '$.durationMinutes',
            ShareBasisPoints INT '$.shareBasisPoints', NetCents INT '$.netCents', VatCents INT '$.vatCents',
            VatRateBasisPoints INT '$.vatRateBasisPoints') AS j
        """;

    public const string InsertInvoiceSql = """
        INSERT INTO Invoices (Id, PracticeId, Kind, State, PayerId, PeriodFrom, PeriodTo, CreditsInvoiceId, Reason,
            Number, IssuedOn, DueOn, PayerName,
            PayerAddress, PayerEmail, VatExemption, NetCents, VatCents, CreatedBy, CreatedAt, IssuedAt, Supplier)
        VALUES (@Id, @PracticeId, @Kind, @State, @PayerId, @PeriodFrom, @PeriodTo, @CreditsInvoiceId, @Reason, @Number,
            @IssuedOn, @DueOn, @PayerName,
            @PayerAddress, @PayerEmail, @VatExemption, @NetCents, @VatCents, @CreatedBy, @Now, @IssuedAt, @Supplier)
        """;

    internal sealed record InvoiceRow
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public string State { get; init; } = "";
        public string? Number { get; init; }
        public Guid PayerId { get; init; }
        public DateOnly PeriodFrom { get; init; }
        public DateOnly PeriodTo { get; init; }
        public DateOnly? IssuedOn { get; init; }
        public DateOnly? DueOn { get; init; }
        public Guid? CreditsInvoiceId { get; init; }
        public string? Reason { get; init; }
        public string? PayerName { get; init; }
        public string? PayerAddress { get; init; }
        public string? PayerEmail { get; init; }
        public string? VatExemption { get; init; }
        public int NetCents { get; init; }
        public int VatCents { get; init; }
        public long PaidCents { get; init; }
        public long CreditedCents { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime? IssuedAt { get; init; }

        /// <summary>The practice's details as issued (JSON of <see cref="BillingProfileResponse"/>); null on drafts and
        /// older invoices.</summary>
        public string? Supplier { get; init; }

        public int TotalCents => NetCents + VatCents;

        public int BalanceCents => Document == InvoiceKind.Invoice && Stage == InvoiceState.Issued
            ? TotalCents - (int)PaidCents - (int)CreditedCents : 0;

        /// <summary><see cref="Kind"/> as stored, read.</summary>
        public InvoiceKind Document => ClosedSets.Parse<InvoiceKind>(Kind);

        /// <summary><see cref="State"/> as stored, read.</summary>
        public InvoiceState Stage => ClosedSets.Parse<InvoiceState>(State);
    }

    internal sealed record LineRow
    {
        public Guid Id { get; init; }
        public Guid InvoiceId { get; init; }
        public Guid SessionId { get; init; }
        public DateOnly ServiceDate { get; init; }
        public string Charge { get; init; } = "";
        public string SessionKind { get; init; } = "";
        public int DurationMinutes { get; init; }
        public int ShareBasisPoints { get; init; }
        public int NetCents { get; init; }
        public int VatCents { get; init; }
        public int? VatRateBasisPoints { get; init; }
        public Guid? CreditsLineId { get; init; }

        /// <summary>The line that reverses this one on a credit note.</summary>
        public PricedLine Reversed() => new(SessionId, ServiceDate, ClosedSets.Parse<Charge>(Charge), SessionKind, DurationMinutes,
            ShareBasisPoints, -NetCents, -VatCents, VatRateBasisPoints);

        public InvoiceLineResponse ToResponse() => new(Id, SessionId, ServiceDate, ClosedSets.Parse<Charge>(Charge),
            ClosedSets.Parse<Sessions.SessionKind>(SessionKind),
            DurationMinutes, ShareBasisPoints / 100, NetCents, VatCents, VatRateBasisPoints, CreditsLineId);
    }

    internal sealed record PaymentRow
    {
        public Guid Id { get; init; }
        public Guid InvoiceId { get; init; }
        public int AmountCents { get; init; }
        public DateOnly PaidOn { get; init; }
        public string Method { get; init; } = "";
        public string? Reference { get; init; }
        public DateTime RecordedAt { get; init; }

        public PaymentResponse ToResponse() => new(Id, AmountCents, PaidOn, ClosedSets.Parse<PaymentMethod>(Method),
            Reference, RecordedAt);
    }

    /// <summary>The status of an invoice, the rule <see cref="ListSql"/> filters by.</summary>
    public static InvoiceStatus Status(InvoiceRow row, DateOnly today) => row switch
    {
        { Stage: InvoiceState.Draft } => InvoiceStatus.Draft,
        { Document: InvoiceKind.CreditNote } => InvoiceStatus.Issued,
        _ when row.CreditedCents >= row.TotalCents => InvoiceStatus.Credited,
        _ when row.PaidCents + row.CreditedCents >= row.TotalCents => InvoiceStatus.Paid,
        _ when row.DueOn < today => InvoiceStatus.Overdue,
        _ => InvoiceStatus.Open,
    };

    /// <summary>Stores the lines of an invoice or credit note with one statement, whatever their number.</summary>
    public static Task StoreLinesAsync(DbWrite c, Guid practiceId, Guid invoiceId, IEnumerable<(Guid Id,
        PricedLine Line, Guid? Credits)> lines) =>
        c.ExecuteAsync(c.Provider == DatabaseProvider.SqlServer ? InsertLinesSqlServer : InsertLinesSqlite, new
        {
            PracticeId = practiceId, InvoiceId = invoiceId,
            Lines = StoredJson.Write(lines.Select((l, position) => new
            {
                id = l.Id, position, sessionId = l.Line.SessionId, creditsLineId = l.Credits,
                serviceDate = Infrastructure.Data.DapperTypeHandlers.ToText(
                    l.Line.ServiceDate), charge = l.Line.Charge.Wire(), sessionKind = l.Line.SessionKind,
                durationMinutes = l.Line.DurationMinutes, shareBasisPoints = l.Line.ShareBasisPoints, netCents = l.Line.NetCents, vatCents = l.Line.VatCents,
                vatRateBasisPoints = l.Line.VatRateBasisPoints,
            })),
        });

    /// <summary>An invoice of the practice, whoever's caseload (the operations that change invoices are an
    /// admin's).</summary>
    public static Task<InvoiceRow?> FindAsync(DbSession c, Guid practiceId, Guid id) =>
        c.QuerySingleOrDefaultAsync<InvoiceRow>(GetSql, new { Id = id, PracticeId = practiceId, Caseload = (Guid?)null,
            Portal = (Guid?)null });

    /// <summary>An invoice as the practice sees it, read back inside the unit of work that just wrote it.</summary>
    public static async Task<InvoiceResponse> ReadBackAsync(
        DbSession c, Guid practiceId, Guid id, DateOnly today, IReadOnlyList<UnbilledSession>? unbilled = null)
    {
        var row = await FindAsync(c, practiceId,
            id) ?? throw new InvalidOperationException($"Invoice {id} was just written and is not there.");
        return (await DescribeAsync(c, practiceId, [row], today, unbilled))[0];
    }

    /// <summary>Invoices with their lines and payments: three queries, whatever the number of invoices and
    /// lines.</summary>
    public static async Task<List<InvoiceResponse>> DescribeAsync(DbSession c, Guid practiceId,
        IReadOnlyList<InvoiceRow> rows, DateOnly today, IReadOnlyList<UnbilledSession>? unbilled = null)
    {
        if (rows.Count == 0) return [];
        var ids = rows.Select(r => r.Id).ToList();
        var lines = (await c.QueryAsync<LineRow>(LinesSql, new { PracticeId = practiceId,
            Ids = ids })).ToLookup(l => l.InvoiceId);
        var payments = (await c.QueryAsync<PaymentRow>(PaymentsSql, new { PracticeId = practiceId, Ids = ids }))
            .ToLookup(p => p.InvoiceId);
        return rows.Select(r => new InvoiceResponse(
            r.Id, r.Document, Status(r,
                today), r.Number, r.PayerId, r.PeriodFrom, r.PeriodTo, r.IssuedOn, r.DueOn, r.CreditsInvoiceId, r.Reason,
            r.PayerName is null ? null : new InvoicePayer(r.PayerName, r.PayerAddress ?? "",
                r.PayerEmail), r.VatExemption, r.NetCents, r.VatCents,
            r.TotalCents, (int)r.PaidCents, (int)r.CreditedCents, r.BalanceCents, lines[r.Id].Select(
                l => l.ToResponse()).ToList(),
            payments[r.Id].Select(p => p.ToResponse()).ToList(), unbilled, r.CreatedAt, r.IssuedAt)).ToList();
    }
}
