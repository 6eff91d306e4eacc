using System.Text.Json;

namespace PracticeApi.Infrastructure.Audit;

/// <summary>
/// One audit event as both engines store it, written once: its columns (<see cref="Columns"/>) in the order of its values
/// (<see cref="Values"/>). Ids are ids (text on SQLite like every other id there, uniqueidentifier on SQL Server), and the
/// clients whose data the event concerned are a JSON array of ids in <c>ClientIds</c>, with one AuditEventClients row each.
/// </summary>
public sealed record AuditRecord(
    Guid Id,
    Guid? PracticeId,
    DateTime OccurredAt,
    string ActorKind,
    Guid? ActorId,
    Guid? TokenId,
    string Action,
    string ResourceType,
    Guid? ResourceId,
    string Outcome,
    string? SourceIp,
    string? RequestId,
    string? Detail,
    IReadOnlyList<Guid> ClientIds)
{
    public const string ColumnList =
        "Id, PracticeId, OccurredAt, ActorKind, ActorId, TokenId, Action, ResourceType, ResourceId, Outcome, SourceIp, RequestId, Detail, ClientIds";

    public const string ParameterList =
        "@Id, @PracticeId, @OccurredAt, @ActorKind, @ActorId, @TokenId, @Action, @ResourceType, @ResourceId, @Outcome, @SourceIp, @RequestId, @Detail, @ClientIds";

    /// <summary>The columns of AuditEvents (and of SQLite's inbox) in the order of <see cref="Values"/>.</summary>
    public static readonly string[] Columns = ColumnList.Split(", ");

    /// <summary>The columns of AuditEventClients, in the order of <see cref="ClientRows"/>' values.</summary>
    public static readonly string[] ClientColumns = ["AuditEventId", "PracticeId", "ClientId", "OccurredAt"];

    /// <summary>The event a caller's action makes (a system job acts with no actor or token of its own).</summary>
    public static AuditRecord Of(Guid id, DateTime at, Caller caller, AuditEntry entry)
    {
        var system = caller.Kind == TokenKinds.System;
        return new AuditRecord(id, caller.PracticeId, at, caller.Kind, system ? null : caller.ActorId, system ? null : caller.TokenId,
            entry.Action, entry.ResourceType, entry.ResourceId, entry.Outcome, caller.SourceIp, caller.RequestId, entry.Detail,
            entry.ClientIds is null ? [] : entry.ClientIds.Distinct().ToList());
    }

    public object?[] Values() =>
    [
        Id, PracticeId, OccurredAt, ActorKind, ActorId, TokenId, Action, ResourceType, ResourceId, Outcome, SourceIp, RequestId, Detail,
        StoredClients(ClientIds),
    ];

    /// <summary>One AuditEventClients row per client, values in <see cref="ClientColumns"/> order.</summary>
    public IEnumerable<object?[]> ClientRows() => ClientIds.Select(client => new object?[] { Id, PracticeId, client, OccurredAt });

    /// <summary>An event's clients as stored (null for none).</summary>
    public static string? StoredClients(IReadOnlyCollection<Guid> clients) => clients.Count == 0 ? null : JsonSerializer.Serialize(clients);

    /// <summary>Reads <see cref="StoredClients"/> back.</summary>
    public static IReadOnlyList<Guid> ParseClients(string? stored) =>
        stored is null ? [] : JsonSerializer.Deserialize<List<Guid>>(stored) ?? [];
}
