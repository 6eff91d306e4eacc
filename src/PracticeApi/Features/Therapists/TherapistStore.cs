using System.Data.Common;

namespace PracticeApi.Features.Therapists;

internal sealed class TherapistStore(Db db, AuditLog audit, TimeProvider clock, TokenCache cache)
{
    private const string Columns = "Id, PracticeId, Name, Email, Role, IsActive, Version, CreatedAt, UpdatedAt";

    private const string InsertSql = """
        INSERT INTO Therapists (Id, PracticeId, Name, Email, Role, IsActive, Version, CreatedAt, UpdatedAt)
        VALUES (@Id, @PracticeId, @Name, @Email, @Role, 1, 1, @Now, @Now)
        """;

    private const string GetSql = $"SELECT {Columns} FROM Therapists WHERE Id = @Id AND PracticeId = @PracticeId";

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

    public async Task<Outcome<TherapistRow>> CreateAsync(Caller caller, CreateTherapistRequest request,
        CancellationToken ct)
    {
        var id = EntityIds.New();
        await using var c = await db.BeginWriteAsync(ct);
        if (!await c.ExecuteOnceAsync(InsertSql, new
            {
                Id = id, caller.PracticeId, Name = request.Name.Trim(), Email = NormaliseEmail(
                    request.Email), Role = request.Role.Wire(),
                Now = clock.GetUtcNow().UtcDateTime,
            }))
        {
            return DuplicateEmail();
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "therapist", id));
        var row = await c.QuerySingleAsync<TherapistRow>(GetSql, new { Id = id, caller.PracticeId });
        await c.CommitAsync();
        cache.Invalidate();
        return row;
    }

    public async Task<TherapistRow?> GetAsync(Guid practiceId, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return await c.QuerySingleOrDefaultAsync<TherapistRow>(GetSql, new { Id = id, PracticeId = practiceId });
    }

    public async Task<IReadOnlyList<TherapistRow>> ListAsync(Guid practiceId, TherapistListQuery query,
        CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var rows = await c.QueryAsync<TherapistRow>(ListSql, new
        {
            PracticeId = practiceId, After = Cursor.After(
                query.Cursor), query.Active, Limit = query.EffectiveLimit() + 1,
        });
        return rows;
    }

    public async Task<Outcome<TherapistRow>> UpdateAsync(Caller caller, Guid id, UpdateTherapistRequest request,
        int? expected, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var current = await c.QuerySingleOrDefaultAsync<TherapistRow>(GetSql, new { Id = id, caller.PracticeId });
        if (current is null) return Failure.NotFound("therapist");
        if (expected is not null && current.Version != expected) return Failure.Stale;
        if (current.Role == TherapistRole.Admin.Wire() && request.Role != TherapistRole.Admin && current.IsActive &&
            await CountOtherAdminsAsync(c, caller.PracticeId, id, ct) == 0)
        {
            return LastAdmin();
        }

        try
        {
            var changed = await c.ExecuteAsync(UpdateSql, new
            {
                Id = id, caller.PracticeId, Name = request.Name.Trim(), Email = NormaliseEmail(
                    request.Email), Role = request.Role.Wire(),
                Expected = (int?)current.Version, Now = clock.GetUtcNow().UtcDateTime,
            });
            if (changed == 0) return Failure.Stale;
        }
        catch (DbException e) when (DbErrors.IsUniqueViolation(e))
        {
            return DuplicateEmail();
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "therapist", id));
        var row = await c.QuerySingleAsync<TherapistRow>(GetSql, new { Id = id, caller.PracticeId });
        await c.CommitAsync();
        cache.Invalidate();
        return row;
    }

    /// <summary>Deactivates the therapist and revokes every token they hold, in one transaction.</summary>
    public async Task<Outcome<TherapistRow>> DeactivateAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var current = await c.QuerySingleOrDefaultAsync<TherapistRow>(GetSql, new { Id = id, caller.PracticeId });
        if (current is null) return Failure.NotFound("therapist");
        if (!current.IsActive) return current;
        if (current.Role == TherapistRole.Admin.Wire() && await CountOtherAdminsAsync(c, caller.PracticeId, id, ct) == 0)
        {
            return LastAdmin();
        }

        var args = new { Id = id, caller.PracticeId, Now = clock.GetUtcNow().UtcDateTime };
        await c.ExecuteAsync(DeactivateSql, args);
        await c.ExecuteAsync(RevokeTokensSql, args);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "therapist", id,
            Detail: "deactivated; tokens revoked"));
        var row = await c.QuerySingleAsync<TherapistRow>(GetSql, args);
        await c.CommitAsync();
        cache.Invalidate();
        return row;
    }

    private static Task<int> CountOtherAdminsAsync(DbWrite c, Guid practiceId, Guid id, CancellationToken ct) =>
        c.ExecuteScalarAsync<int>(OtherActiveAdminsSql, new { PracticeId = practiceId, Id = id });

    private static string NormaliseEmail(string email) => email.Trim().ToLowerInvariant();

    private static Failure DuplicateEmail() =>
        Failure.Conflict("duplicate-email", "Email already in use",
            "Another therapist of this practice has this email address.");

    private static Failure LastAdmin() =>
        Failure.Conflict("last-admin", "The practice needs an admin",
            "This is the practice's last active admin: make another therapist admin first.");
}
