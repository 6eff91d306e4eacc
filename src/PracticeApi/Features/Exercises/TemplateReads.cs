namespace PracticeApi.Features.Exercises;

/// <summary>
/// The exercise templates as other features read them: one version (current or exact), and which ids a practice may use
/// (built in or its own). Writing a template is <see cref="TemplateStore"/>'s own.
/// </summary>
internal static class TemplateReads
{
    private const string GetSql = $"""
        SELECT {TemplateStore.Columns} FROM ExerciseTemplates t
        JOIN ExerciseTemplateVersions v ON v.TemplateId = t.Id AND v.Version = COALESCE(@Version, t.CurrentVersion)
        WHERE t.Id = @Id AND {TemplateStore.Mine}
        """;

    public static Task<TemplateRow?> FindAsync(DbSession c, Guid practiceId, Guid id, int? version, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<TemplateRow>(GetSql, new { Id = id, PracticeId = practiceId, Product = BuiltInCatalogue.ProductPracticeId, Version = version });

    private const string ReachableSql = $"SELECT t.Id FROM ExerciseTemplates t WHERE t.Id IN @Ids AND {TemplateStore.Mine}";

    /// <summary>Which of these template ids the practice can use (built in or its own), in one query.</summary>
    public static async Task<IReadOnlySet<Guid>> ReachableAsync(DbSession c, Guid practiceId, IReadOnlyCollection<Guid> ids,
        CancellationToken ct) =>
        ids.Count == 0
            ? new HashSet<Guid>()
            : (await c.QueryAsync<Guid>(ReachableSql, new { Ids = ids, PracticeId = practiceId, Product = BuiltInCatalogue.ProductPracticeId })).ToHashSet();
}
