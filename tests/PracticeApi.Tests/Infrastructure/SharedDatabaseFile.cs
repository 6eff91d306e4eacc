using Microsoft.Data.Sqlite;

namespace PracticeApi.Tests.Infrastructure;

/// <summary>A SQLite file that several hosts of one test share (a restart, two instances); deleted with its WAL and
/// inbox after.</summary>
public sealed class SharedDatabaseFile(string purpose) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(),
        $"practiceapi-{purpose}-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        DeleteWithCompanions(Path);
    }

    /// <summary>Deletes a SQLite database file with its WAL and shared memory, and its read-audit inbox with the
    /// inbox's.</summary>
    public static void DeleteWithCompanions(string file)
    {
        foreach (var main in new[] { file, file + PracticeApi.Infrastructure.Data.Db.AuditInboxSuffix })
        {
            foreach (var f in new[] { main, main + "-wal", main + "-shm" })
            {
                try { File.Delete(f); } catch (IOException) { }
            }
        }
    }
}
