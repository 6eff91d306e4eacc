namespace PracticeApi.Features.Tokens;

/// <summary>
/// Issuing a token inside the caller's transaction, with its audit event: the token route commits it alone, the SMART
/// token endpoint with the assertion it accepted. The plain token leaves here once; only its hash is stored.
/// </summary>
internal sealed class TokenIssuer(AuditLog audit, TimeProvider clock)
{
    private const string InsertSql = """
        INSERT INTO ApiTokens (Id, PracticeId, Kind, Name, TokenHash, TherapistId, Scopes, CreatedAt, CreatedBy,
            ExpiresAt, ConsentRecipientId)
        VALUES (@Id, @PracticeId, @Kind, @Name, @Hash, @TherapistId, @Scopes, @Now, @CreatedBy, @ExpiresAt,
            @ConsentRecipientId)
        """;

    /// <summary>
    /// A user or integration token as the token route asks for it; one bound to consent names itself as whom the
    /// clients' ehr_sharing consents must name.
    /// </summary>
    public Task<(TokenRow Row, string Token)> IssueAsync(DbWrite c, Caller caller, CreateTokenRequest request) =>
        IssueAsync(c, caller, request.Kind, request.Name, request.TherapistId, request.Scopes?.Select(s => s.Wire())
            .ToList(), request.ExpiresAt, null, consentToItself: request.RequiresConsent == true);

    /// <summary>
    /// A token of any scopes (the SMART token endpoint grants SMART system scopes too). A token bound to consent names
    /// whom the clients' ehr_sharing consents must name: the token itself, or <paramref name="consentRecipientId"/>
    /// (the SMART client it is issued to).
    /// </summary>
    public async Task<(TokenRow Row, string Token)> IssueAsync(DbWrite c, Caller caller, TokenKind kind, string name,
        Guid? therapistId,
        IReadOnlyCollection<string>? scopes, DateTime? expiresAt, Guid? consentRecipientId, bool consentToItself = false)
    {
        var id = EntityIds.New();
        var token = TokenSecrets.NewToken();
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, Kind = kind.Wire(), Name = name.Trim(), Hash = TokenSecrets.Hash(token), TherapistId = therapistId,
            Scopes = kind == TokenKind.Integration ? string.Join(' ', scopes!.Distinct()
                .Order(StringComparer.Ordinal)) : null,
            Now = clock.GetUtcNow().UtcDateTime, CreatedBy = caller.ActorId, ExpiresAt = expiresAt,
            ConsentRecipientId = consentToItself ? id : consentRecipientId,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "token", id, Detail: kind.Wire()));
        var row = await c.QuerySingleAsync<TokenRow>(TokenStore.GetSql, new { Id = id, caller.PracticeId });
        return (row, token);
    }
}

