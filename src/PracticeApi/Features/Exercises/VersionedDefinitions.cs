namespace PracticeApi.Features.Exercises;

/// <summary>The columns every versioned definition has: which one, whose, and which version of it this row
/// is.</summary>
internal abstract record VersionedRow
{
    public Guid Id { get; init; }
    public Guid PracticeId { get; init; }
    public string Key { get; init; } = "";
    public bool IsBuiltIn { get; init; }
    public int CurrentVersion { get; init; }
    public int Version { get; init; }
    public string TitleEn { get; init; } = "";
    public string TitleNl { get; init; } = "";
}

/// <summary>
/// What the shared create and update need of one kind of definition: its names, its key check (bound with @PracticeId,
/// @Product and @Key), a check of the request against the database, how a version is written (id, version, the version
/// stored now or 0) and how the definition reads back.
/// </summary>
internal sealed record DefinitionKind<TRow>(
    string Name, string NotFoundName, string ResourceType, string KeyTakenSql,
    Func<DbWrite, Task<Failure?>> Check,
    Func<DbWrite, Guid, int, int, Task> WriteVersion,
    Func<DbWrite, Guid, Task<TRow?>> Find)
    where TRow : VersionedRow;

/// <summary>
/// What exercise templates and programs share: the product's built-in definitions, kept in the database beside the
/// practices' own (PracticeId = the all-zero id) and versioned; a practice's own are changed by new versions, built-ins
/// never.
/// </summary>
internal static class VersionedDefinitions
{
    /// <summary>A practice's own definition, version 1, if its key is free among the practice's and the
    /// built-ins.</summary>
    public static async Task<Outcome<TRow>> CreateAsync<TRow>(Db db, AuditLog audit, Caller caller, string key,
        DefinitionKind<TRow> kind, CancellationToken ct) where TRow : VersionedRow
    {
        var id = EntityIds.New();
        await using var c = await db.BeginWriteAsync(ct);
        var taken = await c.QueryFirstOrDefaultAsync<Guid?>(kind.KeyTakenSql, new { caller.PracticeId,
            Product = BuiltInCatalogue.ProductPracticeId, Key = key });
        if (taken is not null) return KeyInUse(kind.Name, key);
        if (await kind.Check(c) is { } failure) return failure;

        await kind.WriteVersion(c, id, 1, 0);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, kind.ResourceType, id));
        var row = await kind.Find(c, id);
        await c.CommitAsync();
        return row!;
    }

    /// <summary>A change is a new version (what was made from an earlier one keeps it); built-ins are
    /// read-only.</summary>
    public static async Task<Outcome<TRow>> UpdateAsync<TRow>(Db db, AuditLog audit, Caller caller, Guid id,
        string key, int? expected, DefinitionKind<TRow> kind, CancellationToken ct) where TRow : VersionedRow
    {
        await using var c = await db.BeginWriteAsync(ct);
        var current = await kind.Find(c, id);
        if (current is null) return Failure.NotFound(kind.NotFoundName);
        if (current.IsBuiltIn) return ReadOnly(kind.Name);
        if (expected is not null && expected != current.CurrentVersion) return Failure.Stale;
        if (key != current.Key) return Failure.Invalid("key", $"a {kind.Name}'s key cannot change.");
        if (await kind.Check(c) is { } failure) return failure;

        var next = current.CurrentVersion + 1;
        await kind.WriteVersion(c, id, next, current.CurrentVersion);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, kind.ResourceType, id,
            Detail: $"version {next}"));
        var row = await kind.Find(c, id);
        await c.CommitAsync();
        return row!;
    }

    private sealed record VersionRow
    {
        public Guid Id { get; init; }
        public int CurrentVersion { get; init; }
    }

    /// <summary>Writes the built-in definitions (and new versions of them) that this database does not hold yet, in one
    /// transaction.</summary>
    /// <param name="versionsSql">Selects Id and CurrentVersion of the stored built-ins (bound with @Product).</param>
    /// <param name="write">Writes one definition: (c, transaction, id, definition, the version stored now or
    /// 0).</param>
    public static async Task EnsureBuiltInsAsync<T>(Db db, string versionsSql, IEnumerable<T> definitions, Func<T,
        Guid> idOf, Func<T, int> versionOf, Func<DbWrite, Guid, T, int, Task> write, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var present = (await c.QueryAsync<VersionRow>(versionsSql,
            new { Product = BuiltInCatalogue.ProductPracticeId })).ToDictionary(r => r.Id, r => r.CurrentVersion);
        foreach (var definition in definitions)
        {
            var id = idOf(definition);
            present.TryGetValue(id, out var current);
            if (current >= versionOf(definition)) continue;
            await write(c, id, definition, current);
        }

        await c.CommitAsync();
    }

    /// <param name="kind">"template" or "program".</param>
    public static Failure KeyInUse(string kind, string key) =>
        Failure.Conflict("duplicate-key", $"{Capitalised(kind)} key in use",
            $"A {kind} with key '{key}' already exists; change it with PUT instead.");

    public static Failure ReadOnly(string kind) =>
        new(StatusCodes.Status403Forbidden, "read-only", $"Built-in {kind}s are read-only",
            $"Built-in {kind}s ship with the product. Create a {kind} of your own (POST) to adapt one.");

    private static string Capitalised(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
