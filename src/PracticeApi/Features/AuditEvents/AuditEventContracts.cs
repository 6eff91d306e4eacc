using FluentValidation;

namespace PracticeApi.Features.AuditEvents;

/// <param name="Id">The event's id.</param>
/// <param name="OccurredAt">When it happened (UTC).</param>
/// <param name="ActorKind">Who acted: user (staff), integration, client (a partner's portal), calendar_feed (a
/// therapist's calendar subscription), system, or anonymous (a refused authentication).</param>
/// <param name="ActorId">The therapist, client or client registration that acted.</param>
/// <param name="TokenId">The token the request came with.</param>
/// <param name="Action">What was done: read, create, update, delete, export, override (of a safety hold) or
/// authenticate.</param>
/// <param name="ResourceType">The kind of record acted on.</param>
/// <param name="ResourceId">The record acted on.</param>
/// <param name="Outcome">success, or denied (a refused authentication or a forbidden request).</param>
/// <param name="SourceIp">The address the request came from.</param>
/// <param name="RequestId">The request's trace id, to match server logs.</param>
/// <param name="Detail">Extra facts about the action (never clinical text).</param>
/// <param name="ClientIds">The clients whose record was touched.</param>
public sealed record AuditEventResponse(
    Guid Id, DateTime OccurredAt, ActorKind ActorKind, Guid? ActorId, Guid? TokenId, AuditAction Action,
    string ResourceType, Guid? ResourceId, AuditOutcome Outcome, string? SourceIp, string? RequestId, string? Detail,
    IReadOnlyList<Guid> ClientIds);

/// <summary>A page of an audit trail, newest first, between from and to.</summary>
public interface IAuditWindowQuery : IPageQuery
{
    DateTimeOffset? From { get; }
    DateTimeOffset? To { get; }
}

public sealed record AuditEventQuery : IAuditWindowQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    public Guid? ActorId { get; init; }
    public Guid? ClientId { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
}

internal static class AuditWindowRules
{
    /// <summary>Paging by (time, id), and from/to within the supported years with to after from.</summary>
    public static void ApplyAuditWindow<T>(this AbstractValidator<T> validator) where T : IAuditWindowQuery
    {
        validator.ApplyPaging(cursorParts: 2);
        validator.RuleFor(q => q.From).WithinWindow();
        validator.RuleFor(q => q.To).WithinWindow();
        validator.RuleFor(q => q.To).Must((q, to) => q.From is null || to is null || to > q.From)
            .WithMessage("to must be after from.");
    }
}

internal sealed class AuditEventQueryValidator : AbstractValidator<AuditEventQuery>
{
    public AuditEventQueryValidator() => this.ApplyAuditWindow();
}

internal sealed record AuditEventRow
{
    public Guid Id { get; init; }
    public DateTime OccurredAt { get; init; }
    public string ActorKind { get; init; } = "";
    public Guid? ActorId { get; init; }
    public Guid? TokenId { get; init; }
    public string Action { get; init; } = "";
    public string ResourceType { get; init; } = "";
    public Guid? ResourceId { get; init; }
    public string Outcome { get; init; } = "";
    public string? SourceIp { get; init; }
    public string? RequestId { get; init; }
    public string? Detail { get; init; }
    public object? ClientIds { get; init; }
}

/// <summary>
/// One entry of a client's access log: who (staff: a therapist or admin by name and current role, an integration by its
/// name, the client, their partner, or the practice system), when, what they did and with what kind of data.
/// </summary>
/// <param name="OccurredAt">When the record was accessed (UTC).</param>
/// <param name="ActorKind">staff, integration, self (the client through the portal), partner (the other partner) or
/// system.</param>
/// <param name="ActorName">The name of the person or system that accessed it.</param>
/// <param name="ActorRole">The staff role at the time, for staff.</param>
/// <param name="Action">What was done (a safety-hold override reads as update).</param>
/// <param name="DataKind">Which part of the record was accessed.</param>
public sealed record AccessLogEntry(DateTime OccurredAt, Accessor ActorKind, string? ActorName,
    TherapistRole? ActorRole, AuditAction Action, string DataKind);

public sealed record AccessLogQuery : IAuditWindowQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
}

internal sealed class AccessLogQueryValidator : AbstractValidator<AccessLogQuery>
{
    public AccessLogQueryValidator() => this.ApplyAuditWindow();
}

internal sealed record AccessLogRow
{
    public Guid Id { get; init; }
    public DateTime OccurredAt { get; init; }
    public string ActorKind { get; init; } = "";
    public Guid? ActorId { get; init; }
    public string Action { get; init; } = "";
    public string ResourceType { get; init; } = "";
    public Guid? TokenId { get; init; }
}

internal sealed record ActorNameRow
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string? Role { get; init; }
}

/// <summary>Who accessed a client's record, as the client reads their access log.</summary>
public enum Accessor { Staff, Integration, Self, Partner, System }
