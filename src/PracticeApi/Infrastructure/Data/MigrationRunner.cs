using System.Data.Common;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;

namespace PracticeApi.Infrastructure.Data;

public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record Migration(int Version, string Name, string FileName, string Sql, string Checksum);

public sealed record MigrationResult(IReadOnlyList<Migration> Applied, int AlreadyApplied);

/// <summary>
/// Applies db/&lt;provider&gt;/V###__name.sql (embedded in the assembly) in version order, each file in a transaction,
/// journaled with a SHA-256 checksum. Forward-only: edited or unknown applied versions stop it. On SQLite the
/// read-audit inbox, a database file of its own, is migrated the same way from db/sqlite-audit-inbox.
/// </summary>
public sealed partial class MigrationRunner(Db db, TimeProvider clock, ILogger<MigrationRunner> logger)
{
    [SqlDialectOnly(DatabaseProvider.Sqlite)]
    private const string JournalSqlite = """
        CREATE TABLE IF NOT EXISTS SchemaMigrations (
            Version INTEGER NOT NULL PRIMARY KEY,
            Name TEXT NOT NULL,
            Checksum TEXT NOT NULL,
            AppliedAt TEXT NOT NULL
        );
        """;

    [SqlDialectOnly(DatabaseProvider.SqlServer)]
    private const string JournalSqlServer = """
        IF OBJECT_ID(N'dbo.SchemaMigrations', N'U') IS NULL
        CREATE TABLE dbo.SchemaMigrations (
            Version INT NOT NULL CONSTRAINT PK_SchemaMigrations PRIMARY KEY,
            Name NVARCHAR(200) NOT NULL,
            Checksum CHAR(64) NOT NULL,
            AppliedAt DATETIME2(7) NOT NULL
        );
        """;

    private const string JournalSql = "SELECT Version, Name, Checksum FROM SchemaMigrations ORDER BY Version";

    private const string RecordSql =
        "INSERT INTO SchemaMigrations (Version, Name, Checksum, AppliedAt) VALUES (@Version, @Name, @Checksum, @AppliedAt)";

    private sealed record JournalRow
    {
        public int Version { get; init; }
        public string Name { get; init; } = "";
        public string Checksum { get; init; } = "";
    }

    /// <summary>The migrations of SQLite's read-audit inbox file (<see cref="Db.AuditInboxSuffix"/>).</summary>
    public const string AuditInboxFolder = "sqlite-audit-inbox";

    public static IReadOnlyList<Migration> Embedded(DatabaseProvider provider, Assembly? assembly = null) =>
        Embedded(Folder(provider), assembly);

    public static IReadOnlyList<Migration> Embedded(string folder, Assembly? assembly = null)
    {
        assembly ??= typeof(MigrationRunner).Assembly;
        var prefix = $"Migrations/{folder}/";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix,
            StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..];
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new MigrationException($"Migration file '{folder}/{fileName}' is not named V###__name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var sql = reader.ReadToEnd().Replace("\r\n", "\n");
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value), match.Groups["name"].Value,
                $"{folder}/{fileName}", sql, Checksum(sql)));
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new MigrationException($"Two migration files carry version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.FileName))}.");
        }

        return migrations.OrderBy(m => m.Version).ToList();
    }

    public static string Folder(DatabaseProvider provider) => provider == DatabaseProvider.SqlServer
        ? "sqlserver" : "sqlite";

    public static string Checksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.Replace("\r\n", "\n"))));

    /// <summary>Migrates the database (and on SQLite its read-audit inbox file) to this version of the app.</summary>
    public async Task<MigrationResult> MigrateAsync(CancellationToken ct)
    {
        var result = await MigrateAsync(Embedded(db.Provider), ct);
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            await using var inbox = db.OpenAuditInbox();
            await MigrateAsync(inbox, Embedded(AuditInboxFolder), ct);
        }

        return result;
    }

    /// <summary>Applies these migrations (the database's own, in order) to the database.</summary>
    public async Task<MigrationResult> MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await MigrateAsync(connection, migrations, ct);
    }

    private async Task<MigrationResult> MigrateAsync(DbConnection connection, IReadOnlyList<Migration> migrations,
        CancellationToken ct)
    {
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            // WAL is a property of the database file: set once, kept by every later connection.
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        }

        await connection.ExecuteAsync(db.Provider == DatabaseProvider.SqlServer ? JournalSqlServer : JournalSqlite);
        var journal = (await connection.QueryAsync<JournalRow>(JournalSql)).ToList();

        var known = migrations.ToDictionary(m => m.Version);
        foreach (var row in journal)
        {
            if (!known.TryGetValue(row.Version, out var file))
            {
                throw new MigrationException(
                    $"The database holds migration V{row.Version:000}__{row.Name}, which this version of the app does not know. " +
                    "The database is newer than the app: deploy the newer app instead.");
            }

            if (!string.Equals(file.Checksum, row.Checksum.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                throw new MigrationException(
                    $"Migration {file.FileName} was edited after it was applied (checksum {row.Checksum.Trim()[..12]}… in the journal, " +
                    $"{file.Checksum[..12]}… in the file). Applied migrations are immutable: restore the file and add a new version.");
            }
        }

        var applied = journal.Select(r => r.Version).ToHashSet();
        var pending = migrations.Where(m => !applied.Contains(m.Version)).ToList();
        foreach (var migration in pending)
        {
            await ApplyAsync(connection, migration, ct);
            LogApplied(logger, migration.FileName);
        }

        return new MigrationResult(pending, journal.Count);
    }

    private async Task ApplyAsync(DbConnection connection, Migration migration, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var committing = false;
        try
        {
            foreach (var batch in Batches(migration.Sql, db.Provider))
            {
                await connection.ExecuteAsync(new CommandDefinition(batch, transaction: transaction,
                    cancellationToken: ct));
            }

            await connection.ExecuteAsync(new CommandDefinition(
                RecordSql,
                new { migration.Version, migration.Name, migration.Checksum, AppliedAt = clock.GetUtcNow()
                    .UtcDateTime },
                transaction, cancellationToken: ct));
            committing = true;
            await transaction.CommitAsync(ct);
        }
        catch (DbException e)
        {
            // A commit that fails (SQLite checks deferred foreign keys then) has already rolled everything back.
            if (!committing) await transaction.RollbackAsync(CancellationToken.None);
            throw new MigrationException($"Migration {migration.FileName} failed and was rolled back: {e.Message}", e);
        }
    }

    /// <summary>SQL Server files may hold GO batch separators; SQLite runs a file as one batch.</summary>
    public static IEnumerable<string> Batches(string sql, DatabaseProvider provider) =>
        provider == DatabaseProvider.SqlServer
            ? GoSeparator().Split(sql).Where(b => !string.IsNullOrWhiteSpace(b))
            : [sql];

    [GeneratedRegex(@"^V(?<version>\d{3,})__(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();

    [GeneratedRegex(@"^\s*GO\s*;?\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoSeparator();

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {File}")]
    private static partial void LogApplied(ILogger logger, string file);
}
