using FluentValidation;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PracticeApi.Features.Tokens;

namespace PracticeApi.Features.Smart;

/// <summary>
/// SMART Backend Services (OAuth 2.0 client credentials with a private_key_jwt assertion): an admin registers a client
/// with its public keys and scopes; the client signs a short-lived JWT (RS384 or ES384) and receives a five-minute
/// access token. The access token is an integration token of this API with the matching scopes, so every tenancy,
/// caseload and audit rule applies to it unchanged. Assertions are validated with
/// Microsoft.IdentityModel.JsonWebTokens.
/// </summary>
internal sealed class SmartStore(Db db, AuditLog audit, TokenIssuer issuer, TokenCache tokenCache, TimeProvider clock,
    SmartKeySets keys)
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(5);
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    // An assertion may live at most five minutes (SMART Backend Services).
    private static readonly TimeSpan MaxAssertionLifetime = TimeSpan.FromMinutes(5);

    private const string InsertSql = """
        INSERT INTO SmartClients (Id, PracticeId, Name, Jwks, JwksUrl, Scopes, CreatedBy, CreatedAt, RequiresConsent)
        VALUES (@Id, @PracticeId, @Name, @Jwks, @JwksUrl, @Scopes, @CreatedBy, @Now, @RequiresConsent)
        """;

    private const string StoreKeysSql = "UPDATE SmartClients SET Jwks = @Jwks WHERE Id = @Id";

    private const string ListSql = $"""
        SELECT Id, PracticeId, Name, Jwks, JwksUrl, Scopes, CreatedAt, RequiresConsent FROM SmartClients
        WHERE PracticeId = @PracticeId AND RevokedAt IS NULL AND Id > @After ORDER BY Id {SqlDialect.Limit}
        """;

    private const string FindSql = "SELECT Id, PracticeId, Name, Jwks, JwksUrl, Scopes, CreatedAt, RequiresConsent FROM SmartClients WHERE Id = @Id AND RevokedAt IS NULL";

    private const string RevokeSql = "UPDATE SmartClients SET RevokedAt = @Now WHERE Id = @Id AND PracticeId = @PracticeId AND RevokedAt IS NULL";

    // The access tokens a client was issued (each made by the client itself) end with it.
    private const string RevokeIssuedSql = """
        UPDATE ApiTokens SET RevokedAt = @Now WHERE PracticeId = @PracticeId AND CreatedBy = @Id
            AND Kind = 'integration' AND RevokedAt IS NULL
        """;

    private const string UseAssertionSql = "INSERT INTO SmartAssertions (PracticeId, ClientId, Jti, ExpiresAt) VALUES (@PracticeId, @ClientId, @Jti, @ExpiresAt)";

    // Run by the retention service: a used jti only has to be remembered while its assertion could still be valid.
    // The oldest expired assertion ids, about a batch at a time (see RetentionRule).
    public const string PurgeAssertionsSql = $"""
        DELETE FROM SmartAssertions WHERE ExpiresAt < @Now AND ExpiresAt <= (
            SELECT MAX(b.ExpiresAt) FROM (SELECT ExpiresAt FROM SmartAssertions WHERE ExpiresAt < @Now ORDER BY ExpiresAt {SqlDialect.Limit}) b)
        """;

    private sealed record ClientRow
    {
        public Guid Id { get; init; }
        public Guid PracticeId { get; init; }
        public string Name { get; init; } = "";
        public string Jwks { get; init; } = "";
        public string? JwksUrl { get; init; }
        public string Scopes { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public bool RequiresConsent { get; init; }

        public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        public SmartClientResponse ToResponse() =>
            new(Id, Name, ScopeList, SmartKeys.SigningKeys(Jwks).Select(k => k.KeyId).ToList(), JwksUrl, CreatedAt,
                RequiresConsent);
    }

    public async Task<Outcome<SmartClientResponse>> RegisterAsync(Caller caller, SmartClientRequest request,
        CancellationToken ct)
    {
        var id = EntityIds.New();
        var jwks = request.Jwks?.GetRawText();
        if (request.JwksUrl is { } url)
        {
            if (await keys.FetchAsync(url, ct) is not { } fetched)
            {
                return Failure.Invalid("jwksUrl",
                    "jwksUrl must answer, from a public address, a JSON Web Key Set with 1 to 10 public RSA or EC signing keys.");
            }

            jwks = fetched;
        }

        await using var c = await db.BeginWriteAsync(ct);
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, Name = request.Name.Trim(), Jwks = jwks, request.JwksUrl,
            Scopes = string.Join(' ', request.Scopes.Distinct()
                .Order(StringComparer.Ordinal)), CreatedBy = caller.ActorId, Now = clock.GetUtcNow().UtcDateTime,
            RequiresConsent = request.RequiresConsent == true,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "smart_client", id));
        var row = await c.QuerySingleAsync<ClientRow>(FindSql, new { Id = id });
        await c.CommitAsync();
        return row.ToResponse();
    }

    public async Task<Page<SmartClientResponse>> ListAsync(Caller caller, IdPageQuery query, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var rows = await c.QueryAsync<ClientRow>(ListSql, new
        {
            caller.PracticeId, After = Cursor.After(query.Cursor), Limit = query.EffectiveLimit() + 1,
        });
        return Cursor.ToPage(rows, query.EffectiveLimit(), r => [r.Id.ToString()], r => r.ToResponse());
    }

    public async Task<bool> RevokeAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (await c.ExecuteAsync(RevokeSql, new { Id = id, caller.PracticeId, Now = clock.GetUtcNow()
            .UtcDateTime }) == 0)
        {
            return false;
        }

        await c.ExecuteAsync(RevokeIssuedSql, new { Id = id, caller.PracticeId, Now = clock.GetUtcNow().UtcDateTime });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Delete, "smart_client", id));
        await c.CommitAsync();
        tokenCache.Invalidate();
        return true;
    }

    /// <summary>
    /// The keys an assertion is checked against: the registered set, or for a JWKS URL the last fetched set, fetched
    /// again (and stored) when the assertion names a key it does not have.
    /// </summary>
    private async Task<IList<SecurityKey>> KeysAsync(DbSession c, ClientRow client, string? kid, CancellationToken ct)
    {
        var known = SmartKeys.SigningKeys(client.Jwks);
        if (client.JwksUrl is null) return known;
        var refetch = keys.IsStale(client.JwksUrl) || (!known.Any(k => k.KeyId == kid)
            && keys.MayRefetch(client.JwksUrl));
        if (!refetch) return known;
        if (await keys.FetchAsync(client.JwksUrl, ct) is not { } fetched) return known;
        await db.ExecuteAsync(StoreKeysSql, new { Jwks = fetched, client.Id }, ct);
        return SmartKeys.SigningKeys(fetched);
    }

    /// <summary>The client credentials grant: validates the assertion and issues a short-lived access token.</summary>
    public async Task<GrantOutcome> GrantAsync(IFormCollection form, string tokenEndpoint, string? sourceIp,
        string requestId, CancellationToken ct)
    {
        if (form["grant_type"] != "client_credentials") return Refuse("unsupported_grant_type",
            "grant_type must be client_credentials.");
        if (form["client_assertion_type"] != AssertionType) return Refuse("invalid_client",
            $"client_assertion_type must be {AssertionType}.", 401);
        var now = clock.GetUtcNow().UtcDateTime;
        var assertion = form["client_assertion"].ToString();
        var (read, problem) = SmartAssertion.Read(assertion, form["client_id"].ToString(), tokenEndpoint, now);
        if (read is null) return Refuse("invalid_client", problem!);

        await using var c = await db.BeginReadAsync(ct);
        var client = await c.QuerySingleOrDefaultAsync<ClientRow>(FindSql, new { Id = read.ClientId });
        if (client is null) return Refuse("invalid_client", "Unknown or revoked client.", 401);
        GrantOutcome Refused(string error, string description, int status = 401) => Refuse(error, description,
            status) with { PracticeId = client.PracticeId, ClientId = client.Id };

        if (read.Jku is not null && read.Jku != client.JwksUrl) return Refused("invalid_client",
            "The assertion's jku is not this client's registered JWKS URL.");
        var signingKeys = await KeysAsync(c, client, read.KeyId, ct);
        if (!signingKeys.Any(k => k.KeyId == read.KeyId)) return Refused("invalid_client",
            $"The assertion's kid '{read.KeyId}' is not one of this client's registered keys.");

        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = client.Id.ToString(),
            ValidAudience = tokenEndpoint,
            IgnoreTrailingSlashWhenValidatingAudience = false,
            IssuerSigningKeys = signingKeys.Where(k => k.KeyId == read.KeyId).ToList(),
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = SmartKeys.Algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } exp && exp.ToUniversalTime() > now.AddSeconds(-30) && exp.ToUniversalTime() <= now
                    + MaxAssertionLifetime + TimeSpan.FromSeconds(30) &&
                (notBefore is null || notBefore.Value.ToUniversalTime() <= now.AddSeconds(30)),
        });
        if (!validation.IsValid) return Refused("invalid_client",
            $"The assertion was refused: {Describe(validation.Exception)}");
        var token = (JsonWebToken)validation.SecurityToken;

        var requested = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        if (requested.Count == 0) requested = client.ScopeList.ToList();
        if (requested.FirstOrDefault(s => !SmartScopes.Covers(client.ScopeList, s)) is { } beyond)
        {
            return Refused("invalid_scope", $"{beyond} is not among the scopes this client was registered with.", 400);
        }

        // The assertion is spent and the token issued in one transaction: a token never leaves without its jti
        // recorded.
        await using var w = await db.BeginWriteAsync(ct);
        if (!await w.ExecuteOnceAsync(UseAssertionSql,
            // Kept past the assertion's expiry plus the clock skew it is still accepted within.
                new { client.PracticeId, ClientId = client.Id, Jti = token.Id, ExpiresAt = token.ValidTo.ToUniversalTime().AddMinutes(1) }))
        {
            return Refused("invalid_client",
                "This assertion (jti) was used before; sign a new one for every token request.");
        }

        var actor = new Caller(client.PracticeId, client.Id, ActorKind.Integration, null, null, null,
            new HashSet<string>(), sourceIp, requestId);
        var issued = await issuer.IssueAsync(w, actor, TokenKind.Integration, $"SMART {client.Name}", null,
            SmartScopes.Grants(requested), now + AccessTokenLifetime, client.RequiresConsent ? client.Id : null);
        await w.CommitAsync();
        return new GrantOutcome(new TokenGrant(issued.Token, "bearer", (int)AccessTokenLifetime.TotalSeconds,
            string.Join(' ', requested)), null);
    }

    private static string Describe(Exception? e) => e switch
    {
        SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException =>
            "expired, or valid for more than five minutes",
        SecurityTokenInvalidAudienceException => "wrong audience (aud must be this token endpoint)",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            "not signed by a registered key",
        SecurityTokenInvalidAlgorithmException => "use RS384 or ES384",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        _ => "invalid",
    };

    private static GrantOutcome Refuse(string error, string description,
        int status = StatusCodes.Status400BadRequest) =>
        new(null, new OAuthError(error, description, status));
}

/// <summary>A token request's answer; a refusal names the client's practice when the client was known (for the audit
/// trail).</summary>
internal sealed record GrantOutcome(TokenGrant? Grant, OAuthError? Error, Guid? PracticeId = null,
    Guid? ClientId = null);
