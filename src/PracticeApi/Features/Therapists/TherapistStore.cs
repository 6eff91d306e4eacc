using System.Data.Common;
using Dapper;
using PracticeApi.Infrastructure;
using PracticeApi.Infrastructure.Audit;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Http;
using PracticeApi.Infrastructure.Security;

namespace PracticeApi.Features.Therapists;

internal sealed class TherapistStore(Db db, AuditLog audit, TimeProvider clock, TokenCache cache)
{
    private const string Columns = "Id, PracticeId, Name, Email, Role, IsActive, Version, CreatedAt, UpdatedAt";

    private const string InsertSql = """
        INSERT INTO Therapists (Id, PracticeId, Name, Email, Role, IsActive, Version, CreatedAt, UpdatedAt)
        VALUES (@Id, @PracticeId, @Name, @Email, @Role, 1, 1, @Now, @Now)
        """;

    private const string GetSql = $"SELECT {Columns} FROM Therapists WHERE Id = @Id AND PracticeId = @PracticeId";

    private const string IsActiveSql = "SELECT IsActive FROM Therapists WHERE Id = @Id AND PracticeId = @PracticeId";

    /// <summary>
    /// The therapist belongs to the practice (404 otherwise, like any foreign id) and is active (409 otherwise; the problem's
    /// detail says what a deactivated therapist cannot do).
    /// </summary>
    internal static async Task<Failure?> CheckActiveAsync(DbConnection connection, DbTransaction? tx, Guid practiceId, Guid? therapistId, string cannot,
        CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(IsActiveSql, new { Id = therapistId, PracticeId = practiceId }, tx,
                cancellationToken: ct)) switch
        {
            null => Failure.NotFound("therapist"),
            false => Failure.Conflict("therapist-inactive", "Therapist is deactivated", $"A deactivated therapist cannot {cannot}."),
            true => null,
        };

    private const string ListSql = $"""
        SELECT {Columns} FROM Therapists
        WHERE PracticeId = @PracticeId AND Id > @After AND (@Active IS NULL OR IsActive = @Active)
        ORDER BY Id {SqlDialect.Limit}
        """;

    private const string UpdateSql = """
        UPDATE Therapists SET Name = @Name, Email = @Email, Role = @Role, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND (@Expected IS NULL OR Version = @Expected)
        """;

    private const string DeactivateSql = """
        UPDATE Therapists SET IsActive = 0, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId
        """;

    private const string RevokeTokensSql = """
        UPDATE ApiTokens SET RevokedAt = @Now
        WHERE PracticeId = @PracticeId AND TherapistId = @Id AND RevokedAt IS NULL
        """;

    private const string OtherActiveAdminsSql = """
        SELECT COUNT(*) FROM Therapists
        WHERE PracticeId = @PracticeId AND Role = 'admin' AND IsActive = 1 AND Id <> @Id
        """;

    public async Task<Outcome<TherapistRow>> CreateAsync(Caller caller, CreateTherapistRequest request, CancellationToken ct)
    {
        var id = EntityIds.New();
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
            {
                Id = id, caller.PracticeId, Name = request.Name.Trim(), Email = NormaliseEmail(request.Email), request.Role,
                Now = clock.GetUtcNow().UtcDateTime,
            }, tx, cancellationToken: ct));
        }
        catch (DbException e) when (ApiExceptionHandler.IsUniqueViolation(e))
        {
            return DuplicateEmail();
        }

        await audit.WriteAsync(connection, tx, caller, new AuditEntry(AuditActions.Create, "therapist", id), ct);
        var row = await connection.QuerySingleAsync<TherapistRow>(new CommandDefinition(GetSql, new { Id = id, caller.PracticeId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        cache.Invalidate();
        return row;
    }

    public async Task<TherapistRow?> GetAsync(Guid practiceId, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<TherapistRow>(new CommandDefinition(GetSql, new { Id = id, PracticeId = practiceId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<TherapistRow>> ListAsync(Guid practiceId, TherapistListQuery query, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<TherapistRow>(new CommandDefinition(db.Sql(ListSql), new
        {
            PracticeId = practiceId, After = Cursor.After(query.Cursor), query.Active, Limit = query.EffectiveLimit() + 1,
        }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<Outcome<TherapistRow>> UpdateAsync(Caller caller, Guid id, UpdateTherapistRequest request, int? expected, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var current = await connection.QuerySingleOrDefaultAsync<TherapistRow>(new CommandDefinition(GetSql, new { Id = id, caller.PracticeId }, tx, cancellationToken: ct));
        if (current is null) return Failure.NotFound("therapist");
        if (expected is not null && current.Version != expected) return Failure.Stale;
        if (current.Role == Roles.Admin && request.Role != Roles.Admin && current.IsActive &&
            await CountOtherAdminsAsync(connection, tx, caller.PracticeId, id, ct) == 0)
        {
            return LastAdmin();
        }

        try
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition(UpdateSql, new
            {
                Id = id, caller.PracticeId, Name = request.Name.Trim(), Email = NormaliseEmail(request.Email), request.Role,
                Expected = (int?)current.Version, Now = clock.GetUtcNow().UtcDateTime,
            }, tx, cancellationToken: ct));
            if (changed == 0) return Failure.Stale;
        }
        catch (DbException e) when (ApiExceptionHandler.IsUniqueViolation(e))
        {
            return DuplicateEmail();
        }

        await audit.WriteAsync(connection, tx, caller, new AuditEntry(AuditActions.Update, "therapist", id), ct);
        var row = await connection.QuerySingleAsync<TherapistRow>(new CommandDefinition(GetSql, new { Id = id, caller.PracticeId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        cache.Invalidate();
        return row;
    }

    /// <summary>Deactivates the therapist and revokes every token they hold, in one transaction.</summary>
    public async Task<Outcome<TherapistRow>> DeactivateAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var current = await connection.QuerySingleOrDefaultAsync<TherapistRow>(new CommandDefinition(GetSql, new { Id = id, caller.PracticeId }, tx, cancellationToken: ct));
        if (current is null) return Failure.NotFound("therapist");
        if (!current.IsActive) return current;
        if (current.Role == Roles.Admin && await CountOtherAdminsAsync(connection, tx, caller.PracticeId, id, ct) == 0)
        {
            return LastAdmin();
        }

        var args = new { Id = id, caller.PracticeId, Now = clock.GetUtcNow().UtcDateTime };
        await connection.ExecuteAsync(new CommandDefinition(DeactivateSql, args, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(RevokeTokensSql, args, tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, caller, new AuditEntry(AuditActions.Update, "therapist", id, Detail: "deactivated; tokens revoked"), ct);
        var row = await connection.QuerySingleAsync<TherapistRow>(new CommandDefinition(GetSql, args, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        cache.Invalidate();
        return row;
    }

    private static Task<int> CountOtherAdminsAsync(DbConnection connection, DbTransaction tx, Guid practiceId, Guid id, CancellationToken ct) =>
        connection.ExecuteScalarAsync<int>(new CommandDefinition(OtherActiveAdminsSql, new { PracticeId = practiceId, Id = id }, tx, cancellationToken: ct));

    private static string NormaliseEmail(string email) => email.Trim().ToLowerInvariant();

    private static Failure DuplicateEmail() =>
        Failure.Conflict("duplicate-email", "Email already in use", "Another therapist of this practice has this email address.");

    private static Failure LastAdmin() =>
        Failure.Conflict("last-admin", "The practice needs an admin",
            "This is the practice's last active admin: make another therapist admin first.");
}
