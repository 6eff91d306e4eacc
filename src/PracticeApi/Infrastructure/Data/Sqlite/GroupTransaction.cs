using System.Data.Common;
using System.Data;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data.Sqlite;

/// <summary>A caller's transaction in a write group (see <see cref="SqliteWriteGroup"/>).</summary>
internal sealed class GroupTransaction(
    SqliteWriteGroup group, PracticeSqliteConnection requester, PracticeSqliteConnection writer, SqliteTransaction outer, TaskCompletionSource committed)
    : DbTransaction
{
    private bool _completed;

    public PracticeSqliteConnection Writer { get; } = writer;

    public SqliteTransaction Outer { get; } = outer;

    public TaskCompletionSource Committed { get; } = committed;

    public override IsolationLevel IsolationLevel => IsolationLevel.Serializable;

    protected override DbConnection DbConnection => requester;

    public override async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        Complete();
        await group.CommitAsync(this).ConfigureAwait(false);
    }

    public override void Commit() => CommitAsync().GetAwaiter().GetResult();

    public override void Rollback()
    {
        Complete();
        group.Rollback(this);
    }

    /// <summary>
    /// Undoes this transaction's savepoint and returns once the rest of its group has committed (or failed): what the
    /// caller reads next, on any connection, includes what the group's other members wrote before it.
    /// </summary>
    public override async Task RollbackAsync(CancellationToken cancellationToken = default)
    {
        Rollback();
        try
        {
            await Committed.Task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The group failed; this member had rolled back anyway.
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_completed) Rollback();
        requester.GroupEnded(this);
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_completed) await RollbackAsync().ConfigureAwait(false);
        requester.GroupEnded(this);
        GC.SuppressFinalize(this);
    }

    private void Complete()
    {
        if (_completed) throw new InvalidOperationException("This transaction has completed; it is no longer usable.");
        _completed = true;
        requester.GroupEnded(this);
    }
}
