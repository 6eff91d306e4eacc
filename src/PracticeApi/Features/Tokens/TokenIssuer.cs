namespace PracticeApi.Features.Tokens;

/// <summary>
/// Issuing a token inside the caller's transaction, with its audit event: the token route commits it alone, the SMART
/// token endpoint with the assertion it accepted. The plain token leaves here once; only its hash is stored.
/// </summary>
internal sealed class TokenIssuer(AuditLog audit, TimeProvider clock)
{
    private const string InsertSql = """
        INSERT INTO ApiTokens (Id, PracticeId, Kind, Name, TokenHash, TherapistId, Scopes, CreatedAt, CreatedBy, ExpiresAt, ConsentRecipientId)
        VALUES (@Id, @PracticeId, @Kind, @Name, @Hash, @TherapistId, @Scopes, @Now, @CreatedBy, @ExpiresAt, @ConsentRecipientId)
        """;

    /// <summary>
    /// A token bound to consent names whom the clients' ehr_sharing consents must name: itself when the request asks for it,
    /// or <paramref name="consentRecipientId"/> (the SMART client an access token is issued to).
    /// </summary>
    public async Task<(TokenRow Row, string Token)> IssueAsync(DbWrite c, Caller caller, CreateTokenRequest request, Guid? consentRecipientId)
    {
        var id = EntityIds.New();
        var token = TokenSecrets.NewToken();
        var scopes = request.Kind == TokenKinds.Integration ? string.Join(' ', request.Scopes!.Distinct().Order(StringComparer.Ordinal)) : null;
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, request.Kind, Name = request.Name.Trim(), Hash = TokenSecrets.Hash(token),
            request.TherapistId, Scopes = scopes, Now = clock.GetUtcNow().UtcDateTime, CreatedBy = caller.ActorId, request.ExpiresAt,
            ConsentRecipientId = consentRecipientId ?? (request.RequiresConsent == true ? id : (Guid?)null),
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Create, "token", id, Detail: request.Kind));
        var row = await c.QuerySingleAsync<TokenRow>(TokenStore.GetSql, new { Id = id, caller.PracticeId });
        return (row, token);
    }
}
