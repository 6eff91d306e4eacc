using System.Reflection;
using System.Security.Claims;

namespace PracticeApi.Infrastructure.Security;

/// <summary>Who acts: staff through a user token, an integration, a client through the portal, a therapist's calendar
/// feed (read by its secret address, never a bearer token), the application itself (bootstrap, CLI, background work)
/// or, for a refused request, nobody known. The audit trail records it with every event.</summary>
public enum ActorKind { User, Integration, Client, CalendarFeed, System, Anonymous }

/// <summary>What a therapist may do: an admin runs the practice; a therapist sees their own caseload.</summary>
public enum TherapistRole { Admin, Therapist }

public static class Scopes
{
    public const string ClientsRead = "clients:read";
    public const string ClientsWrite = "clients:write";
    public const string SessionsRead = "sessions:read";
    public const string SessionsWrite = "sessions:write";
    public const string AssignmentsRead = "assignments:read";
    public const string WebhooksManage = "webhooks:manage";
    public const string EventsRead = "events:read";
    public const string FhirRead = "fhir:read";
    public static readonly IReadOnlyList<string> All = ClosedSets.Names<Scope>();
}

/// <summary>What an integration token may do (its scopes, as Scopes names them).</summary>
public enum Scope
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName(Scopes.ClientsRead)] ClientsRead,
    [System.Text.Json.Serialization.JsonStringEnumMemberName(Scopes.ClientsWrite)] ClientsWrite,
    [System.Text.Json.Serialization.JsonStringEnumMemberName(Scopes.SessionsRead)] SessionsRead,
    [System.Text.Json.Serialization.JsonStringEnumMemberName(Scopes.SessionsWrite)] SessionsWrite,
    [System.Text.Json.Serialization.JsonStringEnumMemberName(Scopes.AssignmentsRead)] AssignmentsRead,
    [System.Text.Json.Serialization.JsonStringEnumMemberName(Scopes.WebhooksManage)] WebhooksManage,
    [System.Text.Json.Serialization.JsonStringEnumMemberName(Scopes.EventsRead)] EventsRead,
    [System.Text.Json.Serialization.JsonStringEnumMemberName(Scopes.FhirRead)] FhirRead,
}

/// <summary>Who is calling, for this request: the authenticated token, its practice and the request's
/// context.</summary>
public sealed record Caller(
    Guid PracticeId,
    Guid TokenId,
    ActorKind Kind,
    Guid? TherapistId,
    Guid? ClientId,
    TherapistRole? Role,
    IReadOnlySet<string> Scopes,
    string? SourceIp,
    string RequestId)
{
    internal const string PracticeClaim = "practice_id";
    internal const string TokenClaim = "token_id";
    internal const string KindClaim = "token_kind";
    internal const string TherapistClaim = "therapist_id";
    internal const string ClientClaim = "client_id";
    internal const string ScopeClaim = "scope";

    public bool IsUser => Kind == ActorKind.User;

    public bool IsAdmin => IsUser && Role == TherapistRole.Admin;

    /// <summary>A client acting through the portal, as themselves only.</summary>
    public bool IsPortal => Kind == ActorKind.Client;

    /// <summary>The person or machine acting: the therapist for user tokens, the token itself otherwise.</summary>
    public Guid ActorId => TherapistId ?? ClientId ?? TokenId;

    /// <summary>
    /// For an integration token bound to consent: whom the clients' ehr_sharing consents must name (the token itself,
    /// or the SMART client it was issued to); null for every other caller.
    /// </summary>
    public Guid? ConsentRecipientId { get; init; }

    /// <summary>For a portal client: the language they chose (nl or en), what they read when a request names
    /// none.</summary>
    public string? PreferredLanguage { get; init; }

    /// <summary>
    /// Whose view narrows which clients the caller sees (the @Caseload of <c>Care.Caseload</c>): a therapist sees the
    /// clients whose care team they are on, a consent-bound integration the clients who consented to share with it;
    /// admins, portal clients (checked per request) and other integrations the whole practice (null).
    /// </summary>
    public Guid? Caseload => IsUser && !IsAdmin ? TherapistId : Kind == ActorKind.Integration
        ? ConsentRecipientId : null;

    public bool HasScope(string scope) => Scopes.Contains(scope);

    public static Caller System(Guid practiceId) =>
        new(practiceId, Guid.Empty, ActorKind.System, null, null, null, new HashSet<string>(), null, "system");

    public static Caller From(HttpContext context) =>
        context.User.Identity is CallerIdentity { IsAuthenticated: true } identity
            ? identity.Token with { SourceIp = context.Connection.RemoteIpAddress?.ToString(), RequestId = context.TraceIdentifier }
            : throw new InvalidOperationException("Caller requested on an endpoint without authentication.");

    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult<Caller?>(From(context));
}

/// <summary>
/// An authenticated token as the bearer handler found it: its claims (what authorization policies read) and the caller
/// they describe, typed, so that <see cref="Caller.From"/> does not parse them back out of the claims' text on every
/// request.
/// </summary>
public sealed class CallerIdentity : ClaimsIdentity
{
    public CallerIdentity(Caller token, string authenticationType) : base(ClaimsOf(token),
        authenticationType) => Token = token;

    private CallerIdentity(CallerIdentity other) : base(other) => Token = other.Token;

    /// <summary>The token's caller; the request's address and id are added by <see cref="Caller.From"/>.</summary>
    public Caller Token { get; }

    /// <summary>A copy that stays a <see cref="CallerIdentity"/> (ClaimsPrincipal.Clone copies its identities this
    /// way).</summary>
    public override ClaimsIdentity Clone() => new CallerIdentity(this);

    private static IEnumerable<Claim> ClaimsOf(Caller token)
    {
        yield return new Claim(Caller.PracticeClaim, token.PracticeId.ToString());
        yield return new Claim(Caller.TokenClaim, token.TokenId.ToString());
        yield return new Claim(Caller.KindClaim, token.Kind.Wire());
        if (token.TherapistId is { } therapist) yield return new Claim(Caller.TherapistClaim, therapist.ToString());
        if (token.ClientId is { } client) yield return new Claim(Caller.ClientClaim, client.ToString());
        if (token.Role is { } role) yield return new Claim(ClaimTypes.Role, role.Wire());
        foreach (var scope in token.Scopes) yield return new Claim(Caller.ScopeClaim, scope);
    }
}
