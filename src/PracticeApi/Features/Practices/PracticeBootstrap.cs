namespace PracticeApi.Features.Practices;

public sealed record BootstrappedPractice(Guid PracticeId, Guid TherapistId, string Token, Guid TokenId);

/// <summary>Creates a practice with its first admin and that admin's first token, in one transaction.</summary>
public sealed class PracticeBootstrap(Db db, AuditLog audit, TimeProvider clock)
{
    private const string InsertPractice = "INSERT INTO Practices (Id, Name, CreatedAt) VALUES (@Id, @Name, @Now)";

    private const string InsertAdmin = """
        INSERT INTO Therapists (Id, PracticeId, Name, Email, Role, IsActive, Version, CreatedAt, UpdatedAt)
        VALUES (@Id, @PracticeId, @Name, @Email, 'admin', 1, 1, @Now, @Now)
        """;

    private const string InsertToken = """
        INSERT INTO ApiTokens (Id, PracticeId, Kind, Name, TokenHash, TherapistId, CreatedAt)
        VALUES (@Id, @PracticeId, 'user', @Name, @Hash, @TherapistId, @Now)
        """;

    public async Task<BootstrappedPractice> CreateAsync(string name, string adminName, string adminEmail,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var practiceId = Guid.CreateVersion7();
        var therapistId = Guid.CreateVersion7();
        var tokenId = Guid.CreateVersion7();
        var token = TokenSecrets.NewToken();

        await using var c = await db.BeginWriteAsync(ct);
        await c.ExecuteAsync(InsertPractice, new { Id = practiceId, Name = name.Trim(), Now = now });
        await c.ExecuteAsync(InsertAdmin, new
        {
            Id = therapistId, PracticeId = practiceId, Name = adminName.Trim(), Email = adminEmail.Trim()
                .ToLowerInvariant(), Now = now,
        });
        await c.ExecuteAsync(InsertToken, new
        {
            Id = tokenId, PracticeId = practiceId, Name = "bootstrap", Hash = TokenSecrets.Hash(token), TherapistId = therapistId, Now = now,
        });

        var system = Caller.System(practiceId);
        await audit.WriteAsync(c, system, new AuditEntry(AuditAction.Create, "practice", practiceId));
        await audit.WriteAsync(c, system, new AuditEntry(AuditAction.Create, "token", tokenId));
        await c.CommitAsync();
        return new BootstrappedPractice(practiceId, therapistId, token, tokenId);
    }

    private const string AnyPracticeSql = $"SELECT COUNT(*) FROM (SELECT Id FROM Practices ORDER BY Id {SqlDialect.Limit}) p";

    private const string FindAdminSql = """
        SELECT Id, PracticeId FROM Therapists WHERE Email = @Email AND Role = 'admin' AND IsActive = 1
        """;

    private sealed record AdminRow
    {
        public Guid Id { get; init; }
        public Guid PracticeId { get; init; }
    }

    /// <summary>
    /// A new token for an active admin, found by email (the way back in when a token is lost; the operator runs it on
    /// the server). Null when no active admin has that email, or when several practices share it.
    /// </summary>
    public async Task<BootstrappedPractice?> IssueAdminTokenAsync(string adminEmail, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var admins = await c.QueryAsync<AdminRow>(FindAdminSql, new { Email = adminEmail.Trim().ToLowerInvariant() });
        if (admins.Count != 1) return null;
        var admin = admins[0];
        var tokenId = Guid.CreateVersion7();
        var token = TokenSecrets.NewToken();
        await c.ExecuteAsync(InsertToken, new
        {
            Id = tokenId, admin.PracticeId, Name = "create-token (command line)", Hash = TokenSecrets.Hash(token), TherapistId = admin.Id,
            Now = clock.GetUtcNow().UtcDateTime,
        });
        await audit.WriteAsync(c, Caller.System(admin.PracticeId), new AuditEntry(AuditAction.Create, "token",
            tokenId, Detail: "command line"));
        await c.CommitAsync();
        return new BootstrappedPractice(admin.PracticeId, admin.Id, token, tokenId);
    }

    public async Task<bool> AnyPracticeAsync(CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return await c.ExecuteScalarAsync<int>(AnyPracticeSql, new { Limit = 1 }) > 0;
    }
}
