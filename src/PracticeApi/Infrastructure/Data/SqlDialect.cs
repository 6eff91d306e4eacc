namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// The only place where SQLite and SQL Server SQL differ. Queries are written once with the
/// markers below and rewritten (once per query text) for the configured provider.
/// </summary>
public sealed class SqlDialect
{
    /// <summary>Placed after ORDER BY: keeps at most @Limit rows.</summary>
    public const string Limit = "/*LIMIT*/";

    /// <summary>Placed after a table alias in a check-then-write transaction: holds the range until commit.</summary>
    public const string LockRange = "/*LOCKRANGE*/";

    /// <summary>Placed after a table alias in a claim: skip rows another instance holds, lock the ones taken.</summary>
    public const string SkipLocked = "/*SKIPLOCKED*/";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _cache = new();

    private SqlDialect(DatabaseProvider provider) => Provider = provider;

    public static SqlDialect Sqlite { get; } = new(DatabaseProvider.Sqlite);
    public static SqlDialect SqlServer { get; } = new(DatabaseProvider.SqlServer);

    public DatabaseProvider Provider { get; }

    public static SqlDialect For(DatabaseProvider provider) =>
        provider == DatabaseProvider.SqlServer ? SqlServer : Sqlite;

    // Every statement of a unit of work passes through here: text without a marker (most) is answered after one
    // vectorised scan for the markers' common start, without hashing the whole text for the cache.
    public string Sql(string text) => text.Contains("/*", StringComparison.Ordinal) ? _cache.GetOrAdd(text,
        Rewrite) : text;

    /// <summary>Whether a text still holds a marker: SQL that skipped <see cref="Sql"/> (the test suite refuses to run
    /// it).</summary>
    public static bool HasMarker(string text) =>
        text.Contains(Limit, StringComparison.Ordinal) || text.Contains(LockRange,
            StringComparison.Ordinal) || text.Contains(SkipLocked, StringComparison.Ordinal);

    private string Rewrite(string text) => Provider switch
    {
        DatabaseProvider.SqlServer => text.Replace(Limit, "OFFSET 0 ROWS FETCH NEXT @Limit ROWS ONLY")
            .Replace(LockRange, "WITH (UPDLOCK, HOLDLOCK)").Replace(SkipLocked, "WITH (UPDLOCK, READPAST, ROWLOCK)"),
        // SQLite write transactions start IMMEDIATE and are serialised: no hint needed.
        _ => text.Replace(Limit, "LIMIT @Limit").Replace(LockRange, "").Replace(SkipLocked, ""),
    };
}
