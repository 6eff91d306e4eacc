using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// A SQLite connection that refuses any command whose text is not in <see cref="SqlCatalogue"/>: with it on, the test
/// suite fails when a store sends SQL that the static SQL Server check has not bound to the schema.
/// </summary>
internal sealed class CheckedSqliteConnection(string connectionString) : SqliteConnection(connectionString)
{
    public override void Open()
    {
        base.Open();
        StorageFaults.Opened(this);
    }

    public override SqliteCommand CreateCommand()
    {
        var inner = base.CreateCommand();
        return new CheckedSqliteCommand(this) { Connection = this, CommandTimeout = inner.CommandTimeout, Transaction = inner.Transaction };
    }

    protected override DbCommand CreateDbCommand() => CreateCommand();

    private sealed class CheckedSqliteCommand(CheckedSqliteConnection owner) : SqliteCommand
    {
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string CommandText
        {
            get => base.CommandText;
            set
            {
                if (!string.IsNullOrEmpty(value) && !SqlCatalogue.IsKnownSqlite(value))
                {
                    throw new UnknownStatementException(value);
                }

                if (!string.IsNullOrEmpty(value)) StorageFaults.CheckWrite(owner, value);

                base.CommandText = value;
            }
        }
    }
}

/// <summary>A command text that is not one of the application's SQL constants (see <see cref="SqlCatalogue"/>).</summary>
public sealed class UnknownStatementException(string sql)
    : InvalidOperationException($"SQL that is not in the statement catalogue (declare it as a const string of its store): {sql}");
