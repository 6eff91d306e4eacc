using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Security;

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
public sealed class AuditLog(Db db, TimeProvider clock)
{
    private const string InsertEvent = """
        INSERT INTO AuditEvents (Id, PracticeId, OccurredAt, ActorKind, ActorId, TokenId, Action, ResourceType,
                                 ResourceId, Outcome, SourceIp, RequestId, Detail)
        VALUES (@Id, @PracticeId, @OccurredAt, @ActorKind, @ActorId, @TokenId, @Action, @ResourceType,
                @ResourceId, @Outcome, @SourceIp, @RequestId, @Detail)
        """;

    private const string InsertOneClient = """
        INSERT INTO AuditEventClients (AuditEventId, PracticeId, ClientId, OccurredAt) VALUES (@EventId, @PracticeId, @ClientId, @OccurredAt)
        """;

    // Rows per multi-row INSERT: keeps a list read's audit to a few statements and under parameter limits.
    private const int ClientRowsPerStatement = 100;

    // One statement per chunk: the first row below, then ", (@EventId, @PracticeId, @C1, @OccurredAt)" and so on.
    private const string InsertClientRows =
        "INSERT INTO AuditEventClients (AuditEventId, PracticeId, ClientId, OccurredAt) VALUES (@EventId, @PracticeId, @C0, @OccurredAt)";

    public async Task WriteAsync(DbConnection connection, DbTransaction? transaction, Caller caller, AuditEntry entry, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow().UtcDateTime;
        await connection.ExecuteAsync(new CommandDefinition(InsertEvent, new
        {
            Id = id,
            caller.PracticeId,
            OccurredAt = now,
            ActorKind = caller.Kind,
            ActorId = caller.Kind == TokenKinds.System ? (Guid?)null : caller.ActorId,
            TokenId = caller.Kind == TokenKinds.System ? (Guid?)null : caller.TokenId,
            entry.Action,
            entry.ResourceType,
            entry.ResourceId,
            entry.Outcome,
            caller.SourceIp,
            caller.RequestId,
            entry.Detail,
        }, transaction, cancellationToken: ct));

        var clients = entry.ClientIds?.Distinct().ToArray() ?? [];
        if (clients.Length == 1)
        {
            // The common case (one client read or changed): a constant statement Dapper prepares and binds cheaply.
            await connection.ExecuteAsync(new CommandDefinition(InsertOneClient,
                new { EventId = id, caller.PracticeId, ClientId = clients[0], OccurredAt = now }, transaction, cancellationToken: ct));
            return;
        }

        foreach (var chunk in clients.Chunk(ClientRowsPerStatement))
        {
            var parameters = new DynamicParameters(new { EventId = id, caller.PracticeId, OccurredAt = now });
            var sql = new System.Text.StringBuilder(InsertClientRows);
            parameters.Add("C0", chunk[0]);
            for (var i = 1; i < chunk.Length; i++)
            {
                parameters.Add($"C{i}", chunk[i]);
                sql.Append(System.Globalization.CultureInfo.InvariantCulture, $", (@EventId, @PracticeId, @C{i}, @OccurredAt)");
            }

            await connection.ExecuteAsync(new CommandDefinition(
                sql.ToString(),
                parameters, transaction, cancellationToken: ct));
        }
    }

    private readonly Channel<(Caller Caller, AuditEntry Entry, TaskCompletionSource Committed)> _reads =
        Channel.CreateUnbounded<(Caller, AuditEntry, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });

    private Task? _readWriter;

    /// <summary>
    /// Audits a read. Reads have no change to join, so concurrent reads share one transaction (group commit): the call
    /// returns only once its event is committed, so no read is answered unaudited and no acknowledged event is lost.
    /// </summary>
    public Task WriteAsync(Caller caller, AuditEntry entry, CancellationToken ct)
    {
        if (_readWriter is null) Interlocked.CompareExchange(ref _readWriter, Task.Run(WriteReadsAsync), null);
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _reads.Writer.TryWrite((caller, entry, committed));
        return committed.Task;
    }

    private const int ReadBatch = 256;

    private async Task WriteReadsAsync()
    {
        var batch = new List<(Caller Caller, AuditEntry Entry, TaskCompletionSource Committed)>(ReadBatch);
        while (await _reads.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < ReadBatch && _reads.Reader.TryRead(out var item)) batch.Add(item);
            try
            {
                await WriteBatchAsync(batch);
                foreach (var item in batch) item.Committed.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var item in batch) item.Committed.TrySetException(e);
            }
        }
    }

    /// <summary>
    /// One transaction for a batch of read events. The common event (one client) goes through two commands prepared once
    /// for the whole batch and re-bound per event: Dapper would prepare both statements again for every event.
    /// </summary>
    private async Task WriteBatchAsync(List<(Caller Caller, AuditEntry Entry, TaskCompletionSource Committed)> batch)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insertEvent = new RepeatedCommand(connection, transaction, InsertEvent,
            "Id", "PracticeId", "OccurredAt", "ActorKind", "ActorId", "TokenId", "Action", "ResourceType", "ResourceId", "Outcome",
            "SourceIp", "RequestId", "Detail");
        await using var insertClient = new RepeatedCommand(connection, transaction, InsertOneClient, "EventId", "PracticeId", "ClientId", "OccurredAt");
        foreach (var (caller, entry, _) in batch)
        {
            if (entry.ClientIds is { Count: > 1 })
            {
                await WriteAsync(connection, transaction, caller, entry, CancellationToken.None);
                continue;
            }

            var id = Guid.CreateVersion7();
            var now = clock.GetUtcNow().UtcDateTime;
            var system = caller.Kind == TokenKinds.System;
            await insertEvent.ExecuteAsync(id, caller.PracticeId, now, caller.Kind, system ? null : caller.ActorId, system ? null : caller.TokenId,
                entry.Action, entry.ResourceType, entry.ResourceId, entry.Outcome, caller.SourceIp, caller.RequestId, entry.Detail);
            if (entry.ClientIds?.FirstOrDefault() is { } client) await insertClient.ExecuteAsync(id, caller.PracticeId, client, now);
        }

        await transaction.CommitAsync();
    }

    public async Task WriteFailedAuthenticationAsync(Guid? practiceId, Guid? tokenId, string reason, string? sourceIp,
        string requestId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(InsertEvent, new
        {
            Id = Guid.CreateVersion7(),
            PracticeId = practiceId,
            OccurredAt = clock.GetUtcNow().UtcDateTime,
            ActorKind = "anonymous",
            ActorId = (Guid?)null,
            TokenId = tokenId,
            Action = AuditActions.Authenticate,
            ResourceType = "token",
            ResourceId = tokenId,
            Outcome = "denied",
            SourceIp = sourceIp,
            RequestId = requestId,
            Detail = reason,
        }, cancellationToken: ct));
    }
}
