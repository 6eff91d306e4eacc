namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// SQL Server: whether reads use row versions (READ_COMMITTED_SNAPSHOT), so that a reader never waits behind a writer's
/// locks. The API's reads are short and run at read committed; without row versioning a list page can wait for the
/// whole of a concurrent booking or purge. It is a database setting a migration cannot make (it needs a moment with no
/// other connection), so startup, <c>migrate</c> and <c>/health/ready</c> say when it is off and how to turn it on.
/// SQLite readers never wait behind its writer (WAL): nothing to check.
/// </summary>
public sealed class ReadCommittedSnapshot(Db db)
{
    [SqlDialectOnly(DatabaseProvider.SqlServer)]
    private const string IsOnSql = "SELECT CAST(is_read_committed_snapshot_on AS INT) FROM sys.databases WHERE database_id = DB_ID()";

    /// <summary>What an operator should do, or null when reads already use row versions (or the engine needs
    /// none).</summary>
    public async Task<string?> WarningAsync(CancellationToken ct)
    {
        if (db.Provider != DatabaseProvider.SqlServer) return null;
        await using var c = await db.BeginReadAsync(ct);
        return await c.QuerySingleOrDefaultAsync<int>(IsOnSql) == 1 ? null : Warning;
    }

    public const string Warning =
        "READ_COMMITTED_SNAPSHOT is off: readers wait behind writers' locks. Run once, with no other connection open: " +
        "ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE;";
}
