using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data.Sqlite;

internal static class SqliteConnectionStrings
{
    /// <summary>Resolves a relative file under the content root, turns foreign keys on and sets the busy
    /// timeout.</summary>
    public static string Normalise(string? connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(connectionString) ? "Data Source=data/practice.db" : connectionString);

        if (builder.Mode != SqliteOpenMode.Memory && !Path.IsPathRooted(builder.DataSource) &&
            !builder.DataSource.StartsWith(':'))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        }

        if (builder.Mode != SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(builder.DataSource);
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        }

        builder.ForeignKeys = true;
        // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout: this is the busy timeout.
        builder.DefaultTimeout = 30;
        builder.Pooling = true;
        return builder.ToString();
    }
}
