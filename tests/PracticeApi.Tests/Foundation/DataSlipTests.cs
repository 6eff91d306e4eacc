using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Http;
using PracticeApi.Infrastructure.Data.Sqlite;

namespace PracticeApi.Tests.Foundation;

/// <summary>
/// The three slips a Dapper engineer makes on this data layer (issue 28.2) fail loudly on SQLite, as SqlClient fails
/// on SQL Server, with a message that names the cause: a read without its transaction inside a write (it would see none
/// of the write), a write without it (it would not be part of it), and a query with a dialect marker that skipped
/// <c>db.Sql()</c> (it would return every row instead of a page). A command with another connection's transaction too.
/// </summary>
public sealed class DataSlipTests : IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"practiceapi-slips-{Guid.NewGuid():N}.db");
    private Db _db = null!;

    // Real statements of the application (the test suite runs only catalogued SQL).
    private static readonly string InsertKey = Statement(typeof(IdempotencyMiddleware), "InsertSql");
    private static readonly string FindKey = Statement(typeof(IdempotencyMiddleware), "FindSql");
    private static readonly string Deliveries = Statement(typeof(PracticeApi.Features.Integration.WebhookStore),
        "DeliveriesSql");

    private static string Statement(Type owner, string name)
    {
        var field = owner.GetField(name, BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)!;
        return (string)(field.IsLiteral ? field.GetRawConstantValue()! : field.GetValue(null)!);
    }

    public async Task InitializeAsync()
    {
        _db = new Db(new DatabaseOptions(DatabaseProvider.Sqlite,
            SqliteConnectionStrings.Normalise($"Data Source={_file}", "/"), true, CheckStatements: true));
        await new MigrationRunner(_db, TimeProvider.System, NullLogger<MigrationRunner>.Instance)
            .MigrateAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        _db.Dispose();
        Infrastructure.SharedDatabaseFile.DeleteWithCompanions(_file);
        return Task.CompletedTask;
    }

    private static object Key(string key) => new
    {
        PracticeId = Guid.NewGuid(), TokenId = Guid.NewGuid(), Key = key, Hash = "h", Now = DateTime.UtcNow, Expires = DateTime.UtcNow.AddHours(1),
        LeaseUntil = DateTime.UtcNow.AddMinutes(1),
    };

    [Fact]
    public async Task A_read_that_forgets_the_transaction_inside_a_write_fails_naming_the_transaction()
    {
        await using var connection = await _db.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        var key = Key("read-slip");
        await connection.ExecuteAsync(new CommandDefinition(InsertKey, key, tx));
        Assert.NotNull(await connection.QuerySingleOrDefaultAsync<object>(new CommandDefinition(FindKey, key, tx)));

        var slip = await Assert.ThrowsAsync<InvalidOperationException>(() => connection.QuerySingleOrDefaultAsync<object>(new CommandDefinition(FindKey, key)));
        Assert.Contains("transaction open", slip.Message);
        Assert.Contains("pass the transaction", slip.Message);
    }

    [Fact]
    public async Task A_write_that_forgets_the_transaction_fails_naming_the_transaction_not_nested_transactions()
    {
        await using var connection = await _db.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        var slip = await Assert.ThrowsAsync<InvalidOperationException>(() => connection.ExecuteAsync(
            new CommandDefinition(InsertKey, Key("write-slip"))));
        Assert.Contains("transaction open", slip.Message);
        Assert.DoesNotContain("nested", slip.Message);
    }

    [Fact]
    public async Task A_query_with_a_dialect_marker_that_skipped_the_rewrite_fails_naming_the_unit_of_work()
    {
        Assert.Contains(SqlDialect.Limit, Deliveries);
        await using var connection = await _db.OpenAsync(CancellationToken.None);
        var args = new { PracticeId = Guid.NewGuid(), SubscriptionId = Guid.NewGuid(), After = Guid.Empty, Status = (string?)null, Limit = 2 };
        var slip = await Assert.ThrowsAsync<InvalidOperationException>(() => connection.QueryAsync(
            new CommandDefinition(Deliveries, args)));
        Assert.Contains("unit of work", slip.Message);
        Assert.Contains("SqlDialect.Sql", slip.Message);
        await using var unit = await _db.BeginReadAsync(CancellationToken.None);
        Assert.Empty(await unit.QueryAsync<object>(Deliveries, args));
    }

    [Fact]
    public async Task A_write_unit_disposed_without_commit_keeps_nothing_and_one_that_commits_keeps_everything()
    {
        var kept = Key("kept");
        var dropped = Key("dropped");
        await using (var write = await _db.BeginWriteAsync(CancellationToken.None))
        {
            await write.ExecuteAsync(InsertKey, dropped);
            Assert.NotNull(await write.QuerySingleOrDefaultAsync<object>(FindKey,
                dropped)); // the unit reads its own write
        }

        await using (var write = await _db.BeginWriteAsync(CancellationToken.None))
        {
            await write.ExecuteAsync(InsertKey, kept);
            await write.CommitAsync();
        }

        await using var read = await _db.BeginReadAsync(CancellationToken.None);
        Assert.Null(await read.QuerySingleOrDefaultAsync<object>(FindKey, dropped));
        Assert.NotNull(await read.QuerySingleOrDefaultAsync<object>(FindKey, kept));
    }

    [Fact]
    public async Task A_write_unit_runs_nothing_after_it_committed()
    {
        await using var write = await _db.BeginWriteAsync(CancellationToken.None);
        await write.ExecuteAsync(InsertKey, Key("once"));
        await write.CommitAsync();
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => write.ExecuteAsync(InsertKey, Key("after")));
    }

    [Fact]
    public async Task A_command_given_another_connections_transaction_fails()
    {
        await using var first = await _db.OpenAsync(CancellationToken.None);
        await using var second = await _db.OpenAsync(CancellationToken.None);
        await using var tx = await first.BeginTransactionAsync();
        var slip = await Assert.ThrowsAsync<InvalidOperationException>(() => second.ExecuteAsync(new CommandDefinition(
            InsertKey, Key("wrong-connection"), tx)));
        Assert.Contains("another connection", slip.Message);
    }

    /// <summary>Dapper binds an enum as its number; the database keeps a closed set's name. A unit of work refuses one,
    /// naming it.</summary>
    [Fact]
    public async Task An_enum_parameter_fails_naming_it_and_its_wire_name_is_bound()
    {
        await using var write = await _db.BeginWriteAsync(CancellationToken.None);
        var slip = await Assert.ThrowsAsync<InvalidOperationException>(() => write.QueryAsync<object>(FindKey,
            new { PracticeId = Guid.NewGuid(), TokenId = Guid.NewGuid(), Key = PracticeApi.Infrastructure.Cadence.Weekly }));
        Assert.Contains("The parameter Key is an enum", slip.Message);
        Assert.Contains(".Wire()", slip.Message);
        var lists = await Assert.ThrowsAsync<InvalidOperationException>(() => write.QueryAsync<object>(Deliveries,
            new[] { new { Status = PracticeApi.Infrastructure.Cadence.Daily } }));
        Assert.Contains("Status", lists.Message);
        Assert.Empty(await write.QueryAsync<object>(FindKey, new { PracticeId = Guid.NewGuid(),
            TokenId = Guid.NewGuid(), Key = PracticeApi.Infrastructure.ClosedSets.Wire(
                PracticeApi.Infrastructure.Cadence.Weekly) }));
    }
}
