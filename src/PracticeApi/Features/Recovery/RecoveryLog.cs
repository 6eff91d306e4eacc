using System.Data.Common;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PracticeApi.Features.Clients;
using PracticeApi.Infrastructure;
using PracticeApi.Infrastructure.Audit;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Http;
using PracticeApi.Infrastructure.Security;

namespace PracticeApi.Features.Recovery;

/// <param name="Kind">sober_day (a day kept), setback (a lapse, with what happened and what was learnt) or meeting (a support meeting attended).</param>
/// <param name="Date">The day (yyyy-MM-dd; default today in the practice's time zone); at most 30 days back, never ahead.</param>
/// <param name="WhatHappened">For a setback: what happened, in the client's own words (required).</param>
/// <param name="WhatILearnt">For a setback: what the client takes from it.</param>
/// <param name="Meeting">For a meeting: which one (required), for example "AA Thursday group".</param>
public sealed record RecoveryEntryRequest(string Kind, DateOnly? Date, string? WhatHappened, string? WhatILearnt, string? Meeting);

public sealed record RecoveryEntryResponse(
    Guid Id, Guid ClientId, DateOnly Date, string Kind, string? WhatHappened, string? WhatILearnt, string? Meeting, DateTime CreatedAt);

/// <summary>Where recovery stands today. A setback starts the count of sober days again; it changes nothing in the couple's progress.</summary>
/// <param name="SoberDays">Days since the last setback (or since the first entry), today included.</param>
/// <param name="SoberDaysLogged30">Sober days the client logged in the last 30 days.</param>
/// <param name="Setbacks90">Setbacks in the last 90 days.</param>
/// <param name="Meetings30">Support meetings attended in the last 30 days.</param>
public sealed record RecoverySummary(int SoberDays, DateOnly? LastSetbackOn, int SoberDaysLogged30, int Setbacks90, int Meetings30);

/// <summary>A page of the log with where recovery stands and whom it is shared with (the client's own choice, per couple).</summary>
/// <param name="SharedWithPartner">Whether the log is shared with at least one partner.</param>
/// <param name="SharedWithCoupleIds">The couples whose other partner may read the log.</param>
public sealed record RecoveryLogPage(Guid ClientId, bool SharedWithPartner, IReadOnlyList<Guid> SharedWithCoupleIds, RecoverySummary Summary,
    IReadOnlyList<RecoveryEntryResponse> Items, string? NextCursor);

/// <summary>Shares the log with the other partner of one couple, or stops sharing it there.</summary>
/// <param name="CoupleId">The couple (not closed) whose other partner may read the log; in no other couple is it shared.</param>
public sealed record RecoverySharingRequest(Guid CoupleId, bool SharedWithPartner);

/// <summary>Whether the log is shared with the partner in one couple.</summary>
public sealed record RecoverySharingResponse(Guid CoupleId, Guid PartnerId, bool SharedWithPartner, DateTime? SharedAt);

internal static class RecoveryKinds
{
    public const string SoberDay = "sober_day";
    public const string Setback = "setback";
    public const string Meeting = "meeting";
    public static readonly string[] All = [SoberDay, Setback, Meeting];
}

internal sealed class RecoveryEntryValidator : AbstractValidator<RecoveryEntryRequest>
{
    public RecoveryEntryValidator(TimeProvider clock)
    {
        RuleFor(r => r.Kind).Must(k => RecoveryKinds.All.Contains(k)).WithMessage($"kind must be one of: {string.Join(", ", RecoveryKinds.All)}.");
        // UTC days with a day's slack either side: the store checks the practice's own day.
        RuleFor(r => r.Date).Must(d => d is null || (d <= Couples.CoupleRules.Today(clock).AddDays(1) && d >= Couples.CoupleRules.Today(clock).AddDays(-31)))
            .WithMessage("date is at most 30 days back and never ahead.");
        RuleFor(r => r.WhatHappened).NotEmpty().When(r => r.Kind == RecoveryKinds.Setback).WithMessage("whatHappened is required for a setback.");
        RuleFor(r => r.WhatHappened).Null().When(r => r.Kind != RecoveryKinds.Setback).WithMessage("whatHappened belongs to a setback.");
        RuleFor(r => r.WhatILearnt).Null().When(r => r.Kind != RecoveryKinds.Setback).WithMessage("whatILearnt belongs to a setback.");
        RuleFor(r => r.Meeting).NotEmpty().When(r => r.Kind == RecoveryKinds.Meeting).WithMessage("meeting is required for a meeting.");
        RuleFor(r => r.Meeting).Null().When(r => r.Kind != RecoveryKinds.Meeting).WithMessage("meeting belongs to a meeting.");
        RuleFor(r => r.WhatHappened).MaximumLength(2000);
        RuleFor(r => r.WhatILearnt).MaximumLength(2000);
        RuleFor(r => r.Meeting).MaximumLength(200);
    }
}

internal sealed record RecoveryEntryRow
{
    public Guid Id { get; init; }
    public Guid ClientId { get; init; }
    public DateOnly EntryDate { get; init; }
    public string Kind { get; init; } = "";
    public string? WhatHappened { get; init; }
    public string? WhatILearnt { get; init; }
    public string? Meeting { get; init; }
    public DateTime CreatedAt { get; init; }

    public RecoveryEntryResponse ToResponse() => new(Id, ClientId, EntryDate, Kind, WhatHappened, WhatILearnt, Meeting, CreatedAt);
}

/// <summary>A day and kind of entry, for summaries and progress (no text).</summary>
internal sealed record RecoveryDay
{
    public Guid ClientId { get; init; }
    public DateOnly EntryDate { get; init; }
    public string Kind { get; init; } = "";
}

/// <summary>
/// The recovery log of a client in recovery (seed 000): sober days, setbacks recorded with compassion (what happened, what
/// was learnt) and support meetings. The client keeps it through the portal; the care team reads and may add to it; the
/// partner sees it only while the client chooses to share it.
/// </summary>
internal sealed class RecoveryLogStore(Db db, AuditLog audit, PracticeCalendar calendar)
{
    private const string Columns = "Id, ClientId, EntryDate, Kind, WhatHappened, WhatILearnt, Meeting, CreatedAt";

    // Newest day first.
    private static readonly string ListSql = $"""
        SELECT {Columns} FROM RecoveryEntries
        WHERE PracticeId = @PracticeId AND ClientId = @ClientId
          AND (@BeforeOn IS NULL OR EntryDate < @BeforeOn OR (EntryDate = @BeforeOn AND Id < @BeforeId))
        ORDER BY EntryDate DESC, Id DESC {SqlDialect.Limit}
        """;

    private const string GetSql = $"SELECT {Columns} FROM RecoveryEntries WHERE Id = @Id AND PracticeId = @PracticeId";

    // A client's whole log, for their export.
    private const string OfClientSql = $"SELECT {Columns} FROM RecoveryEntries WHERE PracticeId = @PracticeId AND ClientId = @ClientId ORDER BY EntryDate, Id";

    internal static async Task<List<RecoveryEntryResponse>> OfClientAsync(DbConnection connection, Guid practiceId, Guid clientId, CancellationToken ct) =>
        (await connection.QueryAsync<RecoveryEntryRow>(new CommandDefinition(OfClientSql, new { PracticeId = practiceId, ClientId = clientId }, cancellationToken: ct)))
        .Select(r => r.ToResponse()).ToList();

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
        INSERT INTO RecoveryEntries (Id, PracticeId, ClientId, EntryDate, Kind, WhatHappened, WhatILearnt, Meeting, RecordedBy, CreatedAt)
        VALUES (@Id, @PracticeId, @ClientId, @EntryDate, @Kind, @WhatHappened, @WhatILearnt, @Meeting, @RecordedBy, @Now)
        """;

    // The couples a client shares the log in (PK_RecoveryLogShares: PracticeId, ClientId, CoupleId).
    private const string SharesSql = "SELECT CoupleId, SharedAt FROM RecoveryLogShares WHERE PracticeId = @PracticeId AND ClientId = @ClientId";

    private const string DeleteShareSql = "DELETE FROM RecoveryLogShares WHERE PracticeId = @PracticeId AND ClientId = @ClientId AND CoupleId = @CoupleId";

    private const string InsertShareSql = """
        INSERT INTO RecoveryLogShares (PracticeId, ClientId, CoupleId, SharedAt) VALUES (@PracticeId, @ClientId, @CoupleId, @Now)
        """;

    // The client's couples that are not closed, each with the other partner.
    private const string CouplesSql = """
        SELECT Id AS CoupleId, CASE WHEN PartnerAId = @ClientId THEN PartnerBId ELSE PartnerAId END AS PartnerId FROM Couples
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

    /// <summary>Adds an entry for the client: the caller themselves through the portal, or a client on a therapist's caseload.</summary>
    public async Task<Outcome<RecoveryEntryResponse>> AddAsync(Caller caller, Guid clientId, RecoveryEntryRequest request, CancellationToken ct)
    {
        var date = request.Date ?? calendar.Today;
        if (date > calendar.Today || date < calendar.Today.AddDays(-30)) return Failure.Invalid("date", "date is at most 30 days back and never ahead.");
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await ClientStore.CheckWritableAsync(connection, tx, caller, clientId, ct) is { } unwritable) return unwritable;
        var args = new
        {
            Id = EntityIds.New(), caller.PracticeId, ClientId = clientId, EntryDate = date, request.Kind, WhatHappened = request.WhatHappened?.Trim(),
            WhatILearnt = request.WhatILearnt?.Trim(), Meeting = request.Meeting?.Trim(), RecordedBy = caller.ActorId, calendar.Now,
        };
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, args, tx, cancellationToken: ct));
        }
        catch (DbException e) when (ApiExceptionHandler.IsUniqueViolation(e))
        {
            // UX_RecoveryEntries_SoberDay: one sober day per day, whichever request or instance came first.
            return Failure.Conflict("already-logged", "Day already logged", $"{date:yyyy-MM-dd} is logged as a sober day already.");
        }

        await audit.WriteAsync(connection, tx, caller, new AuditEntry(AuditActions.Create, "recovery_entry", args.Id, [clientId], Detail: request.Kind), ct);
        var row = await connection.QuerySingleAsync<RecoveryEntryRow>(new CommandDefinition(GetSql, args, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return row.ToResponse();
    }

    /// <summary>The log of a client the caller may see (their own, one on their caseload), newest day first.</summary>
    public async Task<Outcome<RecoveryLogPage>> ListAsync(Caller caller, Guid clientId, PageQuery query, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (await ClientStore.FindAsync(connection, null, caller, clientId, ct) is null) return Failure.NotFound("client");
        return await PageAsync(connection, caller, clientId, query, ct);
    }

    /// <summary>
    /// The partner's log, for a portal client, while the partner shares it in this couple. The couple may be left out only
    /// by a client in one open couple.
    /// </summary>
    public async Task<Outcome<RecoveryLogPage>> PartnerAsync(Caller caller, Guid? coupleId, PageQuery query, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var couples = await CouplesOfAsync(connection, caller.PracticeId, caller.ClientId!.Value, ct);
        if (coupleId is null && couples.Count > 1)
        {
            return Failure.Invalid("coupleId", "you are a partner in more than one couple: name the couple whose partner's log you want to read.");
        }

        var couple = coupleId is { } named ? couples.FirstOrDefault(c => c.CoupleId == named) : couples.FirstOrDefault();
        if (couple is null) return Failure.NotFound("couple");
        if (!(await SharesAsync(connection, caller.PracticeId, couple.PartnerId, ct)).ContainsKey(couple.CoupleId))
        {
            return new Failure(StatusCodes.Status403Forbidden, "not-shared", "Recovery log not shared",
                "Your partner has not chosen to share their recovery log with you. Only they can.");
        }

        return await PageAsync(connection, caller, couple.PartnerId, query, ct);
    }

    private async Task<Outcome<RecoveryLogPage>> PageAsync(DbConnection connection, Caller caller, Guid clientId, PageQuery query, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        var (beforeOn, beforeId) = Cursor.DecodeDateAndId(query.Cursor);
        var rows = (await connection.QueryAsync<RecoveryEntryRow>(new CommandDefinition(db.Sql(ListSql), new
        {
            caller.PracticeId, ClientId = clientId, BeforeOn = beforeOn, BeforeId = beforeId, Limit = limit + 1,
        }, cancellationToken: ct))).AsList();
        var summary = (await SummariesAsync(connection, caller.PracticeId, [clientId], calendar.Today, ct)).GetValueOrDefault(clientId) ?? new RecoverySummary(0, null, 0, 0, 0);
        var shares = await SharesAsync(connection, caller.PracticeId, clientId, ct);
        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "recovery_log", clientId, [clientId]), ct);
        var page = Cursor.ToPage(rows, limit, r => [r.EntryDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), r.Id.ToString()],
            r => r.ToResponse());
        // A partner reading the log sees only that it is shared with them, not in which other couples.
        var sharedWith = caller.IsPortal && caller.ClientId != clientId ? [] : shares.Keys.Order().ToList();
        return new RecoveryLogPage(clientId, shares.Count > 0, sharedWith, summary, page.Items, page.NextCursor);
    }

    private static async Task<Dictionary<Guid, DateTime>> SharesAsync(DbConnection connection, Guid practiceId, Guid clientId, CancellationToken ct) =>
        (await connection.QueryAsync<ShareRow>(new CommandDefinition(SharesSql, new { PracticeId = practiceId, ClientId = clientId }, cancellationToken: ct)))
        .ToDictionary(s => s.CoupleId, s => s.SharedAt);

    private static async Task<List<CoupleOfClient>> CouplesOfAsync(DbConnection connection, Guid practiceId, Guid clientId, CancellationToken ct) =>
        (await connection.QueryAsync<CoupleOfClient>(new CommandDefinition(CouplesSql, new { PracticeId = practiceId, ClientId = clientId }, cancellationToken: ct)))
        .ToList();

    /// <summary>For each of the client's open couples, whether the log is shared with the partner there (portal).</summary>
    public async Task<List<RecoverySharingResponse>> SharingAsync(Caller caller, CancellationToken ct)
    {
        var clientId = caller.ClientId!.Value;
        await using var connection = await db.OpenAsync(ct);
        var shares = await SharesAsync(connection, caller.PracticeId, clientId, ct);
        return (await CouplesOfAsync(connection, caller.PracticeId, clientId, ct))
            .Select(c => new RecoverySharingResponse(c.CoupleId, c.PartnerId, shares.ContainsKey(c.CoupleId), shares.TryGetValue(c.CoupleId, out var at) ? at : null))
            .OrderBy(s => s.CoupleId).ToList();
    }

    /// <summary>Shares the log with the partner in one open couple, or stops sharing it there; only the client decides (portal).</summary>
    public async Task<Outcome<RecoverySharingResponse>> SetSharingAsync(Caller caller, RecoverySharingRequest request, CancellationToken ct)
    {
        var clientId = caller.ClientId!.Value;
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var couple = (await connection.QueryAsync<CoupleOfClient>(new CommandDefinition(CouplesSql, new { caller.PracticeId, ClientId = clientId }, tx,
            cancellationToken: ct))).FirstOrDefault(c => c.CoupleId == request.CoupleId);
        if (couple is null) return Failure.NotFound("couple");

        var args = new { caller.PracticeId, ClientId = clientId, request.CoupleId, calendar.Now };
        await connection.ExecuteAsync(new CommandDefinition(DeleteShareSql, args, tx, cancellationToken: ct));
        if (request.SharedWithPartner) await connection.ExecuteAsync(new CommandDefinition(InsertShareSql, args, tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, caller, new AuditEntry(AuditActions.Update, "recovery_log", clientId, [clientId],
            Detail: request.SharedWithPartner ? $"shared with the partner in couple {couple.CoupleId}" : $"not shared in couple {couple.CoupleId}"), ct);
        await tx.CommitAsync(ct);
        return new RecoverySharingResponse(couple.CoupleId, couple.PartnerId, request.SharedWithPartner, request.SharedWithPartner ? calendar.Now : null);
    }

    /// <summary>Where each client's recovery stands on <paramref name="today"/>, in two queries whatever the number of clients.</summary>
    internal static async Task<Dictionary<Guid, RecoverySummary>> SummariesAsync(DbConnection connection, Guid practiceId, IReadOnlyList<Guid> clientIds,
        DateOnly today, CancellationToken ct)
    {
        var args = new { PracticeId = practiceId, ClientIds = clientIds, Since = today.AddDays(-89), Until = today };
        var days = (await connection.QueryAsync<RecoveryDay>(new CommandDefinition(DaysSql, args, cancellationToken: ct))).ToLookup(d => d.ClientId);
        var spans = (await connection.QueryAsync<SpanRow>(new CommandDefinition(FirstAndLastSetbackSql, args, cancellationToken: ct))).ToDictionary(s => s.ClientId);
        // Only clients who keep a log have a summary.
        return clientIds.Where(spans.ContainsKey).Distinct().ToDictionary(id => id, id =>
        {
            var mine = days[id].ToList();
            var span = spans.GetValueOrDefault(id);
            var soberSince = span is null ? (DateOnly?)null : span.LastSetbackOn is { } setback ? setback.AddDays(1) : span.FirstOn;
            return new RecoverySummary(
                soberSince is { } since && since <= today ? today.DayNumber - since.DayNumber + 1 : 0,
                span?.LastSetbackOn,
                mine.Count(d => d.Kind == RecoveryKinds.SoberDay && d.EntryDate > today.AddDays(-30)),
                mine.Count(d => d.Kind == RecoveryKinds.Setback),
                mine.Count(d => d.Kind == RecoveryKinds.Meeting && d.EntryDate > today.AddDays(-30)));
        });
    }
}

public static class RecoveryLogApi
{
    public static IEndpointRouteBuilder MapRecoveryLog(this IEndpointRouteBuilder routes)
    {
        var portal = routes.MapGroup("/api/v1/me").WithTags("Client portal").RequireAuthorization(Policies.Portal);
        portal.MapPost("/recovery-log", async (RecoveryEntryRequest request, Caller caller, RecoveryLogStore store, CancellationToken ct) =>
                (await store.AddAsync(caller, caller.ClientId!.Value, request, ct)).ToCreated(_ => "/api/v1/me/recovery-log"))
            .WithName("AddMyRecoveryEntry").WithSummary("Log a sober day, a setback (what happened, what I learnt) or a support meeting.")
            .WithDescription("A setback starts the count of sober days again and is shown to the care team as a signal to talk about; it " +
                             "never changes the couple's progress in repair. Days up to 30 back can be logged; one sober day per day.")
            .Validate<RecoveryEntryRequest>().ProducesProblems(409);
        portal.MapGet("/recovery-log", async (Caller caller, [AsParameters] PageQuery query, RecoveryLogStore store, CancellationToken ct) =>
                (await store.ListAsync(caller, caller.ClientId!.Value, query, ct)).ToOk())
            .WithName("GetMyRecoveryLog").WithSummary("My recovery log, newest day first, with my sober days, setbacks and meetings so far.")
            .Validate<PageQuery>();
        portal.MapGet("/recovery-log/sharing", async (Caller caller, RecoveryLogStore store, CancellationToken ct) =>
                TypedResults.Ok(await store.SharingAsync(caller, ct)))
            .WithName("GetMyRecoveryLogSharing").WithSummary("For each of my couples, my partner there and whether I share my recovery log with them.");
        portal.MapPut("/recovery-log/sharing", async (RecoverySharingRequest request, Caller caller, RecoveryLogStore store, CancellationToken ct) =>
                (await store.SetSharingAsync(caller, request, ct)).ToOk())
            .WithName("SetMyRecoveryLogSharing")
            .WithSummary("Share my recovery log with my partner in one couple, or stop sharing it there (off until I turn it on).")
            .WithDescription("Sharing names the couple: a client in two couples shares with the partner of the couple named, never with " +
                             "the other. 404 when the couple is not one of mine or is closed.")
            .ProducesProblems(404);
        portal.MapGet("/partner/recovery-log", async (Caller caller, Guid? coupleId, [AsParameters] PageQuery query, RecoveryLogStore store,
                    CancellationToken ct) =>
                (await store.PartnerAsync(caller, coupleId, query, ct)).ToOk())
            .WithName("GetPartnerRecoveryLog")
            .WithSummary("My partner's recovery log, while they share it with me in our couple (403 not-shared otherwise).")
            .WithDescription("coupleId names the couple; it may be left out by a client in one open couple only (400 otherwise).")
            .Validate<PageQuery>().ProducesProblems(403, 404);

        var staff = routes.MapGroup("/api/v1/clients/{id:guid}/recovery-log").WithTags("Support network").RequireAuthorization(Policies.Staff);
        staff.MapGet("/", async (Guid id, [AsParameters] PageQuery query, Caller caller, RecoveryLogStore store, CancellationToken ct) =>
                (await store.ListAsync(caller, id, query, ct)).ToOk())
            .WithName("GetClientRecoveryLog").WithSummary("A client's recovery log with where recovery stands (care team).")
            .Validate<PageQuery>().ProducesProblems(404);
        staff.MapPost("/", async (Guid id, RecoveryEntryRequest request, Caller caller, RecoveryLogStore store, CancellationToken ct) =>
                (await store.AddAsync(caller, id, request, ct)).ToCreated(_ => $"/api/v1/clients/{id}/recovery-log"))
            .WithName("AddClientRecoveryEntry").WithSummary("Record an entry a client reported in session (care team).")
            .Validate<RecoveryEntryRequest>().ProducesProblems(404, 409);
        return routes;
    }
}
