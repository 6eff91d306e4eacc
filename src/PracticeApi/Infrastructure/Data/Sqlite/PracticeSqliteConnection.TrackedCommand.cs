using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data.Sqlite;

internal sealed partial class PracticeSqliteConnection
{
    /// <summary>A command for Microsoft.Data.Sqlite's own use (BEGIN, COMMIT, ROLLBACK) and the writer's
    /// savepoints.</summary>
    private sealed class TrackedCommand(PracticeSqliteConnection owner) : SqliteCommand
    {
        [AllowNull]
        public override string CommandText
        {
            get => base.CommandText;
            set
            {
                owner.Check(value);
                base.CommandText = value;
            }
        }
    }
}
