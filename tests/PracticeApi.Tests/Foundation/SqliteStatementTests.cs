using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PracticeApi.Features.Integration;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Tests.Infrastructure;
using PracticeApi.Infrastructure.Data.Sqlite;

namespace PracticeApi.Tests.Foundation;

/// <summary>
/// Kept statements (the audited read's query, the hot inserts) run through SQLite's own API: they must bind as Dapper's
/// handlers bind (or they would not find what the application wrote), read every stored form back, and fail as
/// Microsoft.Data.Sqlite fails.
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
        insert.Parameters.AddWithValue("@Id", StoredIds.ToBlob(id));
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
        using var statement = new SqliteStatement(_connection.Handle!,
            "SELECT Id, At, Born, Bytes, Note, N FROM T WHERE Id = @Id AND (@Note IS NULL OR Note = @Note) AND At = @At", ["Id", "Note", "At"]);

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
        // One form per id: its text finds nothing.
        using var byText = statement.Run([id.ToString().ToUpperInvariant(), null, at]);
        Assert.False(byText.Next());
    }

    [Fact]
    public void Binds_every_value_kind_in_the_form_Dapper_stores_it()
    {
        DapperTypeHandlers.Register();
        var id = Guid.CreateVersion7();
        var at = new DateTime(2026, 11, 30, 1, 2, 3, DateTimeKind.Utc).AddTicks(4567);
        var born = new DateOnly(1985, 4, 12);
        byte[] bytes = [1, 2, 3];
        Dapper.SqlMapper.Execute(_connection,
            "INSERT INTO T (Id, At, Born, Bytes, Note, N) VALUES (@Id, @At, @Born, @Bytes, @Note, 1)",
            new { Id = id, At = at, Born = born, Bytes = bytes, Note = "text" });
        using var statement = new SqliteStatement(_connection.Handle!,
            "SELECT N FROM T WHERE Id = @Id AND At = @At AND Born = @Born AND Bytes = @Bytes AND Note = @Note AND @Nothing IS NULL",
            ["Id", "At", "Born", "Bytes", "Note", "Nothing"]);

        using (var rows = statement.Run([id, at, born, bytes, "text", null])) Assert.True(rows.Next());
        using (var other = statement.Run([id, at, born.AddDays(1), bytes, "text", null])) Assert.False(other.Next());
    }

    [Fact]
    public void An_executed_write_says_how_many_rows_it_changed()
    {
        InsertThroughMicrosoftDataSqlite(Guid.CreateVersion7(), DateTime.UtcNow, null, "copy me", 1);
        InsertThroughMicrosoftDataSqlite(Guid.CreateVersion7(), DateTime.UtcNow, null, "copy me", 2);
        using var copy = new SqliteStatement(_connection.Handle!,
            "INSERT INTO T (Id, At, Born, Bytes, Note, N) SELECT @Id, At, Born, Bytes, 'copied', N FROM T WHERE Note = @Note", ["Id", "Note"]);

        Assert.Equal(2, copy.Execute([Guid.CreateVersion7(), "copy me"]));
        Assert.Equal(0, copy.Execute([Guid.CreateVersion7(), "nothing"]));
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
    public void An_id_binds_and_reads_as_one_16_byte_blob_most_significant_byte_first_whichever_way_it_goes()
    {
        DapperTypeHandlers.Register();
        var id = Guid.CreateVersion7();
        var hex = Convert.ToHexString(id.ToByteArray(bigEndian: true));
        using var statement = new SqliteStatement(_connection.Handle!, "SELECT @Key, typeof(@Key), hex(@Key)", ["Key"]);
        using (var rows = statement.Run([id]))
        {
            Assert.True(rows.Next());
            Assert.Equal((id, "blob", hex), (rows.Id(0), rows.Text(1), rows.Text(2)));
        }

        Assert.Equal((id, "blob", hex), Dapper.SqlMapper.QuerySingle<(Guid, string, string)>(_connection,
            "SELECT @Key, typeof(@Key), hex(@Key)", new { Key = id }));
        Assert.Equal(hex, Dapper.SqlMapper.QuerySingle<string>(_connection, "SELECT hex(@Key)",
            new { Key = (Guid?)id }));
        // An id stored in any other form is refused by name, not read as another id.
        var text = Assert.Throws<System.Data.DataException>(() => Dapper.SqlMapper.QuerySingle<Guid>(_connection,
            "SELECT @Text", new { Text = id.ToString() }));
        Assert.Contains("16 bytes", text.InnerException?.Message ?? text.Message);
        using var asText = statement.Run([id.ToString()]);
        Assert.True(asText.Next());
        Assert.Throws<System.Data.DataException>(() => asText.Id(0));
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

/// <summary>
/// The application's connections keep such statements for reads (outside the write group, or on the writer inside its
/// transaction) and for writes inside the write group only.
/// </summary>
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

    [Fact]
    public async Task A_read_a_write_needs_runs_on_the_writers_kept_statement_in_its_transaction_and_reads_as_a_data_reader_does()
    {
        var practice = await api.NewPracticeAsync();
        var hook = await (await practice.Admin.PostAsJsonAsync("/api/v1/webhooks",
            new { url = "https://192.0.2.10/hook", events = new[] { "client.created" } })).ReadJsonAsync(201);
        var subscription = hook.GetProperty("id").GetGuid();
        object?[] values = [practice.PracticeId, "%,client.created,%"];
        var db = api.Services.GetRequiredService<Db>();

        List<Guid> outside, inside;
        await using (var connection = await db.OpenAsync(CancellationToken.None))
        await using (var query = new RepeatedCommand(connection, null, Outbox.SubscribersSql, "PracticeId", "Pattern"))
        {
            outside = await query.ReadAllAsync(values, row => row.Id(0), CancellationToken.None);
        }

        await using (var connection = await db.OpenAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var group = Assert.IsType<GroupTransaction>(transaction);
            await using var query = new RepeatedCommand(connection, transaction, Outbox.SubscribersSql,
                "PracticeId", "Pattern");
            inside = await query.ReadAllAsync(values, row => row.Id(0), CancellationToken.None);
            // Read twice on the same kept statement: each run is reset after its rows.
            Assert.Equal(inside, await query.ReadAllAsync(values, row => row.Id(0), CancellationToken.None));
            await transaction.RollbackAsync();
        }

        Assert.Equal([subscription], outside);
        Assert.Equal(outside, inside);
    }
}
