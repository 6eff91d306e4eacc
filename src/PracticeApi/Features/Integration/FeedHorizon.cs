namespace PracticeApi.Features.Integration;

/// <summary>
/// The change feed's horizon: the first position that may still belong to an uncommitted transaction. The feed reads
/// only below it, so its cursor never passes an event that commits later. On SQL Server that is
/// <c>MIN_ACTIVE_ROWVERSION()</c> (rowversion, unlike IDENTITY, is never assigned to a transaction still open below
/// it); SQLite commits one writer at a time, so everything committed so far is below the horizon.
/// </summary>
public class FeedHorizon(Db db)
{
    [SqlDialectOnly(DatabaseProvider.SqlServer)]
    private const string SqlServerSql = "SELECT CAST(MIN_ACTIVE_ROWVERSION() AS BIGINT)";

    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string SqliteSql = "SELECT COALESCE(MAX(Seq), 0) + 1 FROM OutboxEvents";

    public virtual Task<long> ReadAsync(DbSession c, CancellationToken ct) =>
        c.ExecuteScalarAsync<long>(db.Provider == DatabaseProvider.SqlServer ? SqlServerSql : SqliteSql);
}
