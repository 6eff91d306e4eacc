using Microsoft.Data.Sqlite;

namespace PracticeApi.Tests.Infrastructure;

/// <summary>A SQLite file that several hosts of one test share (a restart, two instances); deleted with its WAL after.</summary>
public sealed class SharedDatabaseFile(string purpose) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"practiceapi-{purpose}-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { Path, Path + "-wal", Path + "-shm" }) File.Delete(f);
    }
}
