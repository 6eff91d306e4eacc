namespace PracticeApi.Features.Invoicing;

/// <summary>
/// What invoicing is set up with: the practice's fee schedule versions and the details it prints, each client's billing
/// details, and who pays a couple's sessions. Admins set them; every change is audited.
/// </summary>
internal sealed class BillingSetup(Db db, AuditLog audit, PracticeCalendar calendar)
{
    private const string ScheduleColumns =
        "Id, ValidFrom, Fees, LateCancelCents, NoShowCents, VatRateBasisPoints, VatExemption, PaymentTermDays, CreatedAt";

    private const string SchedulesSql = $"SELECT {ScheduleColumns} FROM FeeSchedules WHERE PracticeId = @PracticeId ORDER BY ValidFrom";

    private const string ScheduleSql = $"SELECT {ScheduleColumns} FROM FeeSchedules WHERE Id = @Id AND PracticeId = @PracticeId";

    private const string InsertScheduleSql = """
        INSERT INTO FeeSchedules (Id, PracticeId, ValidFrom, Fees, LateCancelCents, NoShowCents, VatRateBasisPoints,
            VatExemption, PaymentTermDays, CreatedBy, CreatedAt)
        VALUES (@Id, @PracticeId, @ValidFrom, @Fees, @LateCancelCents, @NoShowCents, @VatRateBasisPoints,
            @VatExemption, @PaymentTermDays, @CreatedBy, @Now)
        """;

    private const string ProfileColumns = "LegalName, Address, Email, Iban, KvkNumber, AgbCode, BigNumber, VatNumber, UpdatedAt";

    internal const string ProfileSql = $"SELECT {ProfileColumns} FROM PracticeBillingProfiles WHERE PracticeId = @PracticeId";

    private const string UpdateProfileSql = """
        UPDATE PracticeBillingProfiles SET LegalName = @LegalName, Address = @Address, Email = @Email, Iban = @Iban,
            KvkNumber = @KvkNumber, AgbCode = @AgbCode, BigNumber = @BigNumber, VatNumber = @VatNumber, UpdatedAt = @Now
        WHERE PracticeId = @PracticeId
        """;

    private const string InsertProfileSql = """
        INSERT INTO PracticeBillingProfiles (PracticeId, LegalName, Address, Email, Iban, KvkNumber, AgbCode,
            BigNumber, VatNumber, UpdatedAt)
        VALUES (@PracticeId, @LegalName, @Address, @Email, @Iban, @KvkNumber, @AgbCode, @BigNumber, @VatNumber, @Now)
        """;

    internal const string DetailsSql = "SELECT ClientId, Name, Address, Email, UpdatedAt FROM BillingDetails WHERE PracticeId = @PracticeId AND ClientId = @ClientId";

    private const string UpdateDetailsSql = """
        UPDATE BillingDetails SET Name = @Name, Address = @Address, Email = @Email,
            UpdatedAt = @Now WHERE PracticeId = @PracticeId AND ClientId = @ClientId
        """;

    private const string InsertDetailsSql = """
        INSERT INTO BillingDetails (PracticeId, ClientId, Name, Address, Email, UpdatedAt) VALUES (@PracticeId,
            @ClientId, @Name, @Address, @Email, @Now)
        """;

    private const string CoupleBillingSql = "SELECT CoupleId, PayerId, UpdatedAt FROM CoupleBilling WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId";

    private const string UpdateCoupleBillingSql = "UPDATE CoupleBilling SET PayerId = @PayerId, UpdatedAt = @Now WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId";

    private const string InsertCoupleBillingSql = "INSERT INTO CoupleBilling (PracticeId, CoupleId, PayerId, UpdatedAt) VALUES (@PracticeId, @CoupleId, @PayerId, @Now)";

    internal sealed record ScheduleRow
    {
        public Guid Id { get; init; }
        public DateOnly ValidFrom { get; init; }
        public string Fees { get; init; } = "";
        public int LateCancelCents { get; init; }
        public int NoShowCents { get; init; }
        public int? VatRateBasisPoints { get; init; }
        public string? VatExemption { get; init; }
        public int PaymentTermDays { get; init; }
        public DateTime CreatedAt { get; init; }

        public FeeScheduleResponse ToResponse() => new(Id, ValidFrom, StoredJson.Read<List<FeeLine>>(Fees),
            LateCancelCents, NoShowCents, VatRateBasisPoints, VatExemption, PaymentTermDays, CreatedAt);
    }

    private sealed record CoupleBillingRow
    {
        public Guid CoupleId { get; init; }
        public Guid? PayerId { get; init; }
        public DateTime UpdatedAt { get; init; }
    }

    /// <summary>Every fee schedule version, oldest first (a practice keeps a handful).</summary>
    public static async Task<FeeBook> FeeBookAsync(DbSession c, Guid practiceId) =>
        new((await c.QueryAsync<ScheduleRow>(SchedulesSql, new { PracticeId = practiceId }))
            .Select(r => r.ToResponse()).ToList());

    public async Task<IReadOnlyList<FeeScheduleResponse>> SchedulesAsync(Caller caller, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return (await c.QueryAsync<ScheduleRow>(SchedulesSql, new { caller.PracticeId }))
            .Select(r => r.ToResponse()).ToList();
    }

    public async Task<FeeScheduleResponse?> ScheduleAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<ScheduleRow>(ScheduleSql, new { Id = id,
            caller.PracticeId }))?.ToResponse();
    }

    /// <summary>A new version from a date; sessions before it keep the fees of their day. One version per
    /// date.</summary>
    public async Task<Outcome<FeeScheduleResponse>> AddScheduleAsync(Caller caller, FeeScheduleRequest request,
        CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var args = new
        {
            Id = EntityIds.New(), caller.PracticeId, request.ValidFrom, Fees = StoredJson.Write(
                request.Fees), request.LateCancelCents, request.NoShowCents,
            request.VatRateBasisPoints, VatExemption = request.VatExemption?.Trim(), request.PaymentTermDays, CreatedBy = caller.TherapistId, calendar.Now,
        };
        if (!await c.ExecuteOnceAsync(InsertScheduleSql, args))
        {
            return Failure.Conflict("fee-schedule-exists", "A fee schedule starts on this day",
                $"A fee schedule version already takes effect on {request.ValidFrom:yyyy-MM-dd}; choose another day.");
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "fee_schedule", args.Id));
        var row = await c.QuerySingleAsync<ScheduleRow>(ScheduleSql, args);
        await c.CommitAsync();
        return row.ToResponse();
    }

    public async Task<BillingProfileResponse?> ProfileAsync(Caller caller, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return await c.QuerySingleOrDefaultAsync<BillingProfileResponse>(ProfileSql, new { caller.PracticeId });
    }

    public async Task<BillingProfileResponse> SetProfileAsync(Caller caller, BillingProfileRequest request,
        CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var args = new
        {
            caller.PracticeId, LegalName = request.LegalName.Trim(), Address = request.Address.Trim(), request.Email, request.Iban, request.KvkNumber,
            request.AgbCode, request.BigNumber, request.VatNumber, calendar.Now,
        };
        if (await c.ExecuteAsync(UpdateProfileSql, args) == 0) await c.ExecuteAsync(InsertProfileSql, args);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "billing_profile", caller.PracticeId));
        var row = await c.QuerySingleAsync<BillingProfileResponse>(ProfileSql, args);
        await c.CommitAsync();
        return row;
    }

    public async Task<Outcome<BillingDetailsResponse>> DetailsAsync(Caller caller, Guid clientId, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        return await c.QuerySingleOrDefaultAsync<BillingDetailsResponse>(DetailsSql, new { caller.PracticeId,
            ClientId = clientId }) is { } details
            ? details
            : Failure.NotFound("billing details for this client");
    }

    public async Task<Outcome<BillingDetailsResponse>> SetDetailsAsync(Caller caller, Guid clientId,
        BillingDetailsRequest request, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (await CareRules.CheckWritableAsync(c, caller, clientId) is { } unwritable) return unwritable;
        var args = new { caller.PracticeId, ClientId = clientId, Name = request.Name.Trim(), Address = request.Address.Trim(), request.Email, calendar.Now };
        if (await c.ExecuteAsync(UpdateDetailsSql, args) == 0) await c.ExecuteAsync(InsertDetailsSql, args);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "billing_details", clientId, [clientId]));
        var row = await c.QuerySingleAsync<BillingDetailsResponse>(DetailsSql, args);
        await c.CommitAsync();
        return row;
    }

    public async Task<Outcome<CoupleBillingResponse>> CoupleBillingAsync(Caller caller, Guid coupleId,
        CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (await CareRules.CoupleAsync(c, caller, coupleId) is null) return Failure.NotFound("couple");
        return await c.QuerySingleOrDefaultAsync<CoupleBillingRow>(CoupleBillingSql, new { caller.PracticeId,
            CoupleId = coupleId }) is { } row
            ? new CoupleBillingResponse(row.CoupleId, row.PayerId, row.PayerId is null, row.UpdatedAt)
            : Failure.NotFound("billing arrangement for this couple");
    }

    /// <summary>Names the partner who pays the couple's sessions, or splits them 50/50; sessions already invoiced keep
    /// their payer.</summary>
    public async Task<Outcome<CoupleBillingResponse>> SetCoupleBillingAsync(Caller caller, Guid coupleId,
        CoupleBillingRequest request, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (await CareRules.CoupleAsync(c, caller, coupleId) is not { } couple) return Failure.NotFound("couple");
        if (request.PayerId is { } payer && !couple.Partners.Contains(payer)) return Failure.Invalid("payerId",
            "payerId is one of the couple's partners, or null to split.");
        var args = new { caller.PracticeId, CoupleId = coupleId, request.PayerId, calendar.Now };
        if (await c.ExecuteAsync(UpdateCoupleBillingSql, args) == 0) await c.ExecuteAsync(InsertCoupleBillingSql, args);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "couple_billing", coupleId,
            couple.Partners));
        await c.CommitAsync();
        return new CoupleBillingResponse(coupleId, request.PayerId, request.PayerId is null, calendar.Now);
    }
}
