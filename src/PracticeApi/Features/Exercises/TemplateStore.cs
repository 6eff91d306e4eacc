namespace PracticeApi.Features.Exercises;

internal sealed class TemplateStore(Db db, AuditLog audit, TimeProvider clock)
{
    private const string KeyTakenSql = "SELECT Id FROM ExerciseTemplates WHERE PracticeId IN (@PracticeId, @Product) AND [Key] = @Key";

    private const string InsertTemplateSql = """
        INSERT INTO ExerciseTemplates (Id, PracticeId, [Key], CurrentVersion, IsBuiltIn, CreatedAt, UpdatedAt)
        VALUES (@Id, @PracticeId, @Key, @Version, @IsBuiltIn, @Now, @Now)
        """;

    private const string InsertVersionSql = """
        INSERT INTO ExerciseTemplateVersions (TemplateId, Version, PracticeId, TitleEn, TitleNl, InstructionsEn,
            InstructionsNl, Audience, Cadence, EstimatedMinutes, Steps, Conjoint, Fields, CreatedAt, CreatedBy)
        VALUES (@Id, @Version, @PracticeId, @TitleEn, @TitleNl, @InstructionsEn, @InstructionsNl, @Audience, @Cadence,
                @EstimatedMinutes, @Steps, @Conjoint, @Fields, @Now, @CreatedBy)
        """;

    private const string BumpSql = """
        UPDATE ExerciseTemplates SET CurrentVersion = @Version, UpdatedAt = @Now WHERE Id = @Id
            AND CurrentVersion = @Previous
        """;

    private const string BuiltInVersionsSql = "SELECT Id, CurrentVersion FROM ExerciseTemplates WHERE PracticeId = @Product";

    /// <summary>Adds the built-in templates (and new versions of them) that this database does not hold yet.</summary>
    public Task EnsureBuiltInsAsync(CancellationToken ct) =>
        VersionedDefinitions.EnsureBuiltInsAsync(db, BuiltInVersionsSql, BuiltInCatalogue.All,
            d => BuiltInCatalogue.IdFor(d.Key), d => d.Version,
            (c, id, definition, current) => WriteVersionAsync(c, id, BuiltInCatalogue.ProductPracticeId, definition,
                null, current, ct), ct);

    public async Task<TemplateRow?> GetAsync(Guid practiceId, Guid id, int? version, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return await TemplateReads.FindAsync(c, practiceId, id, version, ct);
    }

    public async Task<IReadOnlyList<TemplateRow>> ListAsync(Guid practiceId, TemplateListQuery query,
        CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return await TemplateReads.ListAsync(c, practiceId, query, ct);
    }

    public Task<Outcome<TemplateRow>> CreateAsync(Caller caller, TemplateRequest request, CancellationToken ct) =>
        VersionedDefinitions.CreateAsync(db, audit, caller, request.Key, Kind(caller, request, ct), ct);

    /// <summary>A change is a new version; assignments keep the version they were made with.</summary>
    public Task<Outcome<TemplateRow>> UpdateAsync(Caller caller, Guid id, TemplateRequest request, int? expected,
        CancellationToken ct) =>
        VersionedDefinitions.UpdateAsync(db, audit, caller, id, request.Key, expected, Kind(caller, request, ct), ct);

    private DefinitionKind<TemplateRow> Kind(Caller caller, TemplateRequest request, CancellationToken ct) => new(
        "template", "exercise template", "exercise_template", KeyTakenSql,
        _ => Task.FromResult<Failure?>(null),
        (c, id, version, previous) =>
            WriteVersionAsync(c, id, caller.PracticeId, Definition(request, version), caller.ActorId, previous, ct),
        (c, id) => TemplateReads.FindAsync(c, caller.PracticeId, id, null, ct));

    private async Task WriteVersionAsync(DbWrite c, Guid id, Guid practiceId, TemplateDefinition d, Guid? createdBy,
        int previous, CancellationToken ct)
    {
        var args = new
        {
            Id = id, PracticeId = practiceId, d.Key, d.Version, IsBuiltIn = practiceId == BuiltInCatalogue.ProductPracticeId, Previous = previous,
            TitleEn = d.Title.En, TitleNl = d.Title.Nl, InstructionsEn = d.Instructions.En, InstructionsNl = d.Instructions.Nl,
            d.Audience, Cadence = d.DefaultCadence, d.EstimatedMinutes, Steps = TemplateSteps.Write(
                d.Steps), d.Conjoint,
            Fields = StoredJson.Write(d.Fields), Now = clock.GetUtcNow().UtcDateTime, CreatedBy = createdBy,
        };
        await c.ExecuteAsync(previous == 0 ? InsertTemplateSql : BumpSql, args);
        await c.ExecuteAsync(InsertVersionSql, args);
    }

    private static TemplateDefinition Definition(TemplateRequest r, int version) =>
        new(r.Key, version, r.Title, r.Instructions, r.Audience.Wire(), r.DefaultCadence.Wire(), r.EstimatedMinutes,
            r.Steps, r.Conjoint, r.Fields);
}
