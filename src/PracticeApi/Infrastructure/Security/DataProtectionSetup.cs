using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Security;

/// <summary>
/// ASP.NET Core Data Protection for what must be given back later but must not rest in plain text (stored idempotent
/// responses). The key ring lives in one folder that every instance reads: <c>DataProtection:KeysPath</c>, by default a
/// <c>keys</c> folder beside the SQLite database (or <c>data/keys</c> under the content root on SQL Server).
/// </summary>
public static class DataProtectionSetup
{
    public const string Application = "PracticeApi";

    /// <summary>Owner only: what a folder holding keys or the database is created with (0700).</summary>
    public const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Owner only: what the database files are created with (0600).</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static WebApplicationBuilder AddStoredSecretProtection(this WebApplicationBuilder builder)
    {
        var path = builder.Configuration["DataProtection:KeysPath"] ?? DefaultPath(builder);
        CreatePrivateFolder(path);
        var protection = builder.Services.AddDataProtection()
            .SetApplicationName(Application)
            .PersistKeysToFileSystem(new DirectoryInfo(path));
        // The key ring encrypted at rest with a certificate (PFX) every instance has: without it, anyone who can read
        // the key folder can decrypt stored responses (new tokens, webhook secrets, clinical text in them).
        if (builder.Configuration["DataProtection:Certificate:Path"] is { Length: > 0 } certificatePath)
        {
            var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                certificatePath, builder.Configuration["DataProtection:Certificate:Password"]);
            protection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        builder.Services.AddHostedService<KeyRingProtectionWarning>();
        return builder;
    }

    /// <summary>Creates a folder readable by this service's user only (0700 on Unix); an existing one is narrowed to
    /// that.</summary>
    public static void CreatePrivateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, PrivateFolder);
        File.SetUnixFileMode(path, PrivateFolder);
    }

    private static string DefaultPath(WebApplicationBuilder builder)
    {
        var options = DatabaseOptions.From(builder.Configuration, builder.Environment.ContentRootPath);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            var source = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
            var folder = Path.GetDirectoryName(source);
            if (!string.IsNullOrEmpty(folder) && !source.StartsWith(':')) return Path.Combine(folder,
                Path.GetFileNameWithoutExtension(source) + "-keys");
        }

        return Path.Combine(builder.Environment.ContentRootPath, "data", "keys");
    }
}

/// <summary>At startup outside Development: a warning when the key ring is not protected at rest by a
/// certificate.</summary>
internal sealed partial class KeyRingProtectionWarning(IConfiguration configuration, IHostEnvironment environment,
    ILogger<KeyRingProtectionWarning> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!environment.IsDevelopment()
            && string.IsNullOrEmpty(configuration["DataProtection:Certificate:Path"])) LogUnprotected(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The Data Protection key ring is not protected at rest: whoever can read the key folder can " +
        "decrypt stored responses. Set DataProtection:Certificate:Path (and :Password) to a PFX certificate every instance has.")]
    private static partial void LogUnprotected(ILogger logger);
}
