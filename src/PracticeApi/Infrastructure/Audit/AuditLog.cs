using System.Data.Common;
using System.Threading.Channels;

namespace PracticeApi.Infrastructure.Audit;

/// <summary>What was done: read, create, update, delete, export, a staff override of a safety hold, or an attempt to
/// authenticate.</summary>
public enum AuditAction { Read, Create, Update, Delete, Export, Override, Authenticate }

/// <summary>Whether the action was done, or refused (a denied authentication or a forbidden request).</summary>
public enum AuditOutcome { Success, Denied }

/// <summary>What happened to which resource, and whose client data it concerned.</summary>
public sealed record AuditEntry(
    AuditAction Action,
    string ResourceType,
    Guid? ResourceId,
    IReadOnlyCollection<Guid>? ClientIds = null,
    string? Detail = null,
    AuditOutcome Outcome = AuditOutcome.Success);

/// <summary>
/// Append-only audit trail (HIPAA 164.312(b), NEN 7513), kept by the engine's <see cref="IAuditTrail"/>. A change's
/// event joins the change's unit of work, so that the change and its audit event commit or roll back together; reads
/// are gathered and committed in batches before they are answered. Never given clinical text.
/// </summary>
public sealed class AuditLog(Db db, TimeProvider clock, ILogger<AuditLog>? logger = null) : IAsyncDisposable
{
    private readonly IAuditTrail _trail = IAuditTrail.For(db);

    /// <summary>A change's audit event (and its client rows), in the change's own transaction.</summary>
    public Task WriteAsync(DbWrite c, Caller caller, AuditEntry entry) =>
        _trail.AppendAsync(c, [AuditRecord.Of(Guid.CreateVersion7(), clock.GetUtcNow().UtcDateTime, caller, entry)]);

    // A read waiting for its audit event to commit: the event's id and time are taken when the read is audited.
    private sealed record PendingRead(AuditRecord Event, TaskCompletionSource Committed);

    private readonly Channel<PendingRead> _reads = Channel.CreateUnbounded<PendingRead>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _moveWanted = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _readWriter;
    private Task? _mover;
    private int _sinceMove;

    /// <summary>
    /// Audits a read. Reads have no change to join, so concurrent reads share one transaction (group commit): the call
    /// returns only once its event is committed, so no read is answered unaudited and no acknowledged event is lost.
    /// </summary>
    public Task WriteAsync(Caller caller, AuditEntry entry, CancellationToken ct)
    {
        if (_readWriter is null) StartReadWriter();
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var read = AuditRecord.Of(Guid.CreateVersion7(), clock.GetUtcNow().UtcDateTime, caller, entry);
        if (!_reads.Writer.TryWrite(new PendingRead(read, committed)))
        {
            throw new ObjectDisposedException(nameof(AuditLog), "The audit log has stopped.");
        }

        return committed.Task;
    }

    /// <summary>
    /// At startup, after the migrations: starts the read-audit writer and (where reads wait before the trail) the
    /// mover, which first moves whatever a stopped process left waiting.
    /// </summary>
    public void Start()
    {
        if (_readWriter is null) StartReadWriter();
    }

    private void StartReadWriter()
    {
        lock (_reads)
        {
            if (_readWriter is not null) return;
            // Started from a request, the loops must not inherit its context (a request's unit of work, say).
            using var _ = ExecutionContext.SuppressFlow();
            _mover = _trail.MovesReads ? Task.Run(MoveLoopAsync) : Task.CompletedTask;
            _readWriter = Task.Run(WriteReadsAsync);
        }
    }

    private const int ReadBatch = 256;

    // Reads waiting before the trail are moved every quarter second, or at once when this many have arrived.
    private const int MoveAfter = 1024;
    private static readonly TimeSpan MoveEvery = TimeSpan.FromMilliseconds(250);

    private async Task WriteReadsAsync()
    {
        var batch = new List<PendingRead>(ReadBatch);
        var events = new List<AuditRecord>(ReadBatch);
        while (await _reads.Reader.WaitToReadAsync())
        {
            batch.Clear();
            events.Clear();
            while (batch.Count < ReadBatch && _reads.Reader.TryRead(out var item))
            {
                batch.Add(item);
                events.Add(item.Event);
            }

            try
            {
                await _trail.CommitReadsAsync(events, CancellationToken.None);
                foreach (var item in batch) item.Committed.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var item in batch) item.Committed.TrySetException(e);
                continue;
            }

            if (_trail.MovesReads && Interlocked.Add(ref _sinceMove,
                batch.Count) >= MoveAfter && _moveWanted.CurrentCount == 0)
            {
                try
                {
                    _moveWanted.Release();
                }
                catch (SemaphoreFullException)
                {
                    // Already signalled.
                }
            }
        }
    }

    /// <summary>
    /// Makes every read audited before this call visible in the audit tables (on SQLite: moves the inbox). Every query
    /// of the trail calls it first, so what it answers includes every read already answered.
    /// </summary>
    public Task FlushAsync(CancellationToken ct) => _trail.FlushAsync(ct);

    private async Task MoveLoopAsync()
    {
        var first = true;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                if (!first) await _moveWanted.WaitAsync(MoveEvery, _stopping.Token);
                first = false;
                Interlocked.Exchange(ref _sinceMove, 0);
                await _trail.FlushAsync(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The events stay where they wait, committed; the next round moves them.
                logger?.LogWarning("Moving read audits into the audit trail failed ({ExceptionType}); retrying",
                    e.GetType().Name);
                await Task.Delay(MoveEvery, CancellationToken.None);
            }
        }
    }

    /// <summary>At shutdown: the reads still queued are committed and moved (whatever is left, the next start
    /// moves).</summary>
    public async ValueTask DisposeAsync()
    {
        _reads.Writer.TryComplete();
        if (_readWriter is not null) await _readWriter;
        await _stopping.CancelAsync();
        if (_mover is not null) await _mover;
        if (_readWriter is not null && _trail.MovesReads)
        {
            try
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await FlushAsync(deadline.Token);
            }
            catch (Exception e) when (e is DbException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
            {
                logger?.LogWarning("Read audits left in the inbox at shutdown ({ExceptionType}); the next start moves them", e.GetType().Name);
            }
        }

        _stopping.Dispose();
    }

    /// <summary>A refused authentication: no caller, no change to join (its own unit of work).</summary>
    public async Task WriteFailedAuthenticationAsync(Guid? practiceId, Guid? tokenId, string reason, string? sourceIp,
        string requestId, CancellationToken ct)
    {
        var record = new AuditRecord(Guid.CreateVersion7(), practiceId, clock.GetUtcNow().UtcDateTime,
            ActorKind.Anonymous, null, tokenId, AuditAction.Authenticate, "token", tokenId, AuditOutcome.Denied, sourceIp, requestId, reason, []);
        await using var c = await db.BeginWriteAsync(ct);
        await _trail.AppendAsync(c, [record]);
        await c.CommitAsync();
    }
}
