namespace PracticeApi.Features.Exercises;

/// <summary>
/// The exercise templates as other features read them: one version (current or exact), and which ids a practice may use
/// (built in or its own). Writing a template is <see cref="TemplateStore"/>'s own.
/// </summary>
internal static class TemplateReads
{
    public const string Columns = """
        t.Id, t.PracticeId, t.[Key], t.IsBuiltIn, t.CurrentVersion, v.Version, v.TitleEn, v.TitleNl, v.InstructionsEn,
            v.InstructionsNl,
        v.Audience, v.Cadence, v.EstimatedMinutes, v.Steps, v.Conjoint, v.Fields, v.CreatedAt
        """;

    // The practice's own templates and the product's built-ins (PracticeId = the all-zero id).
    public const string Mine = "t.PracticeId IN (@PracticeId, @Product)";

    private const string ListSql = $"""
        SELECT {Columns} FROM ExerciseTemplates t
        JOIN ExerciseTemplateVersions v ON v.TemplateId = t.Id AND v.Version = t.CurrentVersion
        WHERE {Mine} AND t.Id > @After
          AND (@Audience IS NULL OR v.Audience = @Audience) AND (@StepPattern IS NULL OR v.Steps LIKE @StepPattern)
        ORDER BY t.Id {SqlDialect.Limit}
        """;

    private const string CountSql = $"SELECT COUNT(*) FROM ExerciseTemplates t WHERE {Mine}";

    /// <summary>A page of the templates the practice may use (its own and the built-in ones), by id.</summary>
    public static Task<List<TemplateRow>> ListAsync(DbSession c, Guid practiceId, TemplateListQuery query,
        CancellationToken ct) =>
        c.QueryAsync<TemplateRow>(ListSql, new
        {
            PracticeId = practiceId, Product = BuiltInCatalogue.ProductPracticeId, After = Cursor.After(
                query.Cursor), Audience = query.Audience?.Wire(),
            StepPattern = query.Step is { } step
                ? TemplateSteps.Pattern(step) : null, Limit = query.EffectiveLimit() + 1,
        });

    /// <summary>How many templates the practice may use: FHIR's _total=accurate.</summary>
    public static Task<int> CountAsync(DbSession c, Guid practiceId, CancellationToken ct) =>
        c.ExecuteScalarAsync<int>(CountSql, new { PracticeId = practiceId,
            Product = BuiltInCatalogue.ProductPracticeId });

    private const string GetSql = $"""
        SELECT {Columns} FROM ExerciseTemplates t
        JOIN ExerciseTemplateVersions v ON v.TemplateId = t.Id AND v.Version = COALESCE(@Version, t.CurrentVersion)
        WHERE t.Id = @Id AND {Mine}
        """;

    public static Task<TemplateRow?> FindAsync(DbSession c, Guid practiceId, Guid id, int? version,
        CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<TemplateRow>(GetSql, new { Id = id, PracticeId = practiceId,
            Product = BuiltInCatalogue.ProductPracticeId, Version = version });

    private const string ReachableSql = $"SELECT t.Id FROM ExerciseTemplates t WHERE t.Id IN @Ids AND {Mine}";

    /// <summary>Which of these template ids the practice can use (built in or its own), in one query.</summary>
    public static async Task<IReadOnlySet<Guid>> ReachableAsync(DbSession c, Guid practiceId,
        IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        ids.Count == 0
            ? new HashSet<Guid>()
            : (await c.QueryAsync<Guid>(ReachableSql, new { Ids = ids, PracticeId = practiceId,
                Product = BuiltInCatalogue.ProductPracticeId })).ToHashSet();

    /// <summary>The templates (exact versions) of some assignments, one query per distinct template.</summary>
    public static async Task<Dictionary<(Guid, int), TemplateRow>> VersionsAsync(DbSession c, Guid practiceId,
        IEnumerable<(Guid TemplateId, int Version)> versions, CancellationToken ct)
    {
        var templates = new Dictionary<(Guid, int), TemplateRow>();
        foreach (var (templateId, version) in versions.Distinct())
        {
            templates[(templateId, version)] = (await FindAsync(c, practiceId, templateId, version, ct))!;
        }

        return templates;
    }
}
