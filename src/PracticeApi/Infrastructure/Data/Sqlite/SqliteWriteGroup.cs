using System.Data;
using Microsoft.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data.Sqlite;

/// <summary>
/// Group commit for SQLite writes. A write transaction takes the group's gate, runs on the pool's one writer connection
/// inside a savepoint of the group's SQLite transaction, and on commit releases its savepoint and hands the gate on.
/// Whoever holds the gate when nobody is waiting (or when the group is full) commits the SQLite transaction for every
/// member; each member's commit returns only after that, so nothing is acknowledged before it is durable in the
/// database, and a failed group commit fails every member (nothing half-written: the whole SQLite transaction rolls
/// back). A member's rollback undoes only its savepoint. Why: a commit writes every page its transaction touched to the
/// WAL; one commit for many requests writes the shared pages (table ends, index pages) once. Waiting for the gate never
/// gives up: every holder ends in a commit or a rollback (a connection closed with an open transaction rolls it back).
/// </summary>
internal sealed class SqliteWriteGroup(SqlitePool pool)
{
    private const int MaxMembers = 256;
    private const string Savepoint = "SAVEPOINT member";
    private const string Release = "RELEASE member";
    private const string RollbackTo = "ROLLBACK TO member";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _waiting;
    private PracticeSqliteConnection? _writer;
    private SqliteTransaction? _outer;
    private TaskCompletionSource? _committed;
    private int _members;
    private bool _resetWriter;

    /// <summary>Asked by <see cref="SqlitePool.Clear"/>: the writer is replaced before the next group.</summary>
    public void ResetWriter() => _resetWriter = true;

    /// <summary>At shutdown: closes the writer unless a group is still open (then the process is ending
    /// anyway).</summary>
    public void CloseWriter()
    {
        if (!_gate.Wait(TimeSpan.Zero)) return;
        try
        {
            if (_outer is not null) return;
            _writer?.CloseForGood();
            _writer = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    // Takes the gate, counted as waiting meanwhile (a member commits its group only when nobody waits).
    private async Task EnterAsync()
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _gate.WaitAsync().ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    // With the gate held and no transaction open: the writer, replaced first when the pool was cleared, leased again.
    private PracticeSqliteConnection ReadyWriter()
    {
        if (_resetWriter && _writer is not null)
        {
            _writer.CloseForGood();
            _writer = null;
        }

        _resetWriter = false;
        _writer ??= pool.OpenWriter();
        _writer.Leased();
        return _writer;
    }

    /// <summary>
    /// Runs work on the writer with the gate held and no group open (a group already open commits first, as it would
    /// when nobody waits): for a transaction that needs the writer to itself, such as one that attaches another file (a
    /// group's BEGIN IMMEDIATE would take the write lock of every attached file).
    /// </summary>
    public async Task<T> RunAloneAsync<T>(Func<PracticeSqliteConnection, T> work)
    {
        await EnterAsync().ConfigureAwait(false);
        try
        {
            if (_outer is not null) CommitGroup();
            return work(ReadyWriter());
        }
        catch (Exception e)
        {
            Fail(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<GroupTransaction> BeginAsync(PracticeSqliteConnection requester)
    {
        await EnterAsync().ConfigureAwait(false);
        try
        {
            if (_outer is null)
            {
                _outer = ReadyWriter().BeginTransaction(IsolationLevel.Serializable, deferred: false);
                _committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _members = 0;
            }

            _writer!.Run(Savepoint);
            _members++;
            return new GroupTransaction(this, requester, _writer, _outer, _committed!);
        }
        catch (Exception e)
        {
            Fail(e);
            _gate.Release();
            throw;
        }
    }

    internal async Task CommitAsync(GroupTransaction member)
    {
        try
        {
            member.Writer.Run(Release);
            if (Volatile.Read(ref _waiting) == 0 || _members >= MaxMembers) CommitGroup();
        }
        catch (Exception e)
        {
            Fail(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }

        await member.Committed.Task.ConfigureAwait(false);
    }

    internal void Rollback(GroupTransaction member)
    {
        try
        {
            member.Writer.Run(RollbackTo);
            member.Writer.Run(Release);
            // Members before this one may be waiting for the group's commit.
            if (Volatile.Read(ref _waiting) == 0 || _members >= MaxMembers) CommitGroup();
        }
        catch (Exception e)
        {
            Fail(e);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void CommitGroup()
    {
        var committed = _committed!;
        _writer!.FaultPoint();
        _outer!.Commit();
        _writer!.OuterEnded();
        _outer = null;
        _committed = null;
        committed.TrySetResult();
    }

    // The SQLite transaction is lost or cannot commit: every member of the group fails, and the writer is replaced.
    private void Fail(Exception e)
    {
        try
        {
            _outer?.Dispose();
        }
        catch (SqliteException)
        {
        }

        _outer = null;
        _committed?.TrySetException(e);
        _committed = null;
        _writer?.CloseForGood();
        _writer = null;
    }
}
