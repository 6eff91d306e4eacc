using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PracticeApi.Features.Exercises;

namespace PracticeApi.Features.Practices;

/// <summary>The CLI verbs (migrate, create-practice, auth-failures) and what happens to the database before the API
/// serves.</summary>
public static class PracticeCommands
{
    public static IServiceCollection AddPractices(this IServiceCollection services)
    {
        services.AddSingleton<PracticeBootstrap>().AddSingleton<DemoTime>().AddSingleton<DemoPractice>();
        services.AddSingleton<DemoCouples>().AddSingleton<DemoSessions>().AddSingleton<DemoIntegrations>();
        return services.AddSingleton<DemoBilling>().AddSingleton<DemoMeasures>();
    }

    private static readonly string[] Verbs = ["migrate", "create-practice", "create-token", "auth-failures"];

    /// <summary>A verb writes only its result to stdout (so it can be piped to jq); logs go to stderr.</summary>
    public static WebApplicationBuilder AddCommandLineVerbs(this WebApplicationBuilder builder, string[] args)
    {
        if (args.Length > 0 && Verbs.Contains(args[0]))
        {
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        return builder;
    }

    public static async Task<bool> TryRunCommandAsync(this WebApplication app, string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-')) return false;
        var ct = CancellationToken.None;
        switch (args[0])
        {
            case "migrate":
                var result = await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(ct);
                await app.Services.GetRequiredService<TemplateStore>().EnsureBuiltInsAsync(ct);
                await app.Services.GetRequiredService<Programs.ProgramStore>().EnsureBuiltInsAsync(ct);
                Console.WriteLine(result.Applied.Count == 0
                    ? $"Database is up to date ({result.AlreadyApplied} migrations applied before)."
                    : $"Applied {result.Applied.Count} migration(s): {string.Join(", ", result.Applied.Select(m => m.FileName))}.");
                if (await app.Services.GetRequiredService<ReadCommittedSnapshot>().WarningAsync(ct) is { } snapshot)
                {
                    await Console.Error.WriteLineAsync("Warning: " + snapshot);
                }

                return true;

            case "create-practice":
                var options = ReadOptions(args.Skip(1).ToArray());
                var missing = new[] { "name", "admin-name", "admin-email" }.Where(k => string.IsNullOrWhiteSpace(
                    options.GetValueOrDefault(k))).ToList();
                if (missing.Count > 0 || !options["admin-email"].Contains('@'))
                {
                    await Console.Error.WriteLineAsync(
                        "usage: create-practice --name <practice> --admin-name <name> --admin-email <email>");
                    Environment.ExitCode = 2;
                    return true;
                }

                await app.MigrateIfConfiguredAsync(ct);
                var created = await app.Services.GetRequiredService<PracticeBootstrap>()
                    .CreateAsync(options["name"], options["admin-name"], options["admin-email"], ct);
                Console.WriteLine(JsonSerializer.Serialize(new { practiceId = created.PracticeId,
                    therapistId = created.TherapistId, token = created.Token }));
                return true;

            case "create-token":
                var tokenOptions = ReadOptions(args.Skip(1).ToArray());
                if (!tokenOptions.TryGetValue("admin-email", out var email) || !email.Contains('@'))
                {
                    await Console.Error.WriteLineAsync("usage: create-token --admin-email <email of an active admin>");
                    Environment.ExitCode = 2;
                    return true;
                }

                await app.MigrateIfConfiguredAsync(ct);
                if (await app.Services.GetRequiredService<PracticeBootstrap>().IssueAdminTokenAsync(email,
                    ct) is not { } issued)
                {
                    await Console.Error.WriteLineAsync($"No single active admin has the email {email}.");
                    Environment.ExitCode = 1;
                    return true;
                }

                Console.WriteLine(JsonSerializer.Serialize(new { practiceId = issued.PracticeId,
                    therapistId = issued.TherapistId, token = issued.Token }));
                return true;

            case "auth-failures":
                // Failed authentications that belong to no practice (unknown tokens), newest first, as JSON.
                var failureOptions = ReadOptions(args.Skip(1).ToArray());
                var since = failureOptions.TryGetValue("since",
                    out var sinceText)
                    && DateTimeOffset.TryParse(sinceText, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out var sinceValue) ? sinceValue.UtcDateTime : DateTime.UtcNow.AddDays(-1);
                var limit = failureOptions.TryGetValue("limit", out var limitText) && int.TryParse(limitText,
                    out var n) && n is > 0 and <= 10_000 ? n : 200;
                await app.MigrateIfConfiguredAsync(ct);
                var failures = await app.Services.GetRequiredService<Infrastructure.Security.FailedAuthentications>()
                    .UnattributedAsync(since, limit, ct);
                Console.WriteLine(JsonSerializer.Serialize(failures,
                    new JsonSerializerOptions(JsonSerializerDefaults.Web)));
                return true;

            default:
                await Console.Error.WriteLineAsync(
                    $"Unknown command '{args[0]}'. Commands: {string.Join(", ", Verbs)}.");
                Environment.ExitCode = 2;
                return true;
        }
    }

    /// <summary>Migrates when configured and, in Development, seeds a demo practice into an empty database.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        if (ApiDocumentation.IsGeneratingDocument) return;
        var ct = CancellationToken.None;
        var retry = TimeSpan.FromSeconds(app.Configuration.GetValue("Database:StartupRetrySeconds", 5.0));
        // Storage that cannot write yet (read-only files, a full disk, a database still starting) is waited for, not
        // fatal: the API comes up by itself once it can migrate. Any other failure stops it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await app.MigrateIfConfiguredAsync(ct);
                break;
            }
            catch (Exception e) when ((e as System.Data.Common.DbException
                ?? e.InnerException as System.Data.Common.DbException) is { } db &&
                                      ApiExceptionHandler.IsStorageUnavailable(db))
            {
                ApiExceptionHandler.ClearPools(db);
                app.Logger.LogWarning(
                    "Storage unavailable at startup ({ExceptionType}); attempt {Attempt}, retrying in {Seconds} s",
                    db.GetType().Name, attempt, retry.TotalSeconds);
                await Task.Delay(retry, ct);
            }
        }

        app.Services.GetRequiredService<Infrastructure.Audit.AuditLog>().Start();
        if (await app.Services.GetRequiredService<ReadCommittedSnapshot>().WarningAsync(ct) is { } snapshot)
        {
            app.Logger.LogWarning("{Warning}", snapshot);
        }

        if (!app.Environment.IsDevelopment() || !app.Configuration.GetValue("Demo:Seed", true)) return;
        var bootstrap = app.Services.GetRequiredService<PracticeBootstrap>();
        if (await bootstrap.AnyPracticeAsync(ct))
        {
            // Tokens are shown once: on an existing database, say where things are and how to get back in.
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                var address = ServerAddress(app);
                Console.WriteLine();
                Console.WriteLine($"Swagger UI: {address}/swagger");
                Console.WriteLine("This database already holds a practice; tokens are shown only when they are made. To get a new admin token:");
                Console.WriteLine(
                    "  dotnet run --project src/PracticeApi -- create-token --admin-email admin@demo.practice.example");
                Console.WriteLine(
                    "or stop the API and delete src/PracticeApi/data/ to start over with a fresh demo practice.");
                Console.WriteLine();
            });
            return;
        }

        var demo = await bootstrap.CreateAsync("Praktijk Samen Verder (demo)", "Anouk de Wit",
            "admin@demo.practice.example", ct);
        var seeded = await app.Services.GetRequiredService<DemoPractice>().SeedAsync(demo, ct);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = ServerAddress(app);
            Console.WriteLine();
            Console.WriteLine("A demo practice was made in this new database (tokens are shown this once):");
            Console.WriteLine($"  Swagger UI: {address}/swagger  (Authorize, then paste a token)");
            Console.WriteLine($"  Admin (Anouk de Wit):     {seeded.Admin}");
            Console.WriteLine(
                "      everything in the practice: therapists, tokens, the audit trail, every client and couple");
            Console.WriteLine($"  Therapist (Eva Jansen):   {seeded.Therapist}");
            Console.WriteLine($"      her caseload only: the couple Sanne & Joost ({seeded.InfidelityCoupleId}), their sessions, check-ins and progress");
            Console.WriteLine($"  Partner portal (Sanne):   {seeded.Partner}");
            Console.WriteLine("      Sanne's own assignments (GET /api/v1/me/assignments) and Joost's answers as far as the visibility allows");
            Console.WriteLine($"  Partner portal (Lotte):   {seeded.RecoveryPartner}");
            Console.WriteLine("      Lotte's own work, and Daan's recovery log, which he shares with her (GET /api/v1/me/partner/recovery-log)");
            Console.WriteLine($"  Try: curl -H \"Authorization: Bearer {seeded.Therapist}\" {address}/api/v1/couples/{seeded.InfidelityCoupleId}/progress");
            Console.WriteLine();
        });
    }

    private static string ServerAddress(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? "http://localhost:5000";

    private static async Task MigrateIfConfiguredAsync(this WebApplication app, CancellationToken ct)
    {
        if (app.Services.GetRequiredService<DatabaseOptions>().MigrateOnStartup)
        {
            await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(ct);
        }

        await app.Services.GetRequiredService<TemplateStore>().EnsureBuiltInsAsync(ct);
        await app.Services.GetRequiredService<Programs.ProgramStore>().EnsureBuiltInsAsync(ct);
    }

    private static Dictionary<string, string> ReadOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal)) options[args[i][2..]] = args[++i];
        }

        return options;
    }
}
