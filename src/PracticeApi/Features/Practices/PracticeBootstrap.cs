using Dapper;
using PracticeApi.Infrastructure.Audit;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Security;

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

    public async Task<BootstrappedPractice> CreateAsync(string name, string adminName, string adminEmail, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var practiceId = Guid.CreateVersion7();
        var therapistId = Guid.CreateVersion7();
        var tokenId = Guid.CreateVersion7();
        var token = TokenSecrets.NewToken();

        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(InsertPractice, new { Id = practiceId, Name = name.Trim(), Now = now }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(InsertAdmin, new
        {
            Id = therapistId, PracticeId = practiceId, Name = adminName.Trim(), Email = adminEmail.Trim().ToLowerInvariant(), Now = now,
        }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(InsertToken, new
        {
            Id = tokenId, PracticeId = practiceId, Name = "bootstrap", Hash = TokenSecrets.Hash(token), TherapistId = therapistId, Now = now,
        }, tx, cancellationToken: ct));

        var system = Caller.System(practiceId);
        await audit.WriteAsync(connection, tx, system, new AuditEntry(AuditActions.Create, "practice", practiceId), ct);
        await audit.WriteAsync(connection, tx, system, new AuditEntry(AuditActions.Create, "token", tokenId), ct);
        await tx.CommitAsync(ct);
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
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var admins = (await connection.QueryAsync<AdminRow>(new CommandDefinition(FindAdminSql,
            new { Email = adminEmail.Trim().ToLowerInvariant() }, tx, cancellationToken: ct))).AsList();
        if (admins.Count != 1) return null;
        var admin = admins[0];
        var tokenId = Guid.CreateVersion7();
        var token = TokenSecrets.NewToken();
        await connection.ExecuteAsync(new CommandDefinition(InsertToken, new
        {
            Id = tokenId, admin.PracticeId, Name = "create-token (command line)", Hash = TokenSecrets.Hash(token), TherapistId = admin.Id,
            Now = clock.GetUtcNow().UtcDateTime,
        }, tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, Caller.System(admin.PracticeId), new AuditEntry(AuditActions.Create, "token", tokenId, Detail: "command line"), ct);
        await tx.CommitAsync(ct);
        return new BootstrappedPractice(admin.PracticeId, admin.Id, token, tokenId);
    }

    public async Task<bool> AnyPracticeAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            db.Sql(AnyPracticeSql),
            new { Limit = 1 }, cancellationToken: ct)) > 0;
    }
}
