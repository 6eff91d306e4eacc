using System.Diagnostics;
using Dapper;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Integration;
using PracticeApi.Infrastructure.Audit;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Security;
using PracticeApi.Infrastructure.Text;
using PracticeApi.Infrastructure.Data.Sqlite;

namespace PracticeApi.Bench;

/// <summary>Where a single audited read spends its time, in-process and single-threaded (no HTTP).</summary>
internal static class Profile
{
    public static async Task AuditedReadAsync(string file, Seeded seeded, TimeSpan duration)
    {
        var (_, _, store, _, caller) = await ClientsAsync(file, seeded);
        var ids = seeded.CaseloadClients;
        var rate = await WorkersAsync(duration, random => store.GetAsync(caller, ids[random.Next(ids.Length)],
            CancellationToken.None));
        Console.WriteLine($"  32 workers, audited read only: {rate:N0} /s");
    }

    /// <summary>Only client creation, 32 workers in-process: how the single writer's time is spent on
    /// creates.</summary>
    public static async Task CreatesAsync(string file, Seeded seeded, TimeSpan duration)
    {
        var (_, _, _, register, caller) = await ClientsAsync(file, seeded);
        var rate = await WorkersAsync(duration, _ => register.CreateAsync(caller, NewClient, CancellationToken.None));
        Console.WriteLine($"  32 workers, creates only: {rate:N0} /s");
    }

    private static readonly CreateClientRequest NewClient = new("Load", "Test", null, null, null, Language.En, null,
        null, null);

    /// <summary>32 workers in-process, each calling work in a loop (with a random source of its own) until the time is
    /// up: calls per second.</summary>
    private static async Task<double> WorkersAsync(TimeSpan duration, Func<Random, Task> work)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var count = 0L;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            while (Stopwatch.GetTimestamp() < until)
            {
                await work(random);
                Interlocked.Increment(ref count);
            }
        })));
        return count / duration.TotalSeconds;
    }

    private static async Task<(Db Db, AuditLog Audit, ClientQueries Store, RegisterClient Register,
        Caller Caller)> ClientsAsync(
        string file, Seeded seeded)
    {
        var db = new Db(new DatabaseOptions(DatabaseProvider.Sqlite,
            SqliteConnectionStrings.Normalise($"Data Source={file}", "/"), true));
        var audit = new AuditLog(db, TimeProvider.System);
        var outbox = new Outbox(TimeProvider.System);
        var store = new ClientQueries(db, audit);
        var register = new RegisterClient(db, audit, outbox, new UpdateClient(db, audit, outbox, TimeProvider.System),
            TimeProvider.System);
        var caller = new Caller(Guid.Empty, Guid.NewGuid(), ActorKind.User, seeded.TherapistId, null,
            TherapistRole.Therapist,
            new HashSet<string>(), "127.0.0.1", "profile");
        await using var c = await db.BeginReadAsync(CancellationToken.None);
        return (db, audit, store, register,
            caller with { PracticeId = await c.QuerySingleAsync<Guid>(
                "SELECT PracticeId FROM Therapists WHERE Id = @Id", new { Id = seeded.TherapistId }) });
    }

    public static async Task RunAsync(string file, Seeded seeded, int iterations = 5000)
    {
        var (db, audit, store, register, caller) = await ClientsAsync(file, seeded);
        var ids = seeded.CaseloadClients;
        async Task<double> Time(string name, Func<Guid, Task> work)
        {
            for (var i = 0; i < 200; i++) await work(ids[i % ids.Length]);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++) await work(ids[i % ids.Length]);
            var micro = clock.Elapsed.TotalMilliseconds * 1000 / iterations;
            Console.WriteLine($"  {name,-55} {micro,8:N1} µs");
            return micro;
        }

        async Task Parallel(string name, Func<Guid, Task> work)
        {
            var rate = await WorkersAsync(TimeSpan.FromSeconds(2), random => work(ids[random.Next(ids.Length)]));
            Console.WriteLine($"  32 workers: {name,-44} {rate,8:N0} /s");
        }

        Console.WriteLine("profile (32 concurrent workers in-process, no HTTP):");
        await Parallel("baseline query", async id =>
        {
            await using var c = await db.BeginReadAsync(CancellationToken.None);
            await c.QuerySingleOrDefaultAsync<string>("SELECT FirstName FROM Clients WHERE Id = @Id", new { Id = id });
        });
        await Parallel("client + identifiers + care team", async id =>
        {
            await using var c = await db.BeginReadAsync(CancellationToken.None);
            var row = await ClientReads.FindAsync(c, caller, id);
            await ClientReads.ToResponsesAsync(c, caller.PracticeId, [row!], CancellationToken.None);
        });
        await Parallel("the read's one statement (no audit)", async id =>
        {
            await using var c = await db.BeginReadAsync(CancellationToken.None);
            await ClientReads.LoadAsync(c, caller, id, CancellationToken.None);
        });
        await Parallel("a read's audit event alone", id => audit.WriteAsync(caller, new AuditEntry(AuditAction.Read,
            "client", id, [id]), CancellationToken.None));
        await Parallel("audited read (ClientQueries.GetAsync)", id => store.GetAsync(caller, id,
            CancellationToken.None));
        await Parallel("create a client (RegisterClient.CreateAsync)", _ => register.CreateAsync(caller,
            NewClient, CancellationToken.None));

        Console.WriteLine("profile (per call, single-threaded, no HTTP):");
        await Time("baseline: open + one Dapper query", async id =>
        {
            await using var c = await db.BeginReadAsync(CancellationToken.None);
            await c.QuerySingleOrDefaultAsync<string>("SELECT FirstName FROM Clients WHERE Id = @Id", new { Id = id });
        });
        await Time("client row with the caseload check", async id =>
        {
            await using var c = await db.BeginReadAsync(CancellationToken.None);
            await ClientReads.FindAsync(c, caller, id);
        });
        await Time("client row + identifiers + care team (no audit)", async id =>
        {
            await using var c = await db.BeginReadAsync(CancellationToken.None);
            var row = await ClientReads.FindAsync(c, caller, id);
            await ClientReads.ToResponsesAsync(c, caller.PracticeId, [row!], CancellationToken.None);
        });
        await Time("the audited read (ClientQueries.GetAsync)", id => store.GetAsync(caller, id,
            CancellationToken.None));
        await Time("create a client (RegisterClient.CreateAsync)", _ => register.CreateAsync(caller,
            NewClient, CancellationToken.None));
        await Time("token lookup (as the bearer handler does)", async _ =>
        {
            await using var c = await db.BeginReadAsync(CancellationToken.None);
            await c.QuerySingleOrDefaultAsync<Guid?>("""
                SELECT t.Id FROM ApiTokens t LEFT JOIN Therapists th ON th.Id = t.TherapistId
                    AND th.PracticeId = t.PracticeId
                LEFT JOIN Clients cl ON cl.Id = t.ClientId AND cl.PracticeId = t.PracticeId WHERE t.TokenHash = @Hash
                """, new { Hash = TokenSecrets.Hash(seeded.TherapistToken) });
        });
    }
}
