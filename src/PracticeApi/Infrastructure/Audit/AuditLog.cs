using System.Data.Common;
using System.Threading.Channels;
using Dapper;

namespace PracticeApi.Infrastructure.Audit;

public static class AuditActions
{
    public const string Read = "read";
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string Export = "export";
    public const string Override = "override";
    public const string Authenticate = "authenticate";
}

/// <summary>What happened to which resource, and whose client data it concerned.</summary>
public sealed record AuditEntry(
    string Action,
    string ResourceType,
    Guid? ResourceId,
    IReadOnlyCollection<Guid>? ClientIds = null,
    string? Detail = null,
    string Outcome = "success");

/// <summary>
/// Append-only audit trail (HIPAA 164.312(b), NEN 7513). Writes join the caller's transaction so that a
/// change and its audit event commit or roll back together. Never given clinical text.
/// </summary>
public sealed partial class AuditLog(Db db, TimeProvider clock, ILogger<AuditLog>? logger = null) : IAsyncDisposable
{
    // An audit event's columns, in the order of its parameters (EventParameters) and of a pending read's values (EventValues).
    private const string EventColumns =
        "Id, PracticeId, OccurredAt, ActorKind, ActorId, TokenId, Action, ResourceType, ResourceId, Outcome, SourceIp, RequestId, Detail, ClientIds";

    private const string EventParameterList =
        "@Id, @PracticeId, @OccurredAt, @ActorKind, @ActorId, @TokenId, @Action, @ResourceType, @ResourceId, @Outcome, @SourceIp, @RequestId, @Detail, @ClientIds";

    private const string InsertEvent = $"INSERT INTO AuditEvents ({EventColumns}) VALUES ({EventParameterList})";

    private const string InsertOneClient = """
        INSERT INTO AuditEventClients (AuditEventId, PracticeId, ClientId, OccurredAt) VALUES (@EventId, @PracticeId, @ClientId, @OccurredAt)
        """;

    private object? Key(Guid? id) => AuditKeys.Of(db.Provider, id);

    /// <summary>A change's audit event (and its client rows), in the change's own transaction.</summary>
    public Task WriteAsync(DbWrite c, Caller caller, AuditEntry entry) =>
        AppendAsync(c.Connection, c.Transaction, InsertEvent, InsertOneClient,
            [(EventValues(Guid.CreateVersion7(), clock.GetUtcNow().UtcDateTime, caller, entry), (entry.ClientIds?.Distinct() ?? []).Select(client => Key(client)))]);

    // A read waiting for its audit event to commit: the event's id and time are taken when the read is audited.
    private sealed record PendingRead(Guid Id, DateTime At, Caller Caller, AuditEntry Entry, TaskCompletionSource Committed);

    private readonly Channel<PendingRead> _reads = Channel.CreateUnbounded<PendingRead>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _importWanted = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _readWriter;
    private Task? _importer;
    private int _sinceImport;

    /// <summary>
    /// Audits a read. Reads have no change to join, so concurrent reads share one transaction (group commit): the call
    /// returns only once its event is committed, so no read is answered unaudited and no acknowledged event is lost.
    /// On SQLite the event is committed to the audit inbox (one narrow row per read) and moved into the audit trail in
    /// bulk by the importer (see <see cref="FlushAsync"/>); on SQL Server it is written into the trail directly.
    /// </summary>
    public Task WriteAsync(Caller caller, AuditEntry entry, CancellationToken ct)
    {
        if (_readWriter is null) StartReadWriter();
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_reads.Writer.TryWrite(new PendingRead(Guid.CreateVersion7(), clock.GetUtcNow().UtcDateTime, caller, entry, committed)))
        {
            throw new ObjectDisposedException(nameof(AuditLog), "The audit log has stopped.");
        }

        return committed.Task;
    }

    private bool UsesInbox => db.Provider == DatabaseProvider.Sqlite;

    /// <summary>
    /// At startup, after the migrations: starts the read-audit writer and (SQLite) the importer, which first moves whatever
    /// a stopped process left in the inbox.
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
            _importer = UsesInbox ? Task.Run(ImportLoopAsync) : Task.CompletedTask;
            _readWriter = Task.Run(WriteReadsAsync);
        }
    }

    private const int ReadBatch = 256;

    private async Task WriteReadsAsync()
    {
        var batch = new List<PendingRead>(ReadBatch);
        while (await _reads.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < ReadBatch && _reads.Reader.TryRead(out var item)) batch.Add(item);
            try
            {
                if (UsesInbox) await WriteInboxAsync(batch);
                else await WriteTrailAsync(batch);
                foreach (var item in batch) item.Committed.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var item in batch) item.Committed.TrySetException(e);
            }
        }
    }

    // The parameters of every event insert (trail or inbox), and a pending read's values for them in that order.
    private static readonly string[] EventParameters = EventColumns.Split(", ");

    private object?[] EventValues(Guid id, DateTime at, Caller caller, AuditEntry entry)
    {
        var system = caller.Kind == TokenKinds.System;
        return
        [
            Key(id), Key(caller.PracticeId), at, caller.Kind, Key(system ? null : caller.ActorId), Key(system ? null : caller.TokenId),
            entry.Action, entry.ResourceType, Key(entry.ResourceId), entry.Outcome, caller.SourceIp, caller.RequestId, entry.Detail,
            AuditKeys.Clients(db.Provider, entry.ClientIds),
        ];
    }

    /// <summary>At shutdown: the reads still queued are committed, and the inbox is moved (whatever is left, the next start moves).</summary>
    public async ValueTask DisposeAsync()
    {
        _reads.Writer.TryComplete();
        if (_readWriter is not null) await _readWriter;
        await _stopping.CancelAsync();
        if (_importer is not null) await _importer;
        if (_readWriter is not null && UsesInbox)
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

    public async Task WriteFailedAuthenticationAsync(Guid? practiceId, Guid? tokenId, string reason, string? sourceIp,
        string requestId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(InsertEvent, new
        {
            Id = Key(Guid.CreateVersion7()),
            PracticeId = Key(practiceId),
            OccurredAt = clock.GetUtcNow().UtcDateTime,
            ActorKind = "anonymous",
            ActorId = (object?)null,
            TokenId = Key(tokenId),
            Action = AuditActions.Authenticate,
            ResourceType = "token",
            ResourceId = Key(tokenId),
            Outcome = "denied",
            SourceIp = sourceIp,
            RequestId = requestId,
            Detail = reason,
            ClientIds = (object?)null,
        }, cancellationToken: ct));
    }
}
