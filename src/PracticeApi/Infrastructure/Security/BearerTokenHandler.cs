using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace PracticeApi.Infrastructure.Security;

/// <summary>Authenticates opaque bearer tokens against their SHA-256 hash; failures are audited.</summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    Db db,
    AuditLog audit,
    FailedAuthentications failures,
    TokenCache cache,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    // Last-used time is a hint, not a log: refresh it at most once a minute per token.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private const string FindSql = """
        SELECT t.Id, t.PracticeId, t.Kind, t.TherapistId, t.ClientId, t.Scopes, t.ExpiresAt, t.RevokedAt, t.LastUsedAt,
            t.ConsentRecipientId, th.Role AS Role, th.IsActive AS TherapistActive, c.Status AS ClientStatus,
                   c.PreferredLanguage AS ClientLanguage
        FROM ApiTokens t
        LEFT JOIN Therapists th ON th.Id = t.TherapistId AND th.PracticeId = t.PracticeId
        LEFT JOIN Clients c ON c.Id = t.ClientId AND c.PracticeId = t.PracticeId
        WHERE t.TokenHash = @Hash
        """;

    private const string TouchSql = "UPDATE ApiTokens SET LastUsedAt = @Now WHERE Id = @Id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length < 8
            + TokenSecrets.Prefix.Length)
        {
            return await FailAsync(null, "malformed authorization header");
        }

        var token = header[7..].Trim();
        var ct = Context.RequestAborted;
        var hash = TokenSecrets.Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        var row = cache.Find(hash);
        if (row is null)
        {
            var generation = cache.Generation;
            await using (var c = await db.BeginReadAsync(ct))
            {
                row = await c.QuerySingleOrDefaultAsync<TokenState>(FindSql, new { Hash = hash });
            }

            if (Refusal(row, now) is { } refused) return await FailAsync(row, refused);
            row = await TouchAsync(row!, now, ct);
            cache.Store(hash, row, generation);
        }
        else if (Refusal(row, now) is { } refused)
        {
            return await FailAsync(row, refused);
        }
        else if (NeedsTouch(row, now))
        {
            var generation = cache.Generation;
            cache.Store(hash, await TouchAsync(row, now, ct), generation);
        }

        var principal = new ClaimsPrincipal(new CallerIdentity(row.Caller, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private static string? Refusal(TokenState? row, DateTime now) => row switch
    {
        null => "unknown token",
        { RevokedAt: not null } => "revoked token",
        { ExpiresAt: { } expires } when expires <= now => "expired token",
        { Holder: ActorKind.User, TherapistActive: not true } => "inactive therapist",
        { Holder: ActorKind.Client, ClientStatus: not "active" } => "client not in care",
        _ => null,
    };

    private static bool NeedsTouch(TokenState row, DateTime now) => row.LastUsedAt is null
        || now - row.LastUsedAt.Value >= LastUsedResolution;

    private async Task<TokenState> TouchAsync(TokenState row, DateTime now, CancellationToken ct)
    {
        if (!NeedsTouch(row, now)) return row;
        await db.ExecuteAsync(TouchSql, new { Now = now, row.Id }, ct);
        return row with { LastUsedAt = now };
    }

    private async Task<AuthenticateResult> FailAsync(TokenState? row, string reason)
    {
        await failures.RecordAsync(audit, row?.PracticeId, row?.Id, reason,
            Context.Connection.RemoteIpAddress?.ToString(), Context.TraceIdentifier);

        return AuthenticateResult.Fail(reason);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized",
            "A valid bearer token is required: Authorization: Bearer <token>.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "forbidden", "Forbidden",
            "This token's role or scopes do not allow this action.");
}
