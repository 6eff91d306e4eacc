using System.Data.Common;
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

    // Rows per multi-row INSERT: keeps a list read's audit to a few statements and under parameter limits.
    private const int ClientRowsPerStatement = 100;

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
        foreach (var chunk in clients.Chunk(ClientRowsPerStatement))
        {
            var parameters = new DynamicParameters(new { EventId = id, caller.PracticeId, OccurredAt = now });
            var values = new List<string>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                parameters.Add($"C{i}", chunk[i]);
                values.Add($"(@EventId, @PracticeId, @C{i}, @OccurredAt)");
            }

            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO AuditEventClients (AuditEventId, PracticeId, ClientId, OccurredAt) VALUES {string.Join(", ", values)}",
                parameters, transaction, cancellationToken: ct));
        }
    }

    /// <summary>Audits a read on its own short transaction (a read has no change to join).</summary>
    public async Task WriteAsync(Caller caller, AuditEntry entry, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await WriteAsync(connection, transaction, caller, entry, ct);
        await transaction.CommitAsync(ct);
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
