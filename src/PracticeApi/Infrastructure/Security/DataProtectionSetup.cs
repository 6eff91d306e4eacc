using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using PracticeApi.Infrastructure.Data;

namespace PracticeApi.Infrastructure.Security;

/// <summary>
/// ASP.NET Core Data Protection for what must be given back later but must not rest in plain text (stored idempotent
/// responses). The key ring lives in one folder that every instance reads: <c>DataProtection:KeysPath</c>, by default a
/// <c>keys</c> folder beside the SQLite database (or <c>data/keys</c> under the content root on SQL Server).
/// </summary>
public static class DataProtectionSetup
{
    public const string Application = "PracticeApi";

    public static WebApplicationBuilder AddStoredSecretProtection(this WebApplicationBuilder builder)
    {
        var path = builder.Configuration["DataProtection:KeysPath"] ?? DefaultPath(builder);
        Directory.CreateDirectory(path);
        builder.Services.AddDataProtection()
            .SetApplicationName(Application)
            .PersistKeysToFileSystem(new DirectoryInfo(path));
        return builder;
    }

    private static string DefaultPath(WebApplicationBuilder builder)
    {
        var options = DatabaseOptions.From(builder.Configuration, builder.Environment.ContentRootPath);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            var source = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
            var folder = Path.GetDirectoryName(source);
            if (!string.IsNullOrEmpty(folder) && !source.StartsWith(':')) return Path.Combine(folder, Path.GetFileNameWithoutExtension(source) + "-keys");
        }

        return Path.Combine(builder.Environment.ContentRootPath, "data", "keys");
    }
}
