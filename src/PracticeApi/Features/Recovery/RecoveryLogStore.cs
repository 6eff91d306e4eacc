
namespace PracticeApi.Features.Recovery;

/// <summary>
/// The recovery log of a client in recovery (seed 000): sober days, setbacks recorded with compassion (what happened,
/// what was learnt) and support meetings. The client keeps it through the portal; the care team reads and may add to
/// it; the partner sees it only while the client chooses to share it.
/// </summary>
internal sealed class RecoveryLogStore(Db db, AuditLog audit, PracticeCalendar calendar)
{
    internal const string Columns = "Id, ClientId, EntryDate, Kind, WhatHappened, WhatILearnt, Meeting, CreatedAt";

    // Newest day first.
    private static readonly string ListSql = $"""
        SELECT {Columns} FROM RecoveryEntries
        WHERE PracticeId = @PracticeId AND ClientId = @ClientId
          AND (@BeforeOn IS NULL OR EntryDate < @BeforeOn OR (EntryDate = @BeforeOn AND Id < @BeforeId))
        ORDER BY EntryDate DESC, Id DESC {SqlDialect.Limit}
        """;

    private const string GetSql = $"SELECT {Columns} FROM RecoveryEntries WHERE Id = @Id AND PracticeId = @PracticeId";

    // The days of the last 90 days and the last setback before them: enough for every summary figure.
    internal const string DaysSql = """
        SELECT ClientId, EntryDate, Kind FROM RecoveryEntries
        WHERE PracticeId = @PracticeId AND ClientId IN @ClientIds AND EntryDate >= @Since AND EntryDate <= @Until
        """;

    internal const string FirstAndLastSetbackSql = """
        SELECT ClientId, MIN(EntryDate) AS FirstOn, MAX(CASE WHEN Kind = 'setback' THEN EntryDate END) AS LastSetbackOn
        FROM RecoveryEntries WHERE PracticeId = @PracticeId AND ClientId IN @ClientIds AND EntryDate <= @Until
        GROUP BY ClientId
        """;

    private const string InsertSql = """
        INSERT INTO RecoveryEntries (Id, PracticeId, ClientId, EntryDate, Kind, WhatHappened, WhatILearnt, Meeting,
            RecordedBy, CreatedAt)
        VALUES (@Id, @PracticeId, @ClientId, @EntryDate, @Kind, @WhatHappened, @WhatILearnt, @Meeting,
            @RecordedBy, @Now)
        """;

    // The couples a client shares the log in (PK_RecoveryLogShares: PracticeId, ClientId, CoupleId).
    private const string SharesSql = "SELECT CoupleId, SharedAt FROM RecoveryLogShares WHERE PracticeId = @PracticeId AND ClientId = @ClientId";

    private const string DeleteShareSql = "DELETE FROM RecoveryLogShares WHERE PracticeId = @PracticeId AND ClientId = @ClientId AND CoupleId = @CoupleId";

    private const string InsertShareSql = """
        INSERT INTO RecoveryLogShares (PracticeId, ClientId, CoupleId, SharedAt) VALUES (@PracticeId, @ClientId,
            @CoupleId, @Now)
        """;

    // The client's couples that are not closed, each with the other partner.
    private const string CouplesSql = """
        SELECT Id AS CoupleId,
            CASE WHEN PartnerAId = @ClientId THEN PartnerBId ELSE PartnerAId END AS PartnerId FROM Couples
        WHERE PracticeId = @PracticeId AND (PartnerAId = @ClientId OR PartnerBId = @ClientId) AND Status <> 'closed'
        """;

    private sealed record ShareRow
    {
        public Guid CoupleId { get; init; }
        public DateTime SharedAt { get; init; }
    }

    private sealed record CoupleOfClient
    {
        public Guid CoupleId { get; init; }
        public Guid PartnerId { get; init; }
    }

    internal sealed record SpanRow
    {
        public Guid ClientId { get; init; }
        public DateOnly FirstOn { get; init; }
        public DateOnly? LastSetbackOn { get; init; }
    }

    /// <summary>Adds an entry for the client: the caller themselves through the portal, or a client on a therapist's
    /// caseload.</summary>
    public async Task<Outcome<RecoveryEntryResponse>> AddAsync(Caller caller, Guid clientId,
        RecoveryEntryRequest request, CancellationToken ct)
    {
        var date = request.Date ?? calendar.Today;
        if (date > calendar.Today || date < calendar.Today.AddDays(-30)) return Failure.Invalid("date",
            "date is at most 30 days back and never ahead.");
        await using var c = await db.BeginWriteAsync(ct);
        if (await CareRules.CheckWritableAsync(c, caller, clientId) is { } unwritable) return unwritable;
        var args = new
        {
            Id = EntityIds.New(), caller.PracticeId, ClientId = clientId, EntryDate = date, Kind = request.Kind.Wire(), WhatHappened = request.WhatHappened?.Trim(),
            WhatILearnt = request.WhatILearnt?.Trim(), Meeting = request.Meeting?.Trim(), RecordedBy = caller.ActorId, calendar.Now,
        };
        if (!await c.ExecuteOnceAsync(InsertSql, args))
        {
            // UX_RecoveryEntries_SoberDay: one sober day per day, whichever request or instance came first.
            return Failure.Conflict("already-logged", "Day already logged",
                $"{date:yyyy-MM-dd} is logged as a sober day already.");
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "recovery_entry", args.Id, [clientId],
            Detail: request.Kind.Wire()));
        var row = await c.QuerySingleAsync<RecoveryEntryRow>(GetSql, args);
        await c.CommitAsync();
        return row.ToResponse();
    }

    /// <summary>The log of a client the caller may see (their own, one on their caseload), newest day first.</summary>
    public async Task<Outcome<RecoveryLogPage>> ListAsync(Caller caller, Guid clientId, PageQuery query,
        CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        return await PageAsync(c, caller, clientId, query, ct);
    }

    /// <summary>
    /// The partner's log, for a portal client, while the partner shares it in this couple. The couple may be left out
    /// only by a client in one open couple.
    /// </summary>
    public async Task<Outcome<RecoveryLogPage>> PartnerAsync(Caller caller, Guid? coupleId, PageQuery query,
        CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var couples = await CouplesOfAsync(c, caller.PracticeId, caller.ClientId!.Value, ct);
        if (coupleId is null && couples.Count > 1)
        {
            return Failure.Invalid("coupleId",
                "you are a partner in more than one couple: name the couple whose partner's log you want to read.");
        }

        var couple = coupleId is { } named
            ? couples.FirstOrDefault(c => c.CoupleId == named) : couples.FirstOrDefault();
        if (couple is null) return Failure.NotFound("couple");
        if (!(await SharesAsync(c, caller.PracticeId, couple.PartnerId, ct)).ContainsKey(couple.CoupleId))
        {
            return new Failure(StatusCodes.Status403Forbidden, "not-shared", "Recovery log not shared",
                "Your partner has not chosen to share their recovery log with you. Only they can.");
        }

        return await PageAsync(c, caller, couple.PartnerId, query, ct);
    }

    private async Task<Outcome<RecoveryLogPage>> PageAsync(DbSession c, Caller caller, Guid clientId, PageQuery query,
        CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        var (beforeOn, beforeId) = Cursor.DecodeDateAndId(query.Cursor);
        var rows = await c.QueryAsync<RecoveryEntryRow>(ListSql, new
        {
            caller.PracticeId, ClientId = clientId, BeforeOn = beforeOn, BeforeId = beforeId, Limit = limit + 1,
        });
        var summary = (await RecoveryReads.SummariesAsync(c, caller.PracticeId, [clientId], calendar.Today, ct))
            .GetValueOrDefault(clientId) ?? new RecoverySummary(0, null, 0, 0, 0);
        var shares = await SharesAsync(c, caller.PracticeId, clientId, ct);
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "recovery_log", clientId, [clientId]), ct);
        var page = Cursor.ToPage(rows, limit, r => [r.EntryDate.ToString("yyyy-MM-dd",
            System.Globalization.CultureInfo.InvariantCulture), r.Id.ToString()], r => r.ToResponse());
        // A partner reading the log sees only that it is shared with them, not in which other couples.
        var sharedWith = caller.IsPortal && caller.ClientId != clientId ? [] : shares.Keys.Order().ToList();
        return new RecoveryLogPage(clientId, shares.Count > 0, sharedWith, summary, page.Items, page.NextCursor);
    }

    private static async Task<Dictionary<Guid, DateTime>> SharesAsync(DbSession c, Guid practiceId, Guid clientId,
        CancellationToken ct) =>
        (await c.QueryAsync<ShareRow>(SharesSql, new { PracticeId = practiceId, ClientId = clientId }))
        .ToDictionary(s => s.CoupleId, s => s.SharedAt);

    private static async Task<List<CoupleOfClient>> CouplesOfAsync(DbSession c, Guid practiceId, Guid clientId,
        CancellationToken ct) =>
        (await c.QueryAsync<CoupleOfClient>(CouplesSql, new { PracticeId = practiceId, ClientId = clientId }))
        .ToList();

    /// <summary>For each of the client's open couples, whether the log is shared with the partner there
    /// (portal).</summary>
    public async Task<List<RecoverySharingResponse>> SharingAsync(Caller caller, CancellationToken ct)
    {
        var clientId = caller.ClientId!.Value;
        await using var c = await db.BeginReadAsync(ct);
        var shares = await SharesAsync(c, caller.PracticeId, clientId, ct);
        return (await CouplesOfAsync(c, caller.PracticeId, clientId, ct))
            .Select(c => new RecoverySharingResponse(c.CoupleId, c.PartnerId, shares.ContainsKey(c.CoupleId),
            shares.TryGetValue(c.CoupleId, out var at) ? at : null))
            .OrderBy(s => s.CoupleId).ToList();
    }

    /// <summary>Shares the log with the partner in one open couple, or stops sharing it there; only the client decides
    /// (portal).</summary>
    public async Task<Outcome<RecoverySharingResponse>> SetSharingAsync(Caller caller, RecoverySharingRequest request,
        CancellationToken ct)
    {
        var clientId = caller.ClientId!.Value;
        await using var c = await db.BeginWriteAsync(ct);
        var couple = (await c.QueryAsync<CoupleOfClient>(CouplesSql, new { caller.PracticeId, ClientId = clientId }))
            .FirstOrDefault(c => c.CoupleId == request.CoupleId);
        if (couple is null) return Failure.NotFound("couple");

        var args = new { caller.PracticeId, ClientId = clientId, request.CoupleId, calendar.Now };
        await c.ExecuteAsync(DeleteShareSql, args);
        if (request.SharedWithPartner) await c.ExecuteAsync(InsertShareSql, args);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "recovery_log", clientId, [clientId],
            Detail: request.SharedWithPartner
                ? $"shared with the partner in couple {couple.CoupleId}" : $"not shared in couple {couple.CoupleId}"));
        await c.CommitAsync();
        return new RecoverySharingResponse(couple.CoupleId, couple.PartnerId, request.SharedWithPartner,
            request.SharedWithPartner ? calendar.Now : null);
    }
}
