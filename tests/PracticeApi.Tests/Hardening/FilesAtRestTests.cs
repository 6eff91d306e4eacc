using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Hardening;

/// <summary>What rests on disk: the database and key files are the service user's alone, and an unprotected key ring is
/// said.</summary>
public sealed class FilesAtRestTests
{
    [SkippableFact]
    public async Task Database_files_are_created_0600_and_the_key_folder_0700()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes.");
        if (OperatingSystem.IsWindows()) return;
        await using var api = new SqliteApi();
        var practice = await api.NewPracticeAsync();
        await practice.Admin.CreateClientIdAsync();
        var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var files = Directory.GetFiles(Path.GetDirectoryName(api.File)!, Path.GetFileName(api.File) + "*");
        Assert.Contains(files, f => f.EndsWith("-wal", StringComparison.Ordinal));
        foreach (var file in files) Assert.Equal(owner, File.GetUnixFileMode(file));
        var keys = Path.Combine(Path.GetDirectoryName(api.File)!, Path.GetFileNameWithoutExtension(api.File) + "-keys");
        Assert.Equal(owner | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
    }

    [Fact]
    public async Task Outside_development_an_unprotected_key_ring_is_a_startup_warning_and_a_certificate_silences_it()
    {
        await using (var unprotected = new LoggingApi(null))
        {
            await unprotected.NewPracticeAsync();
            Assert.Contains(unprotected.Warnings, w => w.Contains("key ring is not protected at rest"));
        }

        var pfx = Path.Combine(Path.GetTempPath(), $"practiceapi-keys-{Guid.NewGuid():N}.pfx");
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                "CN=PracticeApi keys", rsa,
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1),
                DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(pfx,
                certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "secret"));
        }

        try
        {
            await using var protectedRing = new LoggingApi(pfx);
            var practice = await protectedRing.NewPracticeAsync();
            // A keyed write stores its response encrypted with the protected ring, and replays it.
            using var first = new HttpRequestMessage(HttpMethod.Post,
                "/api/v1/clients") { Content = System.Net.Http.Json.JsonContent.Create(
                    new { firstName = "A", lastName = "B" }) };
            first.Headers.Add("Idempotency-Key", "k-1");
            await (await practice.Admin.SendAsync(first)).ReadJsonAsync(201);
            using var again = new HttpRequestMessage(HttpMethod.Post,
                "/api/v1/clients") { Content = System.Net.Http.Json.JsonContent.Create(
                    new { firstName = "A", lastName = "B" }) };
            again.Headers.Add("Idempotency-Key", "k-1");
            var replay = await practice.Admin.SendAsync(again);
            await replay.ReadJsonAsync(201);
            Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
            Assert.DoesNotContain(protectedRing.Warnings, w => w.Contains("key ring is not protected at rest"));
            var keyFiles = Directory.GetFiles(Path.Combine(Path.GetDirectoryName(protectedRing.File)!,
                Path.GetFileNameWithoutExtension(protectedRing.File) + "-keys"));
            Assert.All(keyFiles, f => Assert.Contains("EncryptedKey", File.ReadAllText(f)));
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    private sealed class LoggingApi(string? certificate) : SqliteApi
    {
        public ConcurrentQueue<string> Warnings { get; } = new();

        protected override IDictionary<string, string?> Settings => certificate is null
            ? new Dictionary<string, string?>()
            : new Dictionary<string, string?> { ["DataProtection:Certificate:Path"] = certificate, ["DataProtection:Certificate:Password"] = "secret" };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(new CapturingProvider(Warnings)));
        }
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> warnings) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capturing(warnings);

        public void Dispose()
        {
        }

        private sealed class Capturing(ConcurrentQueue<string> warnings) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= LogLevel.Warning) warnings.Enqueue(formatter(state, exception));
            }
        }
    }
}
