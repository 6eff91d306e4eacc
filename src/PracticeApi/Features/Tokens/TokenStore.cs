using Dapper;
using PracticeApi.Features.Therapists;
using PracticeApi.Infrastructure;
using PracticeApi.Infrastructure.Audit;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Http;
using PracticeApi.Infrastructure.Security;

namespace PracticeApi.Features.Tokens;

using Clients = PracticeApi.Features.Clients;

internal sealed class TokenStore(Db db, AuditLog audit, TimeProvider clock, TokenCache cache)
{
    private const string Columns = "Id, PracticeId, Kind, Name, TherapistId, Scopes, CreatedAt, ExpiresAt, RevokedAt, LastUsedAt";

    private const string GetSql = $"SELECT {Columns} FROM ApiTokens WHERE Id = @Id AND PracticeId = @PracticeId";

    private const string ListSql = $"""
        SELECT {Columns} FROM ApiTokens
        WHERE PracticeId = @PracticeId AND Id > @After AND (@TherapistId IS NULL OR TherapistId = @TherapistId)
        ORDER BY Id {SqlDialect.Limit}
        """;

    private const string InsertSql = """
        INSERT INTO ApiTokens (Id, PracticeId, Kind, Name, TokenHash, TherapistId, Scopes, CreatedAt, CreatedBy, ExpiresAt)
        VALUES (@Id, @PracticeId, @Kind, @Name, @Hash, @TherapistId, @Scopes, @Now, @CreatedBy, @ExpiresAt)
        """;

    private const int DefaultPortalDays = 180;

    private const string InsertPortalSql = """
        INSERT INTO ApiTokens (Id, PracticeId, Kind, Name, TokenHash, ClientId, CreatedAt, CreatedBy, ExpiresAt)
        VALUES (@Id, @PracticeId, 'client', @Name, @Hash, @ClientId, @Now, @CreatedBy, @ExpiresAt)
        """;

    private const string RevokeSql = """
        UPDATE ApiTokens SET RevokedAt = @Now WHERE Id = @Id AND PracticeId = @PracticeId AND RevokedAt IS NULL
        """;

    public async Task<Outcome<(TokenRow Row, string Token)>> CreateAsync(Caller caller, CreateTokenRequest request, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (request.Kind == TokenKinds.User &&
            await TherapistStore.CheckActiveAsync(connection, tx, caller.PracticeId, request.TherapistId, "receive a token", ct) is { } problem)
        {
            return problem;
        }

        var id = EntityIds.New();
        var token = TokenSecrets.NewToken();
        var scopes = request.Kind == TokenKinds.Integration ? string.Join(' ', request.Scopes!.Distinct().Order(StringComparer.Ordinal)) : null;
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            Id = id, caller.PracticeId, request.Kind, Name = request.Name.Trim(), Hash = TokenSecrets.Hash(token),
            request.TherapistId, Scopes = scopes, Now = clock.GetUtcNow().UtcDateTime, CreatedBy = caller.ActorId, request.ExpiresAt,
        }, tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, caller, new AuditEntry(AuditActions.Create, "token", id, Detail: request.Kind), ct);
        var row = await connection.QuerySingleAsync<TokenRow>(new CommandDefinition(GetSql, new { Id = id, caller.PracticeId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return (row, token);
    }

    public async Task<TokenRow?> GetAsync(Guid practiceId, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(GetSql, new { Id = id, PracticeId = practiceId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<TokenRow>> ListAsync(Guid practiceId, TokenListQuery query, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<TokenRow>(new CommandDefinition(db.Sql(ListSql), new
        {
            PracticeId = practiceId, After = Cursor.After(query.Cursor), query.TherapistId, Limit = query.EffectiveLimit() + 1,
        }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>A portal token for a client on the caller's caseload: the client sees and answers only their own work.</summary>
    public async Task<Outcome<(TokenRow Row, string Token, Guid ClientId)>> CreatePortalTokenAsync(Caller caller, Guid clientId, string? name,
        DateTime? expiresAt, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await Clients.ClientStore.CheckInCareAsync(connection, tx, caller, [clientId], ct) is { } notInCare) return notInCare;

        var id = EntityIds.New();
        var token = TokenSecrets.NewToken();
        var now = clock.GetUtcNow().UtcDateTime;
        await connection.ExecuteAsync(new CommandDefinition(InsertPortalSql, new
        {
            Id = id, caller.PracticeId, Name = string.IsNullOrWhiteSpace(name) ? "portal" : name.Trim(), Hash = TokenSecrets.Hash(token),
            ClientId = clientId, Now = now, CreatedBy = caller.ActorId, ExpiresAt = expiresAt ?? now.AddDays(DefaultPortalDays),
        }, tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, caller, new AuditEntry(AuditActions.Create, "token", id, [clientId], Detail: TokenKinds.Client), ct);
        var row = await connection.QuerySingleAsync<TokenRow>(new CommandDefinition(GetSql, new { Id = id, caller.PracticeId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return (row, token, clientId);
    }

    /// <summary>Revokes a token at once; revoking a revoked token is a no-op.</summary>
    public async Task<bool> RevokeAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var exists = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(GetSql, new { Id = id, caller.PracticeId }, tx, cancellationToken: ct));
        if (exists is null) return false;
        var revoked = await connection.ExecuteAsync(new CommandDefinition(RevokeSql,
            new { Id = id, caller.PracticeId, Now = clock.GetUtcNow().UtcDateTime }, tx, cancellationToken: ct));
        if (revoked > 0)
        {
            await audit.WriteAsync(connection, tx, caller, new AuditEntry(AuditActions.Delete, "token", id, Detail: "revoked"), ct);
        }

        await tx.CommitAsync(ct);
        cache.Invalidate();
        return true;
    }
}
