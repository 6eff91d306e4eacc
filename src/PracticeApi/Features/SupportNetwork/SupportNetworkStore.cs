namespace PracticeApi.Features.SupportNetwork;

/// <summary>The people around a client in recovery (seed 002), kept with the client's record by the care
/// team.</summary>
internal sealed class SupportNetworkStore(Db db, AuditLog audit, PracticeCalendar calendar)
{
    internal const string Columns = "Id, ClientId, Name, Relationship, Effect, Expectations, MayContact, Contact, Version, CreatedAt, UpdatedAt";

    private static readonly string ListSql = $"""
        SELECT {Columns} FROM SupportPeople WHERE PracticeId = @PracticeId AND ClientId = @ClientId AND Id > @After
        ORDER BY Id {SqlDialect.Limit}
        """;

    private const string GetSql = $"SELECT {Columns} FROM SupportPeople WHERE Id = @Id AND PracticeId = @PracticeId AND ClientId = @ClientId";

    private const string InsertSql = """
        INSERT INTO SupportPeople (Id, PracticeId, ClientId, Name, Relationship, Effect, Expectations, MayContact,
            Contact, Version, CreatedAt, UpdatedAt)
        VALUES (@Id, @PracticeId, @ClientId, @Name, @Relationship, @Effect, @Expectations, @MayContact, @Contact,
            1, @Now, @Now)
        """;

    private const string UpdateSql = """
        UPDATE SupportPeople SET Name = @Name, Relationship = @Relationship, Effect = @Effect,
            Expectations = @Expectations, MayContact = @MayContact,
               Contact = @Contact, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND ClientId = @ClientId AND Version = @Expected
        """;

    private const string DeleteSql = "DELETE FROM SupportPeople WHERE Id = @Id AND PracticeId = @PracticeId AND ClientId = @ClientId";

    public async Task<Outcome<Page<SupportPersonResponse>>> ListAsync(Caller caller, Guid clientId, IdPageQuery query,
        CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        List<SupportPersonRow> rows;
        await using (var c = await db.BeginReadAsync(ct))
        {
            if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
            rows = await c.QueryAsync<SupportPersonRow>(ListSql, new
            {
                caller.PracticeId, ClientId = clientId, After = Cursor.After(query.Cursor), Limit = limit + 1,
            });
        }

        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "support_network", clientId, [clientId]), ct);
        return Cursor.ToPage(rows, limit, r => [r.Id.ToString()], r => r.ToResponse());
    }

    public Task<Outcome<SupportPersonResponse>> AddAsync(Caller caller, Guid clientId, SupportPersonRequest request,
        CancellationToken ct) =>
        WriteAsync(caller, clientId, EntityIds.New(), request, null, AuditAction.Create, ct);

    public Task<Outcome<SupportPersonResponse>> UpdateAsync(Caller caller, Guid clientId, Guid personId,
        SupportPersonRequest request, int? expected, CancellationToken ct) =>
        WriteAsync(caller, clientId, personId, request, expected, AuditAction.Update, ct);

    public async Task<Failure?> DeleteAsync(Caller caller, Guid clientId, Guid personId, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        var deleted = await c.ExecuteAsync(DeleteSql, new { Id = personId, caller.PracticeId, ClientId = clientId });
        if (deleted == 0) return Failure.NotFound("person in this client's support network");
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Delete, "support_person", personId, [clientId]));
        await c.CommitAsync();
        return null;
    }

    private async Task<Outcome<SupportPersonResponse>> WriteAsync(Caller caller, Guid clientId, Guid personId,
        SupportPersonRequest request, int? expected, AuditAction action, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (await CareRules.CheckWritableAsync(c, caller, clientId) is { } unwritable) return unwritable;
        var key = new { Id = personId, caller.PracticeId, ClientId = clientId };
        if (action == AuditAction.Update)
        {
            var current = await c.QuerySingleOrDefaultAsync<SupportPersonRow>(GetSql, key);
            if (current is null) return Failure.NotFound("person in this client's support network");
            if (expected is not null && expected != current.Version) return Failure.Stale;
            expected = current.Version;
        }

        await c.ExecuteAsync(action == AuditAction.Create ? InsertSql : UpdateSql, new
        {
            Id = personId, caller.PracticeId, ClientId = clientId, Name = request.Name.Trim(), Relationship = request.Relationship.Wire(), Effect = request.Effect.Wire(),
            Expectations = request.Expectations?.Trim(), request.MayContact, Contact = request.Contact?.Trim(), calendar.Now, Expected = expected,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(action, "support_person", personId, [clientId]));
        var row = await c.QuerySingleAsync<SupportPersonRow>(GetSql, key);
        await c.CommitAsync();
        return row.ToResponse();
    }
}
