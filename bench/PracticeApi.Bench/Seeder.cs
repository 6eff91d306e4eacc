using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using PracticeApi.Features.Practices;
using PracticeApi.Infrastructure.Audit;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Security;
using PracticeApi.Infrastructure.Data.Sqlite;

namespace PracticeApi.Bench;

/// <summary>What the load needs: tokens, the caseload's client ids, and a therapist with sessions.</summary>
internal sealed record Seeded(string AdminToken, string TherapistToken, Guid TherapistId, Guid[] CaseloadClients,
    DateTime SessionsFrom, TimeSpan Elapsed);

/// <summary>Builds a practice of N clients through the real migrations, with bulk SQL in one transaction (no
/// HTTP).</summary>
internal static class Seeder
{
    // At most 50 therapists, and at least 100 clients on each caseload: list pages are full (50 rows) at every size.
    private static int TherapistsFor(int clients) => Math.Clamp(clients / 100, 1, 50);

    public static async Task<Seeded> SeedAsync(string file, int clients)
    {
        var started = Stopwatch.StartNew();
        using var db = new Db(new DatabaseOptions(DatabaseProvider.Sqlite,
            SqliteConnectionStrings.Normalise($"Data Source={file}", "/"), true));
        await new MigrationRunner(db, TimeProvider.System, NullLogger<MigrationRunner>.Instance)
            .MigrateAsync(CancellationToken.None);
        var practice = await new PracticeBootstrap(db, new AuditLog(db, TimeProvider.System), TimeProvider.System)
            .CreateAsync("Benchmark practice", "Bench Admin", "admin@bench.example", CancellationToken.None);

        var now = DateTime.UtcNow;
        var Therapists = TherapistsFor(clients);
        var therapists = Enumerable.Range(0, Therapists).Select(_ => Guid.CreateVersion7()).ToArray();
        var therapistToken = TokenSecrets.NewToken();
        var caseload = new List<Guid>();
        var sessionsFrom = DateTime.MinValue;

        await using var connection = await db.OpenAsync(CancellationToken.None);
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO Therapists (Id, PracticeId, Name, Email, Role, IsActive, Version, CreatedAt, UpdatedAt)
                VALUES (@Id, @PracticeId, @Name, @Email, 'therapist', 1, 1, @Now, @Now)
                """, therapists.Select((t, i) => new { Id = t, practice.PracticeId, Name = $"Therapist {i}", Email = $"t{i}@bench.example", Now = now }), tx);
            await connection.ExecuteAsync("""
                INSERT INTO ApiTokens (Id, PracticeId, Kind, Name, TokenHash, TherapistId, CreatedAt) VALUES (@Id,
                    @PracticeId, 'user', 'bench', @Hash, @TherapistId, @Now)
                """, new { Id = Guid.CreateVersion7(), practice.PracticeId, Hash = TokenSecrets.Hash(therapistToken), TherapistId = therapists[0], Now = now }, tx);

            const int Batch = 5000;
            for (var start = 0; start < clients; start += Batch)
            {
                var rows = Enumerable.Range(start, Math.Min(Batch, clients - start)).Select(i => new
                {
                    Id = Guid.CreateVersion7(), practice.PracticeId, First = $"Client{i}", Last = $"Family{i % 9973}", Search = $"client{i} family{i % 9973}",
                    Born = new DateOnly(1950 + i % 50, 1 + i % 12,
                        1 + i % 28), Email = $"c{i}@bench.example", Now = now, Therapist = therapists[i % Therapists],
                }).ToList();
                await connection.ExecuteAsync("""
                    INSERT INTO Clients (Id, PracticeId, FirstName, LastName, SearchName, DateOfBirth, Email,
                        PreferredLanguage, Status, Version, CreatedAt, UpdatedAt)
                    VALUES (@Id, @PracticeId, @First, @Last, @Search, @Born, @Email, 'nl', 'active', 1, @Now, @Now)
                    """, rows, tx);
                await connection.ExecuteAsync("INSERT INTO CareTeam (PracticeId, ClientId, TherapistId) VALUES (@PracticeId, @Id, @Therapist)", rows, tx);
                await connection.ExecuteAsync("INSERT INTO ClientIdentifiers (PracticeId, System, Value, ClientId) VALUES (@PracticeId, 'https://ehr.bench/patient', @Email, @Id)",
                    rows.Where((_, i) => i % 10 == 0), tx);
                caseload.AddRange(rows.Where(r => r.Therapist == therapists[0]).Select(r => r.Id));
            }

            // A few couples and a year of sessions for the benchmarked therapist.
            sessionsFrom = now.Date.AddDays(-180);
            var pairs = caseload.Chunk(2).Where(p => p.Length == 2).Take(Math.Max(1, caseload.Count / 20)).ToList();
            await connection.ExecuteAsync("""
                INSERT INTO Couples (Id, PracticeId, PartnerAId, PartnerBId, PairKey, PartnerARole, PartnerBRole,
                    BreachType, StartedOn, Status, CurrentStep,
                                     StepChangedAt, SafetyHold, Version, CreatedAt, UpdatedAt)
                VALUES (@Id, @PracticeId, @A, @B, @Key, 'breaching', 'hurt', 'emotional_affair', @On, 'active', 1,
                    @Now, 0, 1, @Now, @Now)
                """, pairs.Select(p => new { Id = Guid.CreateVersion7(), practice.PracticeId, A = p[0], B = p[1], Key = PracticeApi.Features.Couples.OpenCouple.PairKey(p[0], p[1]), On = DateOnly.FromDateTime(now), Now = now }), tx);
            var sessions = Enumerable.Range(0, 2000).Select(i => new
            {
                Id = Guid.CreateVersion7(), practice.PracticeId, Therapist = therapists[0], Client = caseload[i % caseload.Count],
                Starts = sessionsFrom.AddHours(i * 5), Ends = sessionsFrom.AddHours(i * 5).AddMinutes(50),
            }).ToList();
            await connection.ExecuteAsync("""
                INSERT INTO Sessions (Id, PracticeId, TherapistId, ClientId, Kind, Modality, StartsAt, EndsAt,
                    DurationMinutes, Status, Version, CreatedAt, UpdatedAt)
                VALUES (@Id, @PracticeId, @Therapist, @Client, 'individual', 'in_person', @Starts, @Ends, 50,
                    'scheduled', 1, @Starts, @Starts)
                """, sessions, tx);
            await connection.ExecuteAsync("INSERT INTO SessionClients (PracticeId, SessionId, ClientId, StartsAt) VALUES (@PracticeId, @Id, @Client, @Starts)", sessions, tx);
            await tx.CommitAsync();
        }

        await connection.ExecuteAsync("PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);");
        return new Seeded(practice.Token, therapistToken, therapists[0], caseload.ToArray(), sessionsFrom,
            started.Elapsed);
    }
}

/// <summary>How much of the database file is in use, WAL included (what a scenario made it grow by).</summary>
internal static class Storage
{
    /// <summary>Pages in use in the database file and in its read-audit inbox beside it.</summary>
    public static long UsedBytes(string file) =>
        UsedBytesOf(file) + (File.Exists(file + PracticeApi.Infrastructure.Data.Db.AuditInboxSuffix) ? UsedBytesOf(file
            + PracticeApi.Infrastructure.Data.Db.AuditInboxSuffix) : 0);

    private static long UsedBytesOf(string file)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file,
            Pooling = false }.ToString());
        connection.Open();
        long Pragma(string name) => connection.ExecuteScalar<long>($"PRAGMA {name}");
        return (Pragma("page_count") - Pragma("freelist_count")) * Pragma("page_size");
    }
}
