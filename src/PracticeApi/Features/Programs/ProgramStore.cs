using PracticeApi.Features.Couples;
using PracticeApi.Features.Exercises;

namespace PracticeApi.Features.Programs;

/// <summary>Programs (built-in and the practice's own, versioned) and couples' enrolments in them.</summary>
internal sealed class ProgramStore(Db db, AuditLog audit, PracticeCalendar calendar, ProgramPlans plans,
    CareChanges changes)
{
    private const string Columns = """
        p.Id, p.PracticeId, p.[Key], p.IsBuiltIn, p.CurrentVersion, v.Version, v.TitleEn, v.TitleNl, v.DescriptionEn,
            v.DescriptionNl, v.Items, v.CreatedAt
        """;

    // The practice's own programs and the product's built-ins (PracticeId = the all-zero id).
    private const string Mine = "p.PracticeId IN (@PracticeId, @Product)";

    internal const string GetSql = $"""
        SELECT {Columns} FROM Programs p
        JOIN ProgramVersions v ON v.ProgramId = p.Id AND v.Version = COALESCE(@Version, p.CurrentVersion)
        WHERE p.Id = @Id AND {Mine}
        """;

    private const string ListSql = $"""
        SELECT {Columns} FROM Programs p
        JOIN ProgramVersions v ON v.ProgramId = p.Id AND v.Version = p.CurrentVersion
        WHERE {Mine} AND p.Id > @After
        ORDER BY p.Id {SqlDialect.Limit}
        """;

    private const string KeyTakenSql = "SELECT Id FROM Programs WHERE PracticeId IN (@PracticeId, @Product) AND [Key] = @Key";

    private const string InsertProgramSql = """
        INSERT INTO Programs (Id, PracticeId, [Key], CurrentVersion, IsBuiltIn, CreatedAt, UpdatedAt)
        VALUES (@Id, @PracticeId, @Key, @Version, @IsBuiltIn, @Now, @Now)
        """;

    private const string InsertVersionSql = """
        INSERT INTO ProgramVersions (ProgramId, Version, TitleEn, TitleNl, DescriptionEn, DescriptionNl, Items,
            CreatedBy, CreatedAt)
        VALUES (@Id, @Version, @TitleEn, @TitleNl, @DescriptionEn, @DescriptionNl, @Items, @CreatedBy, @Now)
        """;

    private const string BumpSql = "UPDATE Programs SET CurrentVersion = @Version, UpdatedAt = @Now WHERE Id = @Id AND CurrentVersion = @Previous";

    private const string BuiltInVersionsSql = "SELECT Id, CurrentVersion FROM Programs WHERE PracticeId = @Product";

    private const string ActiveEnrolmentSql = """
        SELECT Id FROM ProgramEnrolments WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId
            AND ProgramId = @ProgramId AND Status = 'active'
        """;

    private const string InsertEnrolmentSql = """
        INSERT INTO ProgramEnrolments (Id, PracticeId, CoupleId, ProgramId, ProgramVersion, Status, StartedOn,
            EnrolledBy, CreatedAt)
        VALUES (@Id, @PracticeId, @CoupleId, @ProgramId, @ProgramVersion, 'active', @StartedOn, @EnrolledBy, @Now)
        """;

    private const string StopSql = """
        UPDATE ProgramEnrolments SET Status = 'stopped', EndedAt = @Now WHERE Id = @Id AND PracticeId = @PracticeId
            AND Status = 'active'
        """;

    private const string EnrolmentsSql = $"""
        SELECT {ProgramPlans.EnrolmentColumns} FROM ProgramEnrolments
        WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId
          AND (@AfterAt IS NULL OR CreatedAt > @AfterAt OR (CreatedAt = @AfterAt AND Id > @AfterId))
        ORDER BY CreatedAt, Id {SqlDialect.Limit}
        """;

    /// <summary>Adds the built-in programs (and new versions of them) that this database does not hold yet.</summary>
    public Task EnsureBuiltInsAsync(CancellationToken ct) =>
        VersionedDefinitions.EnsureBuiltInsAsync(db, BuiltInVersionsSql, BuiltInPrograms.All,
            d => BuiltInPrograms.IdFor(d.Key), d => d.Version,
            (c, id, definition, current) => WriteVersionAsync(c, id, BuiltInCatalogue.ProductPracticeId, definition,
                null, current, ct), ct);

    public async Task<ProgramRow?> GetAsync(Guid practiceId, Guid id, int? version, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return await FindAsync(c, practiceId, id, version, ct);
    }

    internal static Task<ProgramRow?> FindAsync(DbSession c, Guid practiceId, Guid id, int? version,
        CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<ProgramRow>(GetSql, new { Id = id, PracticeId = practiceId,
            Product = BuiltInCatalogue.ProductPracticeId, Version = version });

    public async Task<IReadOnlyList<ProgramRow>> ListAsync(Guid practiceId, IdPageQuery query, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return await c.QueryAsync<ProgramRow>(ListSql, new
        {
            PracticeId = practiceId, Product = BuiltInCatalogue.ProductPracticeId, After = Cursor.After(
                query.Cursor), Limit = query.EffectiveLimit() + 1,
        });
    }

    public Task<Outcome<ProgramRow>> CreateAsync(Caller caller, ProgramRequest request, CancellationToken ct) =>
        VersionedDefinitions.CreateAsync(db, audit, caller, request.Key, Kind(caller, request, ct), ct);

    /// <summary>A change is a new version; enrolments keep the version they started with.</summary>
    public Task<Outcome<ProgramRow>> UpdateAsync(Caller caller, Guid id, ProgramRequest request, int? expected,
        CancellationToken ct) =>
        VersionedDefinitions.UpdateAsync(db, audit, caller, id, request.Key, expected, Kind(caller, request, ct), ct);

    private DefinitionKind<ProgramRow> Kind(Caller caller, ProgramRequest request, CancellationToken ct) => new(
        "program", "program", "program", KeyTakenSql,
        (c) => CheckTemplatesAsync(c, caller.PracticeId, request.Items, ct),
        (c, id, version, previous) =>
            WriteVersionAsync(c, id, caller.PracticeId, Definition(request, version), caller.ActorId, previous, ct),
        (c, id) => FindAsync(c, caller.PracticeId, id, null, ct));

    private static async Task<Failure?> CheckTemplatesAsync(DbWrite c, Guid practiceId,
        IReadOnlyList<ProgramItem> items, CancellationToken ct)
    {
        var reachable = await TemplateReads.ReachableAsync(c, practiceId, items.Select(i => i.TemplateId).Distinct()
            .ToList(), ct);
        var unknown = items.Select((item, index) => (item,
            index)).FirstOrDefault(x => !reachable.Contains(x.item.TemplateId));
        return unknown.item is null ? null : Failure.NotFound($"exercise template of items[{unknown.index}]");
    }

    private static ProgramDefinition Definition(ProgramRequest r, int version) =>
        new(r.Key, version, new LocalizedText(r.Title.En.Trim(), r.Title.Nl.Trim()),
            new LocalizedText(r.Description.En.Trim(), r.Description.Nl.Trim()), r.Items);

    private async Task WriteVersionAsync(DbWrite c, Guid id, Guid practiceId, ProgramDefinition d, Guid? createdBy,
        int previous, CancellationToken ct)
    {
        var args = new
        {
            Id = id, PracticeId = practiceId, d.Key, d.Version, IsBuiltIn = practiceId == BuiltInCatalogue.ProductPracticeId, Previous = previous,
            TitleEn = d.Title.En, TitleNl = d.Title.Nl, DescriptionEn = d.Description.En, DescriptionNl = d.Description.Nl,
            Items = StoredJson.Write(d.Items), CreatedBy = createdBy, calendar.Now,
        };
        if (previous == 0) await c.ExecuteAsync(InsertProgramSql, args);
        else await c.ExecuteAsync(BumpSql, args);
        await c.ExecuteAsync(InsertVersionSql, args);
    }

    /// <summary>
    /// Enrols a couple: the program's current version is kept, and every item whose moment has come becomes an
    /// assignment at once (the rest follow on step changes, releases and dates).
    /// </summary>
    public async Task<Outcome<EnrolmentResponse>> EnrolAsync(Caller caller, Guid coupleId, EnrolRequest request,
        CancellationToken ct)
    {
        var id = EntityIds.New();
        await using (var c = await db.BeginWriteAsync(ct))
        {
            var open = await CareRules.OpenCoupleAsync(c, caller, coupleId);
            if (!open.Succeeded) return open.Failure!;
            var program = await FindAsync(c, caller.PracticeId, request.ProgramId, null, ct);
            if (program is null) return Failure.NotFound("program");
            if (await c.QueryFirstOrDefaultAsync<Guid?>(ActiveEnrolmentSql, new { caller.PracticeId,
                CoupleId = coupleId, request.ProgramId }) is { } existing)
            {
                return AlreadyEnrolled(existing);
            }

            if (!await c.ExecuteOnceAsync(InsertEnrolmentSql, new
                {
                    Id = id, caller.PracticeId, CoupleId = coupleId, request.ProgramId, ProgramVersion = program.Version,
                    StartedOn = request.StartsOn is { } start && start > calendar.Today
                        ? start : calendar.Today, EnrolledBy = caller.ActorId, calendar.Now,
                }))
            {
                return AlreadyEnrolled(null); // enrolled at the same moment by another request
            }
            await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "program_enrolment", id,
                open.Value!.Partners, Detail: $"{program.Key} v{program.Version}"));
            await c.CommitAsync();
        }

        // Items whose moment has come are made at once, as after any change to the couple's care.
        await changes.RaiseAsync(new CoupleChanged(caller.PracticeId, coupleId), ct);
        return (await GetEnrolmentsAsync(caller.PracticeId, [id], ct))[0];
    }

    private static Failure AlreadyEnrolled(Guid? existing) =>
        Failure.Conflict("already-enrolled", "Couple already follows this program",
            "Stop the running enrolment first to start the program again.",
            existing is null ? null : new Dictionary<string, object?> { ["enrolmentId"] = existing });

    public async Task<Outcome<EnrolmentResponse>> StopAsync(Caller caller, Guid coupleId, Guid enrolmentId,
        CancellationToken ct)
    {
        await using (var c = await db.BeginWriteAsync(ct))
        {
            var couple = await CoupleReads.FindAsync(c, caller, coupleId, ct);
            var enrolment = couple is null ? null : await ProgramPlans.FindEnrolmentAsync(c, caller.PracticeId,
                enrolmentId, ct);
            if (enrolment is null || enrolment.CoupleId != coupleId) return Failure.NotFound("enrolment");
            if (await c.ExecuteAsync(StopSql, new { Id = enrolmentId, caller.PracticeId, calendar.Now }) == 0)
            {
                return Failure.Conflict("invalid-transition", "Enrolment is not running",
                    $"This enrolment is {enrolment.Status} already.");
            }

            await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "program_enrolment", enrolmentId,
                couple!.Partners, Detail: "stopped"));
            await c.CommitAsync();
        }

        return (await GetEnrolmentsAsync(caller.PracticeId, [enrolmentId], ct))[0];
    }

    public async Task<Page<EnrolmentResponse>?> ListEnrolmentsAsync(Caller caller, Guid coupleId, PageQuery query,
        CancellationToken ct)
    {
        IReadOnlyList<EnrolmentResponse> items;
        IReadOnlyList<Guid> partners;
        await using (var c = await db.BeginReadAsync(ct))
        {
            var couple = await CoupleReads.FindAsync(c, caller, coupleId, ct);
            if (couple is null) return null;
            partners = couple.Partners;
            var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
            var rows = await c.QueryAsync<EnrolmentRow>(EnrolmentsSql, new
            {
                caller.PracticeId, CoupleId = coupleId, AfterAt = afterAt, AfterId = afterId, Limit = query.EffectiveLimit() + 1,
            });
            items = await plans.DescribeAsync(c, caller.PracticeId, rows, ct);
        }

        // Audited after the connection is back in the pool: the audit's group commit can take a while.
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "program_enrolments", coupleId, partners), ct);
        return Cursor.ToPage(items, query.EffectiveLimit(), e => [DapperTypeHandlers.ToText(e.CreatedAt),
            e.Id.ToString()], e => e);
    }

    private async Task<IReadOnlyList<EnrolmentResponse>> GetEnrolmentsAsync(Guid practiceId, IReadOnlyList<Guid> ids,
        CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return await plans.DescribeAsync(c, practiceId, ids, ct);
    }
}
