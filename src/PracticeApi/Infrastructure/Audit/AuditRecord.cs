namespace PracticeApi.Infrastructure.Audit;

/// <summary>
/// One audit event as both engines store it, written once: its columns (<see cref="Columns"/>) in the order of its
/// values (<see cref="Values"/>, its clients as a <see cref="StoredIds.List"/>, null for none), and one AuditEventClients
/// row for each client whose data it concerned (<see cref="ClientRows"/>).
/// </summary>
public sealed record AuditRecord(
    Guid Id,
    Guid? PracticeId,
    DateTime OccurredAt,
    ActorKind ActorKind,
    Guid? ActorId,
    Guid? TokenId,
    AuditAction Action,
    string ResourceType,
    Guid? ResourceId,
    AuditOutcome Outcome,
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
        var system = caller.Kind == ActorKind.System;
        return new AuditRecord(id, caller.PracticeId, at, caller.Kind, system ? null : caller.ActorId,
            system ? null : caller.TokenId,
            entry.Action, entry.ResourceType, entry.ResourceId, entry.Outcome, caller.SourceIp, caller.RequestId, entry.Detail,
            entry.ClientIds is null ? [] : entry.ClientIds.Distinct().ToList());
    }

    /// <summary>The event's values in <see cref="Columns"/> order, as the engine stores them.</summary>
    public object?[] Values(DatabaseProvider engine) =>
    [
        Id, PracticeId, OccurredAt, ActorKind.Wire(), ActorId, TokenId, Action.Wire(), ResourceType, ResourceId,
        Outcome.Wire(), SourceIp, RequestId, Detail,
        ClientIds.Count == 0 ? null : StoredIds.List(engine, ClientIds),
    ];

    /// <summary>One AuditEventClients row per client, values in <see cref="ClientColumns"/> order, as the engine stores
    /// them.</summary>
    public IEnumerable<object?[]> ClientRows()
    {
        if (ClientIds.Count == 0) yield break;
        foreach (var client in ClientIds) yield return [Id, PracticeId, client, OccurredAt];
    }
}
