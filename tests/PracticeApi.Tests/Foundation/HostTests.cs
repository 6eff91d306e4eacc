using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Foundation;

public sealed class HostTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    /// <summary>
    /// Settings files are read once: a watched content root would watch the database folder beneath it too (data/ by
    /// default), and every write to the database or its WAL would wake a file-watching thread.
    /// </summary>
    [Fact]
    public void Settings_files_are_read_at_start_and_not_watched()
    {
        var configuration = (IConfigurationRoot)api.Services.GetRequiredService<IConfiguration>();
        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.Contains(files, f => f.Source.Path == "appsettings.json");
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, $"{f.Source.Path} is watched"));
    }
}
