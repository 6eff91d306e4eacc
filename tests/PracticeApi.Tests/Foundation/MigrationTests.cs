using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Foundation;

public sealed partial class MigrationTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"practiceapi-migrations-{Guid.NewGuid():N}.db");
    private readonly MigrationRunner _runner;
    private readonly Db _db;

    public MigrationTests()
    {
        _db = EarlierVersions.SqliteDb(_file);
        _runner = EarlierVersions.Runner(_db);
    }

    [Fact]
    public async Task Applies_every_migration_to_an_empty_database_and_journals_it()
    {
        var result = await _runner.MigrateAsync(CancellationToken.None);
        var expected = MigrationRunner.Embedded(DatabaseProvider.Sqlite);
        Assert.Equal(expected.Select(m => m.Version), result.Applied.Select(m => m.Version));

        await using var connection = await _db.OpenAsync(CancellationToken.None);
        var journal = (await connection.QueryAsync<(long Version,
            string Checksum)>("SELECT Version, Checksum FROM SchemaMigrations ORDER BY Version")).ToList();
        Assert.Equal(expected.Select(m => (long)m.Version), journal.Select(j => j.Version));
        Assert.Equal(expected.Select(m => m.Checksum), journal.Select(j => j.Checksum));
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Running_again_applies_nothing()
    {
        await _runner.MigrateAsync(CancellationToken.None);
        var again = await _runner.MigrateAsync(CancellationToken.None);
        Assert.Empty(again.Applied);
        Assert.Equal(MigrationRunner.Embedded(DatabaseProvider.Sqlite).Count, again.AlreadyApplied);
    }

    [Fact]
    public async Task An_edited_applied_migration_is_refused_naming_the_file()
    {
        await _runner.MigrateAsync(CancellationToken.None);
        var edited = MigrationRunner.Embedded(DatabaseProvider.Sqlite)
            .Select((m, i) => i == 0 ? m with { Sql = m.Sql + "\n-- edited", Checksum = MigrationRunner.Checksum(m.Sql
            + "\n-- edited") } : m)
            .ToList();

        var error = await Assert.ThrowsAsync<MigrationException>(() => _runner.MigrateAsync(edited,
            CancellationToken.None));
        Assert.Contains(edited[0].FileName, error.Message);
        Assert.Contains("edited", error.Message);
    }

    [Fact]
    public async Task A_database_newer_than_the_app_is_refused()
    {
        await _runner.MigrateAsync(CancellationToken.None);
        await using (var connection = await _db.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("INSERT INTO SchemaMigrations (Version, Name, Checksum, AppliedAt) VALUES (999, 'from_the_future', 'x', '2030-01-01')");
        }

        var error = await Assert.ThrowsAsync<MigrationException>(() => _runner.MigrateAsync(CancellationToken.None));
        Assert.Contains("V999__from_the_future", error.Message);
    }

    [Fact]
    public async Task A_failing_migration_is_rolled_back_whole()
    {
        var broken = MigrationRunner.Embedded(DatabaseProvider.Sqlite)
            .Append(new Migration(998, "broken", "sqlite/V998__broken.sql",
            "CREATE TABLE Half (Id TEXT); INSERT INTO Nowhere VALUES (1);", "x"))
            .ToList();
        await Assert.ThrowsAsync<MigrationException>(() => _runner.MigrateAsync(broken, CancellationToken.None));

        await using var connection = await _db.OpenAsync(CancellationToken.None);
        Assert.Equal(0,
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'Half'"));
        Assert.Equal(0,
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM SchemaMigrations WHERE Version = 998"));
    }

    [Fact]
    public async Task A_migration_that_fails_at_commit_is_rolled_back_whole_and_says_why()
    {
        // Deferred foreign keys are checked only when the transaction commits (V029 converts ids that way).
        var orphan = MigrationRunner.Embedded(DatabaseProvider.Sqlite)
            .Append(new Migration(998, "orphan", "sqlite/V998__orphan.sql",
            """
            PRAGMA defer_foreign_keys = ON;
            CREATE TABLE Half (Id TEXT);
            INSERT INTO Therapists (Id, PracticeId, Name, Email, Role, CreatedAt, UpdatedAt)
            VALUES (x'01', x'02', 'n', 'e', 'admin', 't', 't');
            """, "x"))
            .ToList();
        var refused = await Assert.ThrowsAsync<MigrationException>(() => _runner.MigrateAsync(orphan,
            CancellationToken.None));
        Assert.Contains("FOREIGN KEY constraint failed", refused.Message);
        Assert.Contains("V998__orphan.sql", refused.Message);

        await using var connection = await _db.OpenAsync(CancellationToken.None);
        Assert.Equal(0,
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'Half'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM Therapists"));
        Assert.Equal(0,
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM SchemaMigrations WHERE Version = 998"));
    }

    [Fact]
    public void Sql_server_files_split_on_go_separators()
    {
        var batches = MigrationRunner.Batches("CREATE TABLE A (Id INT);\nGO\nCREATE TRIGGER T ON A AFTER INSERT AS SELECT 1;\n  go  \n", DatabaseProvider.SqlServer).ToList();
        Assert.Equal(2, batches.Count);
        Assert.Single(MigrationRunner.Batches("SELECT 1;\nGO\nSELECT 2;", DatabaseProvider.Sqlite));
    }

    [Fact]
    public async Task V016_keeps_every_audit_event_and_client_row_with_16_byte_ids_and_gives_each_event_its_clients()
    {
        await _runner.MigrateThroughAsync(15);
        var (practice, list, read, a, b) = (Id(), Id(), Id(), Id(), Id());
        await using (var connection = new SqliteConnection($"Data Source={_file};Pooling=False;Foreign Keys=True"))
        {
            await connection.ExecuteAsync("""
                INSERT INTO AuditEvents (Id, PracticeId, OccurredAt, ActorKind, Action, ResourceType, Outcome)
                VALUES (@List, @Practice, '2026-11-01 10:00:00', 'user', 'read', 'client', 'success'),
                       (@Read, @Practice, '2026-11-01 10:00:01', 'user', 'read', 'client', 'success');
                INSERT INTO AuditEventClients (AuditEventId, PracticeId, ClientId, OccurredAt)
                VALUES (@List, @Practice, @A, '2026-11-01 10:00:00'), (@List, @Practice, @B, '2026-11-01 10:00:00'),
                       (@Read, @Practice, @A, '2026-11-01 10:00:01');
                """, new { List = list, Read = read, Practice = practice, A = a, B = b });
        }

        await _runner.MigrateThroughAsync(16);

        await using var migrated = new SqliteConnection($"Data Source={_file};Pooling=False");
        static byte[] Key(string id) => Guid.Parse(id).ToByteArray(bigEndian: true);
        var clientIds = (await migrated.QueryAsync<(byte[] Id,
            byte[] ClientIds)>("SELECT Id, ClientIds FROM AuditEvents"))
            .ToDictionary(r => new Guid(r.Id, bigEndian: true),
                r => StoredIds.ParseList(r.ClientIds));
        Assert.Equal(2, clientIds.Count);
        Assert.Equal(new[] { a, b }.Select(Guid.Parse).Order(), clientIds[Guid.Parse(list)].Order());
        Assert.Equal([Guid.Parse(a)], clientIds[Guid.Parse(read)]);
        Assert.Equal([Guid.Parse(read), Guid.Parse(list)], (await migrated.QueryAsync<byte[]>(
                "SELECT AuditEventId FROM AuditEventClients WHERE PracticeId = @Practice AND ClientId = @A ORDER BY OccurredAt DESC",
                new { Practice = Key(practice), A = Key(a) }))
            .Select(k => new Guid(k, bigEndian: true)));
        Assert.Equal(["blob"],
            await migrated.QueryAsync<string>("SELECT DISTINCT typeof(PracticeId) FROM AuditEventClients"));
        // Still append-only.
        await Assert.ThrowsAsync<SqliteException>(() => migrated.ExecuteAsync("DELETE FROM AuditEventClients"));
        await Assert.ThrowsAsync<SqliteException>(() => migrated.ExecuteAsync(
            "UPDATE AuditEvents SET Detail = 'changed'"));
        await Assert.ThrowsAsync<SqliteException>(() => migrated.ExecuteAsync("DELETE FROM AuditEvents"));
        Assert.Equal(3, await migrated.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditEventClients"));

        static string Id() => Guid.CreateVersion7().ToString().ToUpperInvariant();
    }

    [Fact]
    public async Task V017_moves_what_a_stopped_process_left_in_the_old_inbox_into_the_trail_and_drops_the_table()
    {
        await _runner.MigrateThroughAsync(16);
        var (practice, list, a, b) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(),
            Guid.CreateVersion7());
        await using (var connection = new SqliteConnection($"Data Source={_file};Pooling=False;Foreign Keys=True"))
        {
            await connection.ExecuteAsync("""
                INSERT INTO AuditInbox (Id, PracticeId, OccurredAt, ActorKind, Action, ResourceType, Outcome, ClientIds)
                VALUES (@List, @Practice, '2026-11-29 10:00:00', 'user', 'read', 'client', 'success', @Clients)
                """, new { List = Key(list), Practice = Key(practice), Clients = Key(a).Concat(Key(b)).ToArray() });
        }

        await _runner.MigrateThroughAsync(17);

        await using var migrated = new SqliteConnection($"Data Source={_file};Pooling=False");
        Assert.Equal(1, await migrated.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditEvents WHERE Id = @Id",
            new { Id = Key(list) }));
        Assert.Equal(new[] { a, b }.Order(), (await migrated.QueryAsync<byte[]>(
                "SELECT ClientId FROM AuditEventClients WHERE AuditEventId = @Id", new { Id = Key(list) }))
            .Select(k => new Guid(k, bigEndian: true)).Order());
        Assert.Equal(0,
            await migrated.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'AuditInbox'"));

        static byte[] Key(Guid id) => id.ToByteArray(bigEndian: true);
    }

    [Fact]
    public async Task V018_carries_a_share_over_only_for_a_client_in_one_open_couple()
    {
        await _runner.MigrateThroughAsync(17);
        var (practice, one, partner, two, first, second, closed) = (Id(), Id(), Id(), Id(), Id(), Id(), Id());
        var outsider = Id();
        await using (var connection = new SqliteConnection($"Data Source={_file};Pooling=False;Foreign Keys=True"))
        {
            await connection.ExecuteAsync("INSERT INTO Practices (Id, Name, CreatedAt) VALUES (@Practice, 'P', '2026-01-01 09:00:00')", new { Practice = practice });
            foreach (var client in new[] { one, partner, two, outsider })
            {
                await connection.ExecuteAsync("""
                    INSERT INTO Clients (Id, PracticeId, FirstName, LastName, SearchName, PreferredLanguage, Status,
                        CreatedAt, UpdatedAt)
                    VALUES (@Client, @Practice, 'F', 'L', 'f l', 'nl', 'active', '2026-01-01 09:00:00',
                        '2026-01-01 09:00:00')
                    """, new { Client = client, Practice = practice });
            }

            // "one" is in one open couple (and a closed one); "two" is in two open couples. Both shared "with my
            // partner".
            foreach (var (couple, a, b, status) in new[] { (first, one, partner, "active"), (closed, one, two,
                "closed"), (second, two, partner, "paused") })
            {
                await connection.ExecuteAsync("""
                    INSERT INTO Couples (Id, PracticeId, PartnerAId, PartnerBId, PairKey, PartnerARole, PartnerBRole,
                        BreachType, StartedOn, Status, CurrentStep, StepChangedAt, CreatedAt, UpdatedAt)
                    VALUES (@Couple, @Practice, @A, @B, @Couple, 'in_recovery', 'partner', 'hidden_addiction',
                        '2026-01-05', @Status, 1, '2026-01-05 10:00:00', '2026-01-05 10:00:00', '2026-01-05 10:00:00')
                    """, new { Couple = couple, Practice = practice, A = a, B = b, Status = status });
            }

            await connection.ExecuteAsync("""
                INSERT INTO Couples (Id, PracticeId, PartnerAId, PartnerBId, PairKey, PartnerARole, PartnerBRole,
                    BreachType, StartedOn, Status, CurrentStep, StepChangedAt, CreatedAt, UpdatedAt)
                VALUES (@Couple, @Practice, @Two, @Other, @Couple, 'in_recovery', 'partner', 'hidden_addiction',
                    '2026-01-05', 'active', 1, '2026-01-05 10:00:00', '2026-01-05 10:00:00', '2026-01-05 10:00:00')
                """, new { Couple = Id(), Practice = practice, Two = two, Other = outsider });
            await connection.ExecuteAsync("""
                INSERT INTO RecoveryLogSharing (ClientId, PracticeId, SharedWithPartner, ChangedAt)
                VALUES (@One, @Practice, 1, '2026-02-01 09:00:00'), (@Two, @Practice, 1, '2026-02-01 09:00:00'),
                    (@Partner, @Practice, 0, '2026-02-01 09:00:00')
                """, new { One = one, Two = two, Partner = partner, Practice = practice });
        }

        await _runner.MigrateThroughAsync(18);

        await using var migrated = new SqliteConnection($"Data Source={_file};Pooling=False");
        Assert.Equal([(one, first)], (await migrated.QueryAsync<(string ClientId,
            string CoupleId)>("SELECT ClientId, CoupleId FROM RecoveryLogShares")).ToList());
        Assert.Equal(0,
            await migrated.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'RecoveryLogSharing'"));

        static string Id() => Guid.CreateVersion7().ToString();
    }

    [Fact]
    public async Task V023_gives_each_stored_line_the_vat_rate_of_the_fee_schedule_of_its_day()
    {
        await _runner.MigrateThroughAsync(22);
        var (practice, invoice) = (Guid.CreateVersion7().ToString(), Guid.CreateVersion7().ToString());
        await using (var connection = new SqliteConnection($"Data Source={_file};Pooling=False;Foreign Keys=False"))
        {
            await connection.ExecuteAsync("""
                INSERT INTO FeeSchedules (Id, PracticeId, ValidFrom, Fees, LateCancelCents, NoShowCents,
                    VatRateBasisPoints, VatExemption, PaymentTermDays, CreatedAt)
                VALUES (@A, @Practice, '2025-01-01', '[]', 0, 0, NULL, 'exempt', 14, '2025-01-01 09:00:00'),
                       (@B, @Practice, '2026-02-01', '[]', 0, 0, 2100, NULL, 14, '2026-01-20 09:00:00'),
                       (@C, @Other, '2026-01-01', '[]', 0, 0, 900, NULL, 14, '2026-01-01 09:00:00')
                """, new { A = Guid.CreateVersion7().ToString(), B = Guid.CreateVersion7().ToString(), C = Guid.CreateVersion7().ToString(), Practice = practice,
                Other = Guid.CreateVersion7().ToString() });
            foreach (var (day, position) in new[] { ("2026-01-31", 0), ("2026-02-01", 1), ("2026-02-20", 2) })
            {
                await connection.ExecuteAsync("""
                    INSERT INTO InvoiceLines (Id, PracticeId, InvoiceId, Position, SessionId, ServiceDate, Charge,
                        SessionKind, DurationMinutes, ShareBasisPoints, NetCents, VatCents)
                    VALUES (@Id, @Practice, @Invoice, @Position, @Session, @Day, 'session', 'individual', 50,
                        10000, 9500, 0)
                    """, new { Id = Guid.CreateVersion7().ToString(), Practice = practice, Invoice = invoice, Position = position,
                    Session = Guid.CreateVersion7().ToString(), Day = day });
            }
        }

        await _runner.MigrateThroughAsync(23);

        await using var migrated = new SqliteConnection($"Data Source={_file};Pooling=False");
        Assert.Equal([null, 2100, 2100],
            (await migrated.QueryAsync<int?>(
                "SELECT VatRateBasisPoints FROM InvoiceLines ORDER BY Position")).ToList());
    }

    [Fact]
    public void Both_dialects_carry_the_same_versions_names_tables_and_columns()
    {
        var sqlite = MigrationRunner.Embedded(DatabaseProvider.Sqlite);
        var sqlServer = MigrationRunner.Embedded(DatabaseProvider.SqlServer);
        Assert.Equal(sqlite.Select(m => (m.Version, m.Name)), sqlServer.Select(m => (m.Version, m.Name)));
        Assert.Equal(Directory.GetFiles(RepoFiles.PathTo("db", "sqlite")).Select(Path.GetFileName).Order(),
            Directory.GetFiles(RepoFiles.PathTo("db", "sqlserver")).Select(Path.GetFileName).Order());

        var sqliteSchema = Schema(sqlite);
        var sqlServerSchema = Schema(sqlServer);
        Assert.Equal(sqliteSchema.Keys.Order(), sqlServerSchema.Keys.Order());
        foreach (var (table, columns) in sqliteSchema)
        {
            Assert.True(columns.SetEquals(sqlServerSchema[table]),
                $"{table}: sqlite [{string.Join(", ", columns.Order())}] vs sqlserver [{string.Join(", ", sqlServerSchema[table].Order())}]");
        }
    }

    [Fact]
    public async Task The_sqlite_schema_matches_what_the_files_declare()
    {
        await _runner.MigrateAsync(CancellationToken.None);
        await using var connection = await _db.OpenAsync(CancellationToken.None);
        var declared = Schema(MigrationRunner.Embedded(DatabaseProvider.Sqlite));
        foreach (var (table, columns) in declared)
        {
            var actual = (await connection.QueryAsync<string>($"SELECT name FROM pragma_table_xinfo('{table}')"))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.True(columns.SetEquals(actual),
                $"{table}: declared [{string.Join(", ", columns)}], actual [{string.Join(", ", actual)}]");
        }
    }

    [Fact]
    public async Task Both_dialects_carry_the_same_indexes_with_the_same_columns_and_uniqueness()
    {
        await _runner.MigrateAsync(CancellationToken.None);
        await using var connection = await _db.OpenAsync(CancellationToken.None);
        var sqlite = new List<string>();
        foreach (var (name, table, unique) in await connection.QueryAsync<(string Name, string Table, long Unique)>("""
            SELECT i.name, m.name, i."unique" FROM sqlite_master m, pragma_index_list(m.name) i
            WHERE m.type = 'table' AND i.origin = 'c'
            """))
        {
            var columns = await connection.QueryAsync<string>(
                $"SELECT name FROM pragma_index_info('{name}') ORDER BY seqno");
            sqlite.Add(IndexShape(name, table, columns, unique == 1));
        }

        var model = SqlServer.SqlServerModel.FromMigrations();
        var sqlServer = model.Indexes
            .Select(i => IndexShape(i.Name.Value, i.OnName.BaseIdentifier.Value,
            i.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value), i.Unique))
            .Concat(model.Tables.Values.SelectMany(t => t.Definition.Indexes.Select(i => IndexShape(i.Name.Value,
            t.SchemaObjectName.BaseIdentifier.Value,
                i.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value), i.Unique))))
            .ToList();

        Assert.Equal(sqlServer.Order(StringComparer.Ordinal), sqlite.Order(StringComparer.Ordinal));
        Assert.Contains("UNIQUE IX_OutboxEvents_PracticeId_Seq ON OutboxEvents (PracticeId, Seq)", sqlite);
    }

    private static string IndexShape(string name, string table, IEnumerable<string> columns, bool unique) =>
        $"{(unique ? "UNIQUE " : "")}{name} ON {table} ({string.Join(", ", columns)})";

    /// <summary>Tables and their columns as declared by CREATE TABLE and ALTER TABLE ... ADD, in either
    /// dialect.</summary>
    private static Dictionary<string, HashSet<string>> Schema(IEnumerable<Migration> migrations)
    {
        var tables = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var migration in migrations)
        {
            var sql = LineComment().Replace(migration.Sql, "");
            foreach (Match create in CreateTable().Matches(sql))
            {
                var body = Parenthesised(sql, create.Index + create.Length - 1);
                var columns = tables[create.Groups["table"].Value] = new HashSet<string>(
                    StringComparer.OrdinalIgnoreCase);
                foreach (var item in SplitTopLevel(body))
                {
                    var first = item.Trim().Split([' ', '\n', '\t', '\r'], 2)[0].Trim('[', ']');
                    if (first.ToUpperInvariant() is not ("CONSTRAINT" or "PRIMARY" or "FOREIGN" or "UNIQUE" or "CHECK" or "")) columns.Add(first);
                }
            }

            foreach (Match add in AddColumn().Matches(sql))
            {
                tables[add.Groups["table"].Value].Add(add.Groups["column"].Value);
            }

            foreach (Match drop in DropColumns().Matches(sql))
            {
                foreach (var column in drop.Groups["columns"].Value.Split(',',
                    StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    tables[drop.Groups["table"].Value].Remove(column.Trim('[', ']'));
                }
            }

            foreach (Match drop in DropTable().Matches(sql)) tables.Remove(drop.Groups["table"].Value);
        }

        return tables;
    }

    private static string Parenthesised(string sql, int open)
    {
        var depth = 0;
        for (var i = open; i < sql.Length; i++)
        {
            if (sql[i] == '(') depth++;
            else if (sql[i] == ')' && --depth == 0) return sql[(open + 1)..i];
        }

        throw new InvalidOperationException("Unbalanced parentheses in CREATE TABLE.");
    }

    private static IEnumerable<string> SplitTopLevel(string body)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '(') depth++;
            else if (body[i] == ')') depth--;
            else if (body[i] == ',' && depth == 0)
            {
                yield return body[start..i];
                start = i + 1;
            }
        }

        yield return body[start..];
    }

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:dbo\.)?\[?(?<table>\w+)\]?\s*\(",
        RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"ALTER\s+TABLE\s+(?:dbo\.)?\[?(?<table>\w+)\]?\s+ADD\s+(?:COLUMN\s+)?(?!CONSTRAINT\b)\[?(?<column>\w+)\]?", RegexOptions.IgnoreCase)]
    private static partial Regex AddColumn();

    [GeneratedRegex(@"DROP\s+TABLE\s+(?:dbo\.)?\[?(?<table>\w+)\]?", RegexOptions.IgnoreCase)]
    private static partial Regex DropTable();

    // SQLite's "DROP COLUMN a" and SQL Server's "DROP COLUMN a, b".
    [GeneratedRegex(@"ALTER\s+TABLE\s+(?:dbo\.)?\[?(?<table>\w+)\]?\s+DROP\s+COLUMN\s+(?<columns>[\w\[\], ]+?)\s*;",
        RegexOptions.IgnoreCase)]
    private static partial Regex DropColumns();

    public void Dispose()
    {
        _db.Dispose();
        SqliteConnection.ClearAllPools();
        SharedDatabaseFile.DeleteWithCompanions(_file);
    }
}
