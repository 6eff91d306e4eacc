using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Foundation;

/// <summary>
/// The kept query of the audited read runs through SQLite's own API: it must bind as Microsoft.Data.Sqlite binds (or it
/// would not find what the application wrote), read every stored form back, and fail as Microsoft.Data.Sqlite fails.
/// </summary>
public sealed class SqliteStatementTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public SqliteStatementTests()
    {
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE T (Id TEXT NOT NULL, At TEXT NULL, Born TEXT NULL, Bytes BLOB NULL, Note TEXT NULL, N INTEGER NOT NULL)";
        create.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    private void InsertThroughMicrosoftDataSqlite(Guid id, DateTime at, byte[]? bytes, string? note, int n)
    {
        using var insert = _connection.CreateCommand();
        insert.CommandText = "INSERT INTO T (Id, At, Born, Bytes, Note, N) VALUES (@Id, @At, @Born, @Bytes, @Note, @N)";
        insert.Parameters.AddWithValue("@Id", id);
        insert.Parameters.AddWithValue("@At", DapperTypeHandlers.ToText(at));
        insert.Parameters.AddWithValue("@Born", "1985-04-12");
        insert.Parameters.AddWithValue("@Bytes", (object?)bytes ?? DBNull.Value);
        insert.Parameters.AddWithValue("@Note", (object?)note ?? DBNull.Value);
        insert.Parameters.AddWithValue("@N", n);
        insert.ExecuteNonQuery();
    }

    [Fact]
    public async Task Finds_rows_written_through_Microsoft_Data_Sqlite_and_reads_every_stored_form()
    {
        var id = Guid.CreateVersion7();
        var at = new DateTime(2026, 11, 30, 1, 2, 3, DateTimeKind.Utc).AddTicks(4567);
        InsertThroughMicrosoftDataSqlite(id, at, [1, 2, 3], null, 7);
        InsertThroughMicrosoftDataSqlite(Guid.CreateVersion7(), at, null, "other", 8);
        using var statement = new SqliteStatement(_connection.Handle!, "SELECT Id, At, Born, Bytes, Note, N FROM T WHERE Id = @Id AND (@Note IS NULL OR Note = @Note) AND At = @At", ["Id", "Note", "At"]);

        for (var run = 0; run < 2; run++)
        {
            using var rows = statement.Run([id, null, at]);
            Assert.True(rows.Next());
            Assert.Equal(id, rows.Id(0));
            Assert.Equal(at, rows.Instant(1));
            Assert.Equal(DateTimeKind.Utc, rows.Instant(1).Kind);
            Assert.Equal(new DateOnly(1985, 4, 12), rows.DateOrNull(2));
            Assert.False(rows.IsNull(3));
            Assert.Null(rows.TextOrNull(4));
            Assert.Equal(7, rows.Int(5));
            Assert.False(rows.Next());
        }

        using (var none = statement.Run([id, "other", at])) Assert.False(none.Next());
        using var byText = statement.Run([id.ToString().ToUpperInvariant(), null, at]);
        Assert.True(byText.Next());
    }

    [Fact]
    public void Refuses_parameters_that_are_not_the_querys_and_a_second_run_before_the_first_ends()
    {
        var sql = "SELECT Id FROM T WHERE Id = @Id AND N = @N";
        Assert.Throws<ArgumentException>(() => new SqliteStatement(_connection.Handle!, sql, ["Id"]));
        Assert.Throws<ArgumentException>(() => new SqliteStatement(_connection.Handle!, sql, ["Id", "Other"]));
        Assert.Throws<SqliteException>(() => new SqliteStatement(_connection.Handle!, "SELECT Nope FROM T", []));

        using var statement = new SqliteStatement(_connection.Handle!, sql, ["Id", "N"]);
        Assert.Throws<ArgumentException>(() => statement.Run([Guid.NewGuid()]));
        Assert.Throws<ArgumentException>(() => statement.Run([Guid.NewGuid(), 1.5m]));
        var first = statement.Run([Guid.NewGuid(), null]);
        Assert.Throws<InvalidOperationException>(() => statement.Run([Guid.NewGuid(), null]));
        first.Dispose();
        using var second = statement.Run([Guid.NewGuid(), null]);
        Assert.False(second.Next());
    }

    [Fact]
    public void A_failing_step_throws_the_error_Microsoft_Data_Sqlite_would()
    {
        using var statement = new SqliteStatement(_connection.Handle!, "SELECT json(@Text)", ["Text"]);
        using (var rows = statement.Run(["{not json"]))
        {
            var error = Assert.Throws<SqliteException>(() => rows.Next());
            Assert.Contains("malformed JSON", error.Message);
        }

        using var again = statement.Run(["{\"a\":1}"]);
        Assert.True(again.Next());
        Assert.Equal("{\"a\":1}", again.Text(0));
    }
}

/// <summary>The application's connections keep such statements for reads outside the write group and writes inside it only.</summary>
public sealed class KeptStatementTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task A_kept_query_only_reads_and_a_kept_write_runs_only_on_the_writer_in_its_transaction()
    {
        var db = api.Services.GetRequiredService<Db>();
        await using var connection = (PracticeSqliteConnection)await db.OpenAsync(CancellationToken.None);
        Assert.Throws<InvalidOperationException>(() => connection.Query("DELETE FROM Clients WHERE Id = @Id", ["Id"]));
        Assert.Throws<InvalidOperationException>(() => connection.Write("DELETE FROM Clients WHERE Id = @Id", ["Id"]));
        // The suite refuses SQL the static SQL Server check has not bound, kept statements included.
        Assert.Throws<UnknownStatementException>(() => connection.Query("SELECT 42 WHERE @Id IS NOT NULL", ["Id"]));
    }
}
