namespace PracticeApi.Features.Invoicing;

/// <summary>
/// The practice's invoice numbers: one unbroken sequence per year (yyyy-nnnnn), shared by invoices and credit notes.
/// The next number is taken inside the issuing transaction by incrementing the year's row, which holds a write lock
/// until the transaction ends: a concurrent issue on any instance waits for it, and a rolled-back issue gives its
/// number back. No gap, no duplicate (and a unique index on the number as the last guard).
/// </summary>
internal static class InvoiceNumbers
{
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string EnsureYearSqlite = "INSERT OR IGNORE INTO InvoiceSequences (PracticeId, Year, LastNumber) VALUES (@PracticeId, @Year, 0)";

    // The range lock makes the check and the insert one step against another transaction creating the same year.
    [SqlDialectOnly(DatabaseProvider.SqlServer)]
    private const string EnsureYearSqlServer = """
        INSERT INTO InvoiceSequences (PracticeId, Year, LastNumber)
        SELECT @PracticeId, @Year, 0
        WHERE NOT EXISTS (SELECT 1 FROM InvoiceSequences WITH (UPDLOCK, HOLDLOCK) WHERE PracticeId = @PracticeId
            AND Year = @Year)
        """;

    private const string NextSql = "UPDATE InvoiceSequences SET LastNumber = LastNumber + 1 WHERE PracticeId = @PracticeId AND Year = @Year";

    private const string ReadSql = "SELECT LastNumber FROM InvoiceSequences WHERE PracticeId = @PracticeId AND Year = @Year";

    public static async Task<string> NextAsync(DbWrite c, Guid practiceId, int year)
    {
        var args = new { PracticeId = practiceId, Year = year };
        await c.ExecuteAsync(c.Provider == DatabaseProvider.SqlServer ? EnsureYearSqlServer : EnsureYearSqlite, args);
        await c.ExecuteAsync(NextSql, args);
        var number = await c.QuerySingleAsync<int>(ReadSql, args);
        return $"{year}-{number:D5}";
    }
}
