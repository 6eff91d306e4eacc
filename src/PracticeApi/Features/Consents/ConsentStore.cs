namespace PracticeApi.Features.Consents;

/// <summary>
/// Consents: given (by staff from a paper or spoken consent, or by the client through the portal), listed, withdrawn.
/// What a consent gates follows at once: an ehr_sharing consent is what a consent-bound integration sees a client by
/// (the caseload rule reads it), and withdrawing a person_sharing consent stops the practice contacting that person.
/// </summary>
internal sealed class ConsentStore(Db db, AuditLog audit, TimeProvider clock)
{
    internal const string Columns = """
        Id, ClientId, Kind, RecipientId, RecipientName, TextVersion, GivenAt, GivenBy, GivenVia, WithdrawnAt,
            WithdrawnBy, WithdrawnVia
        """;

    private const string PageSql = $"""
        SELECT {Columns} FROM Consents WHERE PracticeId = @PracticeId AND ClientId = @ClientId AND Id > @After ORDER BY Id {SqlDialect.Limit}
        """;

    private const string GetSql = $"SELECT {Columns} FROM Consents WHERE PracticeId = @PracticeId AND ClientId = @ClientId AND Id = @Id";

    private const string ActiveSameSql = """
        SELECT COUNT(*) FROM Consents
        WHERE PracticeId = @PracticeId AND ClientId = @ClientId AND Kind = @Kind AND WithdrawnAt IS NULL
          AND (RecipientId = @RecipientId OR (RecipientId IS NULL AND @RecipientId IS NULL))
        """;

    // Whom an ehr_sharing consent may name: an integration token or a SMART client of the practice, not revoked.
    private const string IntegrationNameSql = """
        SELECT Name FROM ApiTokens WHERE PracticeId = @PracticeId AND Id = @RecipientId AND Kind = 'integration'
            AND RevokedAt IS NULL
        UNION ALL
        SELECT Name FROM SmartClients WHERE PracticeId = @PracticeId AND Id = @RecipientId AND RevokedAt IS NULL
        """;

    private const string PersonNameSql = "SELECT Name FROM SupportPeople WHERE PracticeId = @PracticeId AND ClientId = @ClientId AND Id = @RecipientId";

    private const string InsertSql = """
        INSERT INTO Consents (Id, PracticeId, ClientId, Kind, RecipientId, RecipientName, TextVersion, GivenAt,
            GivenBy, GivenVia)
        VALUES (@Id, @PracticeId, @ClientId, @Kind, @RecipientId, @RecipientName, @TextVersion, @Now, @By, @Via)
        """;

    private const string WithdrawSql = """
        UPDATE Consents SET WithdrawnAt = @Now, WithdrawnBy = @By, WithdrawnVia = @Via
        WHERE PracticeId = @PracticeId AND ClientId = @ClientId AND Id = @Id AND WithdrawnAt IS NULL
        """;

    private const string MayContactSql = """
        UPDATE SupportPeople SET MayContact = 1, Version = Version + 1, UpdatedAt = @Now
        WHERE PracticeId = @PracticeId AND ClientId = @ClientId AND Id = @RecipientId
        """;

    // The support network keeps no contact details for someone the practice may not contact: they go with the consent.
    private const string NoContactSql = """
        UPDATE SupportPeople SET MayContact = 0, Contact = NULL, Version = Version + 1, UpdatedAt = @Now
        WHERE PracticeId = @PracticeId AND ClientId = @ClientId AND Id = @RecipientId
        """;

    /// <summary>Staff record a paper or spoken consent (via required); a client gives it through the portal (via left
    /// out).</summary>
    private static Failure? CheckVia(Caller caller, string? via) => (caller.IsPortal, via) switch
    {
        (true, not null) => Failure.Invalid("via", "Through the portal a consent is given there: leave via out."),
        (false, null) => Failure.Invalid("via", "via is required when staff record a consent: paper or verbal."),
        _ => null,
    };

    public async Task<Outcome<ConsentResponse>> GiveAsync(Caller caller, Guid clientId, ConsentRequest request,
        CancellationToken ct)
    {
        if (CheckVia(caller, request.Via.Wire()) is { } invalid) return invalid;
        var kind = request.Kind.Wire();
        await using var c = await db.BeginWriteAsync(ct);
        if (await CareRules.CheckWritableAsync(c, caller, clientId) is { } refused) return refused;
        var args = new { caller.PracticeId, ClientId = clientId, Kind = kind, request.RecipientId };
        var recipientName = request.Kind switch
        {
            ConsentKind.EhrSharing => (await c.QueryAsync<string>(IntegrationNameSql, args)).FirstOrDefault(),
            ConsentKind.PersonSharing => (await c.QueryAsync<string>(PersonNameSql, args)).FirstOrDefault(),
            _ => null,
        };
        if (ConsentRules.NamesRecipient(request.Kind) && recipientName is null)
        {
            return Failure.Invalid("recipientId", request.Kind == ConsentKind.EhrSharing
                ? "recipientId is not an integration token or SMART client of this practice in use."
                : "recipientId is not a person in this client's support network.");
        }

        if (await c.ExecuteScalarAsync<int>(ActiveSameSql, args) > 0)
        {
            return Failure.Conflict("consent-already-given", "Consent already given",
                "This consent is in force already; withdraw it before giving it again.");
        }

        var id = EntityIds.New();
        var now = clock.GetUtcNow().UtcDateTime;
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, ClientId = clientId, Kind = kind, request.RecipientId, RecipientName = recipientName,
            TextVersion = request.TextVersion.Trim(), Now = now, By = caller.ActorId, Via = request.Via.Wire()
                ?? ConsentChannel.Portal.Wire(),
        });
        if (request.Kind == ConsentKind.PersonSharing) await c.ExecuteAsync(MayContactSql, new { args.PracticeId,
            args.ClientId, args.RecipientId, Now = now });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "consent", id, [clientId],
            Detail: $"{kind} {request.TextVersion.Trim()}"));
        var row = await c.QuerySingleAsync<ConsentRow>(GetSql, new { caller.PracticeId, ClientId = clientId, Id = id });
        await c.CommitAsync();
        return row.ToResponse();
    }

    public async Task<Outcome<ConsentResponse>> WithdrawAsync(Caller caller, Guid clientId, Guid id,
        WithdrawConsentRequest request, CancellationToken ct)
    {
        if (CheckVia(caller, request.Via.Wire()) is { } invalid) return invalid;
        await using var c = await db.BeginWriteAsync(ct);
        // Visible, not writable: a consent can always be taken back, also once the client is discharged.
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        var consent = await c.QuerySingleOrDefaultAsync<ConsentRow>(GetSql, new { caller.PracticeId,
            ClientId = clientId, Id = id });
        if (consent is null) return Failure.NotFound("consent");
        if (consent.WithdrawnAt is not null) return Failure.Conflict("consent-withdrawn", "Consent already withdrawn",
            "This consent was withdrawn before.");
        var now = clock.GetUtcNow().UtcDateTime;
        await c.ExecuteAsync(WithdrawSql, new { caller.PracticeId, ClientId = clientId, Id = id, Now = now,
            By = caller.ActorId, Via = request.Via.Wire()
                ?? ConsentChannel.Portal.Wire() });
        if (consent.Kind == ConsentKind.PersonSharing.Wire())
        {
            await c.ExecuteAsync(NoContactSql, new { caller.PracticeId, ClientId = clientId, consent.RecipientId,
                Now = now });
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "consent", id, [clientId],
            Detail: $"withdrawn {consent.Kind}"));
        var row = await c.QuerySingleAsync<ConsentRow>(GetSql, new { caller.PracticeId, ClientId = clientId, Id = id });
        await c.CommitAsync();
        return row.ToResponse();
    }

    public async Task<Outcome<Page<ConsentResponse>>> ListAsync(Caller caller, Guid clientId, IdPageQuery query,
        CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        var rows = await c.QueryAsync<ConsentRow>(PageSql, new
        {
            caller.PracticeId, ClientId = clientId, After = Cursor.After(
                query.Cursor), Limit = query.EffectiveLimit() + 1,
        });
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "consent", null, [clientId]), ct);
        return Cursor.ToPage(rows, query.EffectiveLimit(), r => [r.Id.ToString()], r => r.ToResponse());
    }

    public async Task<Outcome<ConsentResponse>> GetAsync(Caller caller, Guid clientId, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        var row = await c.QuerySingleOrDefaultAsync<ConsentRow>(GetSql, new { caller.PracticeId,
            ClientId = clientId, Id = id });
        if (row is null) return Failure.NotFound("consent");
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "consent", id, [clientId]), ct);
        return row.ToResponse();
    }
}
