using FluentValidation;

namespace PracticeApi.Features.Tokens;

/// <param name="Kind">user (acts as a therapist) or integration (an EHR or other system).</param>
/// <param name="Name">A name to recognise it by.</param>
/// <param name="TherapistId">The therapist, for a user token.</param>
/// <param name="Scopes">For an integration token, what it may do.</param>
/// <param name="ExpiresAt">When it expires (UTC); left out, it does not expire.</param>
/// <param name="RequiresConsent">For an integration token: true binds it to consent, so it reads only the clients who
/// gave an ehr_sharing consent naming it (withdrawal takes effect at once); such a token cannot hold the practice-wide
/// events:read or webhooks:manage scopes. Left out, false.</param>
public sealed record CreateTokenRequest(TokenKind Kind, string Name, Guid? TherapistId, IReadOnlyList<Scope>? Scopes,
    DateTime? ExpiresAt, bool? RequiresConsent = null);

/// <summary>The plain token is in this response once and never again.</summary>
/// <param name="Id">The token's id.</param>
/// <param name="Kind">user or integration.</param>
/// <param name="Name">A name to recognise it by.</param>
/// <param name="TherapistId">The therapist, for a user token.</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="CreatedAt">When it was issued (UTC).</param>
/// <param name="ExpiresAt">When it expires (UTC).</param>
/// <param name="Token">The token itself; shown in this response only, store it now.</param>
/// <param name="RequiresConsent">Whether it reads only the clients who consented to share with it.</param>
public sealed record CreatedTokenResponse(
    Guid Id, TokenHolder Kind, string Name, Guid? TherapistId, IReadOnlyList<string> Scopes, DateTime CreatedAt, DateTime? ExpiresAt, string Token,
    bool RequiresConsent);

/// <param name="Id">The token's id.</param>
/// <param name="Kind">user, integration or client (a client's portal token).</param>
/// <param name="Name">A name to recognise it by.</param>
/// <param name="TherapistId">The therapist, for a user token.</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="CreatedAt">When it was issued (UTC).</param>
/// <param name="ExpiresAt">When it expires (UTC).</param>
/// <param name="RevokedAt">When it was revoked (UTC).</param>
/// <param name="LastUsedAt">When it was last used (UTC).</param>
/// <param name="RequiresConsent">Whether it reads only the clients who consented to share with it (or with its SMART
/// client).</param>
public sealed record TokenResponse(
    Guid Id, TokenHolder Kind, string Name, Guid? TherapistId, IReadOnlyList<string> Scopes, DateTime CreatedAt,
    DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt, bool RequiresConsent);

public sealed record TokenListQuery : IPageQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    public Guid? TherapistId { get; init; }
}

internal sealed record TokenRow
{
    public Guid Id { get; init; }
    public Guid PracticeId { get; init; }
    public string Kind { get; init; } = "";
    public string Name { get; init; } = "";
    public Guid? TherapistId { get; init; }
    public string? Scopes { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? ExpiresAt { get; init; }
    public DateTime? RevokedAt { get; init; }
    public DateTime? LastUsedAt { get; init; }
    public Guid? ConsentRecipientId { get; init; }

    public IReadOnlyList<string> ScopeList => (Scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public TokenResponse ToResponse() => new(Id, ClosedSets.Parse<TokenHolder>(Kind), Name, TherapistId, ScopeList,
        CreatedAt, ExpiresAt, RevokedAt, LastUsedAt, ConsentRecipientId is not null);

    public CreatedTokenResponse ToCreated(string token) =>
        new(Id, ClosedSets.Parse<TokenHolder>(Kind), Name, TherapistId, ScopeList, CreatedAt, ExpiresAt, token,
            ConsentRecipientId is not null);
}

/// <summary>The tokens staff issue here: a user token acts as a therapist, an integration token as a system (client
/// tokens are issued per client, at /api/v1/clients/{id}/portal-tokens).</summary>
public enum TokenKind { User, Integration }

/// <summary>Who a token stands for: a therapist or admin (user), a system (integration), or a client (their
/// portal).</summary>
public enum TokenHolder { User, Integration, Client }

internal sealed class CreateTokenValidator : AbstractValidator<CreateTokenRequest>
{
    public CreateTokenValidator(TimeProvider clock)
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        When(r => r.Kind == TokenKind.User, () =>
        {
            RuleFor(r => r.TherapistId).NotNull().WithMessage("therapistId is required for a user token.");
            RuleFor(r => r.Scopes).Must(s => s is null || s.Count == 0)
                .WithMessage("user tokens act with the therapist's role; scopes are for integration tokens.");
            RuleFor(r => r.RequiresConsent).Must(b => b != true)
                .WithMessage(
                    "requiresConsent is for integration tokens; a user token follows the therapist's caseload.");
        });
        When(r => r.Kind == TokenKind.Integration, () =>
        {
            RuleFor(r => r.TherapistId).Null().WithMessage("integration tokens do not act as a therapist.");
            RuleFor(r => r.Scopes).NotEmpty().WithMessage("an integration token needs at least one scope.");
            RuleFor(r => r.Scopes).Must(s => s is null || !s.Any(x => x is Scope.EventsRead or Scope.WebhooksManage))
                .When(r => r.RequiresConsent == true)
                .WithMessage(
                    "a token bound to consent reads per client: events:read and webhooks:manage are practice-wide.");
        });
        RuleFor(r => r.ExpiresAt).Must(e => e is null || e > clock.GetUtcNow().UtcDateTime)
            .WithMessage("expiresAt must be in the future.");
    }
}

internal sealed class TokenListQueryValidator : AbstractValidator<TokenListQuery>
{
    public TokenListQueryValidator() => this.ApplyPaging();
}

/// <param name="Name">A name to recognise the token by, such as the device (default: Portal).</param>
/// <param name="ExpiresAt">When it stops working (UTC); left out, it does not expire.</param>
public sealed record PortalTokenRequest(string? Name, DateTime? ExpiresAt);

/// <param name="Id">The portal token's id (use it to revoke the token).</param>
/// <param name="ClientId">The client who signs in with it.</param>
/// <param name="Name">A name to recognise it by, such as the device.</param>
/// <param name="CreatedAt">When it was issued (UTC).</param>
/// <param name="ExpiresAt">When it stops working (UTC); null for no expiry.</param>
/// <param name="Token">The token itself; shown in this response only, store it now.</param>
public sealed record PortalTokenResponse(Guid Id, Guid ClientId, string Name, DateTime CreatedAt, DateTime? ExpiresAt,
    string Token);

internal sealed class PortalTokenRequestValidator : AbstractValidator<PortalTokenRequest>
{
    public PortalTokenRequestValidator(TimeProvider clock)
    {
        RuleFor(r => r.Name).MaximumLength(200);
        RuleFor(r => r.ExpiresAt).Must(e => e is null || (e > clock.GetUtcNow().UtcDateTime && e < clock.GetUtcNow()
            .UtcDateTime.AddYears(2)))
            .WithMessage("expiresAt must be in the future and within two years.");
    }
}
