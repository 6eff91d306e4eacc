using System.Globalization;
using PracticeApi.Features.Couples;

namespace PracticeApi.Features.RepairWork;

/// <summary>The couple's living trust contract: versions of lines, each partner's agreement, monthly
/// evaluations.</summary>
internal sealed class TrustContractStore(Db db, AuditLog audit, PracticeCalendar calendar)
{
    private const string VersionsSql = $"""
        SELECT Id, Version, Lines, CreatedBy, CreatedAt FROM TrustContracts
        WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId AND Version < @Before
        ORDER BY Version DESC {SqlDialect.Limit}
        """;

    private const string AgreementsSql = """
        SELECT Version, ClientId, AgreedAt FROM TrustContractAgreements
        WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId AND Version IN @Versions ORDER BY AgreedAt
        """;

    private const string EvaluationsSql = """
        SELECT Id, Version, ClientId, Month, Ratings, Decisions, SubmittedAt FROM TrustContractEvaluations
        WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId AND Version IN @Versions ORDER BY Month, SubmittedAt
        """;

    private const string InsertSql = """
        INSERT INTO TrustContracts (Id, PracticeId, CoupleId, Version, Lines, CreatedBy, CreatedAt)
        VALUES (@Id, @PracticeId, @CoupleId, @Version, @Lines, @CreatedBy, @Now)
        """;

    private const string AgreeSql = """
        INSERT INTO TrustContractAgreements (PracticeId, CoupleId, Version, ClientId, AgreedAt) VALUES (@PracticeId,
            @CoupleId, @Version, @ClientId, @Now)
        """;

    private const string EvaluateSql = """
        INSERT INTO TrustContractEvaluations (Id, PracticeId, CoupleId, Version, ClientId, Month, Ratings, Decisions,
            SubmittedAt)
        VALUES (@Id, @PracticeId, @CoupleId, @Version, @ClientId, @Month, @Ratings, @Decisions, @Now)
        """;

    private sealed record ContractRow
    {
        public Guid Id { get; init; }
        public int Version { get; init; }
        public string Lines { get; init; } = "[]";
        public Guid? CreatedBy { get; init; }
        public DateTime CreatedAt { get; init; }

        public IReadOnlyList<ContractLine> LineList => StoredJson.Read<List<ContractLine>>(Lines);
    }

    private sealed record AgreementRow
    {
        public int Version { get; init; }
        public Guid ClientId { get; init; }
        public DateTime AgreedAt { get; init; }
    }

    public async Task<Outcome<TrustContractResponse>> GetAsync(Caller caller, Guid coupleId, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var couple = await CoupleAccess.FindAsync(c, caller, coupleId, ct);
        if (couple is null) return Failure.NotFound("couple");
        var contract = (await VersionsAsync(c, caller.PracticeId, coupleId, int.MaxValue, 1, ct)).FirstOrDefault();
        if (contract is null) return NoContract();
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "trust_contract", coupleId,
            couple.Partners), ct);
        return contract;
    }

    /// <summary>Every version, newest first, with its agreements and evaluations.</summary>
    public async Task<Outcome<Page<TrustContractResponse>>> HistoryAsync(Caller caller, Guid coupleId, PageQuery query,
        CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var couple = await CoupleAccess.FindAsync(c, caller, coupleId, ct);
        if (couple is null) return Failure.NotFound("couple");
        var before = Cursor.Decode(query.Cursor, 2) is [var version, "v"] && int.TryParse(version,
            CultureInfo.InvariantCulture, out var v) ? v : int.MaxValue;
        var limit = query.EffectiveLimit();
        var versions = await VersionsAsync(c, caller.PracticeId, coupleId, before, limit + 1, ct);
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "trust_contract", coupleId, couple.Partners,
            Detail: "history"), ct);
        return Cursor.ToPage(versions, limit, c => [c.Version.ToString(CultureInfo.InvariantCulture), "v"], c => c);
    }

    /// <summary>The current version, read to write the next one (the write is the audited act).</summary>
    internal async Task<TrustContractResponse?> CurrentAsync(Guid practiceId, Guid coupleId, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return (await VersionsAsync(c, practiceId, coupleId, int.MaxValue, 1, ct)).FirstOrDefault();
    }

    public async Task<Outcome<TrustContractResponse>> PutAsync(Caller caller, Guid coupleId,
        TrustContractRequest request, int? expected, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var open = await CoupleAccess.FindForChangeAsync(c, caller, coupleId, ct);
        if (!open.Succeeded) return open.Failure!;
        var couple = open.Value!;
        var current = (await VersionsAsync(c, caller.PracticeId, coupleId, int.MaxValue, 1, ct)).FirstOrDefault();
        if (expected is not null && expected != (current?.Version ?? 0)) return Failure.Stale;
        if (await SafetyHold.CheckAsync(c, audit, caller, couple, request.SafetyOverrideReason, "a trust contract",
            "trust_contract", coupleId, ct) is { } held)
        {
            return held;
        }

        var known = current?.Lines.Select(l => l.LineId!.Value).ToHashSet() ?? [];
        if (request.Lines.FirstOrDefault(l => l.LineId is { } id && !known.Contains(id)) is { } stranger)
        {
            return Failure.Invalid("lines",
                $"line {stranger.LineId} is not a line of the current contract; leave lineId out for a new line.");
        }

        var version = (current?.Version ?? 0) + 1;
        var lines = request.Lines.Select(l => l with { LineId = l.LineId ?? EntityIds.New(), Area = l.Area.Trim(),
            Agreement = l.Agreement.Trim(), Measure = l.Measure.Trim() }).ToList();
        await c.ExecuteAsync(InsertSql, new
        {
            Id = Guid.CreateVersion7(), caller.PracticeId, CoupleId = coupleId, Version = version, Lines = StoredJson.Write(lines),
            CreatedBy = caller.ActorId, calendar.Now,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "trust_contract", coupleId,
            couple.Partners, Detail: $"version {version}"));
        var saved = (await VersionsAsync(c, caller.PracticeId, coupleId, int.MaxValue, 1, ct))[0];
        await c.CommitAsync();
        return saved;
    }

    /// <summary>A partner agrees to the current version.</summary>
    public Task<Outcome<TrustContractResponse>> AgreeAsync(Caller caller, Guid coupleId, AgreementRequest request,
        CancellationToken ct) =>
        AsPartnerAsync<TrustContractResponse>(caller, coupleId, request.ClientId, async (c, couple, current) =>
    {
        if (current.Agreements.Any(a => a.ClientId == request.ClientId))
        {
            return Failure.Conflict("already-agreed", "Already agreed",
                $"This partner agreed to version {current.Version} already.");
        }

        if (await SafetyHold.CheckAsync(c, audit, caller, couple, request.SafetyOverrideReason,
            "agreeing to a trust contract", "trust_contract_agreement", coupleId, ct) is { } held)
        {
            return held;
        }

        await c.ExecuteAsync(AgreeSql, new { caller.PracticeId, CoupleId = coupleId, current.Version, request.ClientId,
            calendar.Now });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "trust_contract_agreement", coupleId,
            [request.ClientId], Detail: $"version {current.Version}"));
        return (await VersionsAsync(c, caller.PracticeId, coupleId, int.MaxValue, 1, ct))[0];
    }, ct);

    /// <summary>A partner's monthly evaluation of every line of the current version, with optional keep/adjust/drop
    /// decisions.</summary>
    public Task<Outcome<EvaluationResponse>> EvaluateAsync(Caller caller, Guid coupleId, EvaluationRequest request,
        CancellationToken ct) =>
        AsPartnerAsync<EvaluationResponse>(caller, coupleId, request.ClientId, async (c, couple, current) =>
    {
        if (string.CompareOrdinal(request.Month, calendar.Today.ToString("yyyy-MM", CultureInfo.InvariantCulture)) > 0)
        {
            return Failure.Invalid("month", "a month can be evaluated once it has begun.");
        }

        var lines = current.Lines.Select(l => l.LineId!.Value).ToHashSet();
        if (!lines.SetEquals(request.Ratings.Select(r => r.LineId)))
        {
            return Failure.Invalid("ratings",
                $"rate every line of contract version {current.Version}, and only those.");
        }

        if (request.Decisions?.Any(d => !lines.Contains(d.LineId)) == true) return Failure.Invalid("decisions",
            "decisions name lines of the current contract.");
        var id = EntityIds.New();
        // UX_TrustContractEvaluations_Month: one evaluation per partner and month, whichever request came first.
        if (!await c.ExecuteOnceAsync(EvaluateSql, new
            {
                Id = id, caller.PracticeId, CoupleId = coupleId, current.Version, request.ClientId, request.Month,
                Ratings = StoredJson.Write(request.Ratings.Select(r => r with { Comment = r.Comment?.Trim() })),
                Decisions = StoredJson.Write(request.Decisions ?? []), calendar.Now,
            }))
        {
            return Failure.Conflict("already-evaluated", "Month already evaluated",
                $"This partner evaluated {request.Month} already.");
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "trust_contract_evaluation", id,
            [request.ClientId]));
        return (await VersionsAsync(c, caller.PracticeId, coupleId, int.MaxValue, 1,
            ct))[0].Evaluations.Single(e => e.Id == id);
    }, ct);

    /// <summary>
    /// A partner's action on the current contract, in one transaction: the couple must be reachable, the partner must
    /// be one of its own (through the portal: the caller), and a contract must exist. Commits only when the action
    /// succeeds.
    /// </summary>
    private async Task<Outcome<T>> AsPartnerAsync<T>(Caller caller, Guid coupleId, Guid clientId,
        Func<DbWrite, CoupleRow, TrustContractResponse, Task<Outcome<T>>> action, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var open = await CoupleAccess.FindForChangeAsync(c, caller, coupleId, ct);
        if (!open.Succeeded) return open.Failure!;
        var couple = open.Value!;
        if (CoupleAccess.CheckActingPartner(caller, couple, clientId) is { } notAllowed) return notAllowed;
        var current = (await VersionsAsync(c, caller.PracticeId, coupleId, int.MaxValue, 1, ct)).FirstOrDefault();
        if (current is null) return NoContract();
        var outcome = await action(c, couple, current);
        if (outcome.Succeeded) await c.CommitAsync();
        return outcome;
    }

    private async Task<IReadOnlyList<TrustContractResponse>> VersionsAsync(DbSession c, Guid practiceId, Guid coupleId,
        int before, int limit, CancellationToken ct)
    {
        var rows = (await c.QueryAsync<ContractRow>(VersionsSql, new { PracticeId = practiceId, CoupleId = coupleId,
            Before = before, Limit = limit })).ToList();
        if (rows.Count == 0) return [];
        var versions = rows.Select(r => r.Version).ToList();
        var args = new { PracticeId = practiceId, CoupleId = coupleId, Versions = versions };
        var agreements = (await c.QueryAsync<AgreementRow>(AgreementsSql, args)).ToLookup(a => a.Version);
        var evaluations = (await c.QueryAsync<TrustContractReads.EvaluationRow>(EvaluationsSql,
            args)).ToLookup(e => e.Version);
        return rows.Select(r =>
        {
            var agreed = agreements[r.Version].Select(a => new Agreement(a.ClientId, a.AgreedAt)).ToList();
            return new TrustContractResponse(coupleId, r.Version, r.LineList, agreed, agreed.Select(a => a.ClientId)
                .Distinct().Count() == 2,
                evaluations[r.Version].Select(e => e.ToResponse()).ToList(), r.CreatedBy, r.CreatedAt);
        }).ToList();
    }

    private static Failure NoContract() =>
        Failure.NotFound("trust contract for this couple (write its first version with PUT)");
}
