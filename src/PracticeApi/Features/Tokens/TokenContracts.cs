using FluentValidation;

namespace PracticeApi.Features.Tokens;

/// <param name="Kind">user (acts as a therapist) or integration (an EHR or other system).</param>
/// <param name="Name">A name to recognise it by.</param>
/// <param name="TherapistId">The therapist, for a user token.</param>
/// <param name="Scopes">For an integration token, what it may do.</param>
/// <param name="ExpiresAt">When it expires (UTC); left out, it does not expire.</param>
public sealed record CreateTokenRequest(string Kind, string Name, Guid? TherapistId, IReadOnlyList<string>? Scopes, DateTime? ExpiresAt);

/// <summary>The plain token is in this response once and never again.</summary>
/// <param name="Id">The token's id.</param>
/// <param name="Kind">user or integration.</param>
/// <param name="Name">A name to recognise it by.</param>
/// <param name="TherapistId">The therapist, for a user token.</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="CreatedAt">When it was issued (UTC).</param>
/// <param name="ExpiresAt">When it expires (UTC).</param>
/// <param name="Token">The token itself; shown in this response only, store it now.</param>
public sealed record CreatedTokenResponse(
    Guid Id, string Kind, string Name, Guid? TherapistId, IReadOnlyList<string> Scopes, DateTime CreatedAt, DateTime? ExpiresAt, string Token);

/// <param name="Id">The token's id.</param>
/// <param name="Kind">user or integration.</param>
/// <param name="Name">A name to recognise it by.</param>
/// <param name="TherapistId">The therapist, for a user token.</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="CreatedAt">When it was issued (UTC).</param>
/// <param name="ExpiresAt">When it expires (UTC).</param>
/// <param name="RevokedAt">When it was revoked (UTC).</param>
/// <param name="LastUsedAt">When it was last used (UTC).</param>
public sealed record TokenResponse(
    Guid Id, string Kind, string Name, Guid? TherapistId, IReadOnlyList<string> Scopes, DateTime CreatedAt,
    DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt);

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

    public IReadOnlyList<string> ScopeList => (Scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public TokenResponse ToResponse() => new(Id, Kind, Name, TherapistId, ScopeList, CreatedAt, ExpiresAt, RevokedAt, LastUsedAt);

    public CreatedTokenResponse ToCreated(string token) => new(Id, Kind, Name, TherapistId, ScopeList, CreatedAt, ExpiresAt, token);
}

internal sealed class CreateTokenValidator : AbstractValidator<CreateTokenRequest>
{
    public CreateTokenValidator(TimeProvider clock)
    {
        RuleFor(r => r.Kind).Must(k => k is TokenKinds.User or TokenKinds.Integration)
            .WithMessage("kind must be 'user' or 'integration' (client tokens are issued per client).");
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        When(r => r.Kind == TokenKinds.User, () =>
        {
            RuleFor(r => r.TherapistId).NotNull().WithMessage("therapistId is required for a user token.");
            RuleFor(r => r.Scopes).Must(s => s is null || s.Count == 0).WithMessage("user tokens act with the therapist's role; scopes are for integration tokens.");
        });
        When(r => r.Kind == TokenKinds.Integration, () =>
        {
            RuleFor(r => r.TherapistId).Null().WithMessage("integration tokens do not act as a therapist.");
            RuleFor(r => r.Scopes).NotEmpty().WithMessage("an integration token needs at least one scope.");
            RuleForEach(r => r.Scopes).Must(s => Scopes.All.Contains(s))
                .WithMessage($"unknown scope; known scopes: {string.Join(", ", Scopes.All)}.");
        });
        RuleFor(r => r.ExpiresAt).Must(e => e is null || e > clock.GetUtcNow().UtcDateTime)
            .WithMessage("expiresAt must be in the future.");
    }
}

internal sealed class TokenListQueryValidator : AbstractValidator<TokenListQuery>
{
    public TokenListQueryValidator() => this.ApplyPaging();
}
