
namespace PracticeApi.Features.Tokens;


internal sealed class TokenStore(Db db, AuditLog audit, TimeProvider clock, TokenCache cache, TokenIssuer issuer)
{
    internal const string Columns = "Id, PracticeId, Kind, Name, TherapistId, Scopes, CreatedAt, ExpiresAt, RevokedAt, LastUsedAt, ConsentRecipientId";

    internal const string GetSql = $"SELECT {Columns} FROM ApiTokens WHERE Id = @Id AND PracticeId = @PracticeId";

    private const string ListSql = $"""
        SELECT {Columns} FROM ApiTokens
        WHERE PracticeId = @PracticeId AND Id > @After AND (@TherapistId IS NULL OR TherapistId = @TherapistId)
        ORDER BY Id {SqlDialect.Limit}
        """;

    private const int DefaultPortalDays = 180;

    private const string InsertPortalSql = """
        INSERT INTO ApiTokens (Id, PracticeId, Kind, Name, TokenHash, ClientId, CreatedAt, CreatedBy, ExpiresAt)
        VALUES (@Id, @PracticeId, 'client', @Name, @Hash, @ClientId, @Now, @CreatedBy, @ExpiresAt)
        """;

    private const string RevokeSql = """
        UPDATE ApiTokens SET RevokedAt = @Now WHERE Id = @Id AND PracticeId = @PracticeId AND RevokedAt IS NULL
        """;

    /// <summary>Issues a user or integration token (a user token only to an active therapist).</summary>
    public async Task<Outcome<(TokenRow Row, string Token)>> CreateAsync(Caller caller, CreateTokenRequest request,
        CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (request.Kind == TokenKind.User &&
            await CareRules.CheckTherapistActiveAsync(c, caller.PracticeId, request.TherapistId, "receive a token",
                ct) is { } problem)
        {
            return problem;
        }

        var issued = await issuer.IssueAsync(c, caller, request);
        await c.CommitAsync();
        return issued;
    }

    public async Task<TokenRow?> GetAsync(Guid practiceId, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return await c.QuerySingleOrDefaultAsync<TokenRow>(GetSql, new { Id = id, PracticeId = practiceId });
    }

    public async Task<IReadOnlyList<TokenRow>> ListAsync(Guid practiceId, TokenListQuery query, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var rows = await c.QueryAsync<TokenRow>(ListSql, new
        {
            PracticeId = practiceId, After = Cursor.After(
                query.Cursor), query.TherapistId, Limit = query.EffectiveLimit() + 1,
        });
        return rows;
    }

    /// <summary>A portal token for a client on the caller's caseload: the client sees and answers only their own
    /// work.</summary>
    public async Task<Outcome<(TokenRow Row, string Token, Guid ClientId)>> CreatePortalTokenAsync(Caller caller,
        Guid clientId, string? name, DateTime? expiresAt, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (await CareRules.CheckInCareAsync(c, caller, [clientId]) is { } notInCare) return notInCare;

        var id = EntityIds.New();
        var token = TokenSecrets.NewToken();
        var now = clock.GetUtcNow().UtcDateTime;
        await c.ExecuteAsync(InsertPortalSql, new
        {
            Id = id, caller.PracticeId, Name = string.IsNullOrWhiteSpace(name)
                ? "portal" : name.Trim(), Hash = TokenSecrets.Hash(token),
            ClientId = clientId, Now = now, CreatedBy = caller.ActorId, ExpiresAt = expiresAt
                ?? now.AddDays(DefaultPortalDays),
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "token", id, [clientId],
            Detail: ActorKind.Client.Wire()));
        var row = await c.QuerySingleAsync<TokenRow>(GetSql, new { Id = id, caller.PracticeId });
        await c.CommitAsync();
        return (row, token, clientId);
    }

    /// <summary>Revokes a token at once; revoking a revoked token is a no-op.</summary>
    public async Task<bool> RevokeAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var exists = await c.QuerySingleOrDefaultAsync<TokenRow>(GetSql, new { Id = id, caller.PracticeId });
        if (exists is null) return false;
        var revoked = await c.ExecuteAsync(RevokeSql, new { Id = id, caller.PracticeId, Now = clock.GetUtcNow()
            .UtcDateTime });
        if (revoked > 0)
        {
            await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Delete, "token", id, Detail: "revoked"));
        }

        await c.CommitAsync();
        cache.Invalidate();
        return true;
    }
}
