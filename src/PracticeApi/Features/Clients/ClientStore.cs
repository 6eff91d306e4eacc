using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Clients;

internal sealed partial class ClientStore(Db db, AuditLog audit, TimeProvider clock, Outbox outbox, TokenCache cache)
{
    private static readonly string GetSql =
        $"SELECT {ClientReads.Columns} FROM Clients c WHERE c.Id = @Id AND c.PracticeId = @PracticeId AND {Caseload.Client("c.Id")}";

    private static readonly string Filters = $"""
        AND (@Status IS NULL OR c.Status = @Status)
        AND (@Q IS NULL OR c.SearchName LIKE @Q ESCAPE '\')
        AND {Caseload.Client("c.Id")}
        AND (@TherapistId IS NULL OR EXISTS (SELECT 1 FROM CareTeam tf WHERE tf.PracticeId = @PracticeId AND tf.ClientId = c.Id AND tf.TherapistId = @TherapistId))
        AND (@IdSystem IS NULL OR c.Id IN (SELECT i.ClientId FROM ClientIdentifiers i WHERE i.PracticeId = @PracticeId AND i.System = @IdSystem AND i.Value = @IdValue))
        """;

    // The whole practice, in id order (index PracticeId, Id).
    private static readonly string ListByPractice = $"""
        SELECT {ClientReads.Columns} FROM Clients c
        WHERE c.PracticeId = @PracticeId AND c.Id > @After {Filters}
        ORDER BY c.Id {SqlDialect.Limit}
        """;

    // One therapist's caseload, driven by the care-team index (PracticeId, TherapistId, ClientId).
    private static readonly string ListByTherapist = $"""
        SELECT {ClientReads.Columns} FROM CareTeam d
        JOIN Clients c ON c.Id = d.ClientId AND c.PracticeId = d.PracticeId
        WHERE d.PracticeId = @PracticeId AND d.TherapistId = @Driver AND d.ClientId > @After {Filters}
        ORDER BY d.ClientId {SqlDialect.Limit}
        """;

    private const string InsertSql = """
        INSERT INTO Clients (Id, PracticeId, FirstName, LastName, SearchName, DateOfBirth, Email, Phone, PreferredLanguage, Pronouns,
                             Status, Version, CreatedAt, UpdatedAt)
        VALUES (@Id, @PracticeId, @FirstName, @LastName, @SearchName, @DateOfBirth, @Email, @Phone, @PreferredLanguage, @Pronouns,
                'active', 1, @Now, @Now)
        """;

    private static readonly string[] InsertParameters =
        ["Id", "PracticeId", "FirstName", "LastName", "SearchName", "DateOfBirth", "Email", "Phone", "PreferredLanguage", "Pronouns", "Now"];

    private const string UpdateSql = """
        UPDATE Clients SET FirstName = @FirstName, LastName = @LastName, SearchName = @SearchName, DateOfBirth = @DateOfBirth,
               Email = @Email, Phone = @Phone, PreferredLanguage = @PreferredLanguage, Pronouns = @Pronouns,
               Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    private const string BumpSql = """
        UPDATE Clients SET Version = Version + 1, UpdatedAt = @Now, Status = COALESCE(@Status, Status)
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    public Task<Outcome<ClientResponse>> CreateAsync(Caller caller, CreateClientRequest request, CancellationToken ct) =>
        InTransactionAsync((c) => CreateAsync(c, caller, request, ct), ct);

    public Task<Outcome<ClientResponse>> UpdateAsync(Caller caller, Guid id, UpdateClientRequest request, int? expected, CancellationToken ct) =>
        InTransactionAsync((c) => UpdateAsync(c, caller, id, request, expected, ct), ct);

    /// <summary>
    /// Creates the client holding this identifier, or updates it: the EHR's own id decides, so a retried or repeated sync
    /// never makes a duplicate. The identifier is always kept among the client's identifiers.
    /// </summary>
    public Task<Outcome<(ClientResponse Client, bool Created)>> UpsertAsync(Caller caller, Identifier identifier, CreateClientRequest request, int? expected,
        CancellationToken ct) =>
        InTransactionAsync<(ClientResponse, bool)>(async (c) =>
        {
            var identifiers = (request.Identifiers ?? []).Append(identifier).Distinct().ToList();
            var owner = await ExternalIdentifiers.OfClients.FindOwnerAsync(c, caller.PracticeId, identifier, ct);
            if (owner is null)
            {
                var created = await CreateAsync(c, caller, request with { Identifiers = identifiers }, ct);
                return created.Succeeded ? (created.Value!, true) : created.Failure!;
            }

            if (await FindAsync(c, caller, owner.Value, ct) is null) return DuplicateIdentifier(identifier);
            var updated = await UpdateAsync(c, caller, owner.Value, new UpdateClientRequest(request.FirstName, request.LastName,
                request.DateOfBirth, request.Email, request.Phone, request.PreferredLanguage, request.Pronouns, identifiers), expected, ct);
            return updated.Succeeded ? (updated.Value!, false) : updated.Failure!;
        }, ct);

    /// <summary>Runs a change in one transaction: committed when it succeeds, rolled back when it fails.</summary>
    private async Task<Outcome<T>> InTransactionAsync<T>(Func<DbWrite, Task<Outcome<T>>> change, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var outcome = await change(c);
        if (outcome.Succeeded) await c.CommitAsync();
        return outcome;
    }

    private async Task<Outcome<ClientResponse>> CreateAsync(DbWrite c, Caller caller, CreateClientRequest request, CancellationToken ct)
    {
        var id = EntityIds.New();
        var team = (request.CareTeam ?? []).Concat(caller.IsUser ? [caller.TherapistId!.Value] : []).Distinct().ToList();
        var identifiers = request.Identifiers ?? [];
        if (await ExternalIdentifiers.OfClients.FindClashAsync(c, caller.PracticeId, id, identifiers, ct) is { } clash)
        {
            return DuplicateIdentifier(clash);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var details = Details(caller, id, request.FirstName, request.LastName, request.DateOfBirth, request.Email, request.Phone,
            request.PreferredLanguage.Wire(), request.Pronouns, now, null);
        // Prepared once per connection and bound by position: every create runs it inside the database's one writer.
        await using (var insert = c.Repeated(InsertSql, InsertParameters))
        {
            await insert.ExecuteAsync(details.Id, details.PracticeId, details.FirstName, details.LastName, details.SearchName, details.DateOfBirth,
                details.Email, details.Phone, details.PreferredLanguage, details.Pronouns, details.Now);
        }

        // A new client: nothing to replace, so only inserts.
        await ExternalIdentifiers.OfClients.AddAsync(c, caller.PracticeId, id, identifiers, ct);
        if (await AddCareTeamAsync(c, caller.PracticeId, id, team, ct) is { } teamProblem) return teamProblem;
        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Create, "client", id, [id]));
        await outbox.PublishAsync(c, caller.PracticeId, EventTypes.ClientCreated, "clientId", id, [id], ct);
        // What was just written, as a read returns it (identifiers by system and value, the care team sorted): no read-back
        // inside the write transaction, which holds the database's one writer.
        var created = new ClientRow
        {
            Id = id, PracticeId = caller.PracticeId, FirstName = details.FirstName, LastName = details.LastName, DateOfBirth = details.DateOfBirth,
            Email = details.Email, Phone = details.Phone, PreferredLanguage = details.PreferredLanguage, Pronouns = details.Pronouns,
            Status = "active", Version = 1, CreatedAt = now, UpdatedAt = now,
        };
        return created.ToResponse(ExternalIdentifiers.InReadOrder(identifiers), team.Order());
    }

    /// <summary>One client on the caller's caseload, with identifiers and care team; the read is audited.</summary>
    public async Task<ClientResponse?> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        ClientResponse? client;
        await using (var c = await db.BeginReadAsync(ct))
        {
            client = await ClientReads.LoadAsync(c, caller, id, ct);
        }

        if (client is not null) await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "client", id, [id]), ct);
        return client;
    }

    public async Task<Page<ClientResponse>> ListAsync(Caller caller, ClientListQuery query, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        // A therapist's list starts from their care teams; everyone else's from the practice (a consent-bound integration's
        // is narrowed by @Caseload like any other read).
        var driver = (caller.IsUser && !caller.IsAdmin ? caller.TherapistId : null) ?? query.TherapistId;
        var identifier = query.Identifier?.Split('|', 2);
        Page<ClientResponse> page;
        await using (var c = await db.BeginReadAsync(ct))
        {
            var rows = await c.QueryAsync<ClientRow>(driver is null ? ListByPractice : ListByTherapist, new
                {
                    caller.PracticeId,
                    Caseload = caller.Caseload,
                    Driver = driver,
                    After = Cursor.After(query.Cursor),
                    query.Status,
                    Q = string.IsNullOrWhiteSpace(query.Q) ? null : $"%{EscapeLike(query.Q.Trim().ToLowerInvariant())}%",
                    query.TherapistId,
                    IdSystem = identifier?[0],
                    IdValue = identifier?[1],
                    Limit = limit + 1,
                });
            var kept = rows.Take(limit).ToList();
            var responses = await ClientReads.ToResponsesAsync(c, caller.PracticeId, kept, ct);
            page = new Page<ClientResponse>(responses, rows.Count > limit ? Cursor.Encode(kept[^1].Id.ToString()) : null);
        }

        // One audit event per list read, naming every client it showed; the search text is not recorded.
        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "client", null, page.Items.Select(c => c.Id).ToList(),
            Detail: query.Q is null ? "list" : "list (name search)"), ct);
        return page;
    }

    private async Task<Outcome<ClientResponse>> UpdateAsync(DbWrite c, Caller caller, Guid id, UpdateClientRequest request,
        int? expected, CancellationToken ct)
    {
        var current = await FindAsync(c, caller, id, ct);
        if (current is null) return Failure.NotFound("client");
        if (expected is not null && expected != current.Version) return Failure.Stale;
        if (current.ErasedAt is not null) return CareRules.Erased();
        if (request.Identifiers is not null &&
            await ExternalIdentifiers.OfClients.FindClashAsync(c, caller.PracticeId, id, request.Identifiers, ct) is { } clash)
        {
            return DuplicateIdentifier(clash);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await c.ExecuteAsync(UpdateSql, Details(caller, id, request.FirstName, request.LastName,
            request.DateOfBirth, request.Email, request.Phone, request.PreferredLanguage.Wire(), request.Pronouns, now, current.Version));
        if (changed == 0) return Failure.Stale;
        if (request.Identifiers is not null)
        {
            await ExternalIdentifiers.OfClients.ReplaceAsync(c, caller.PracticeId, id, request.Identifiers, ct);
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Update, "client", id, [id]));
        await outbox.PublishAsync(c, caller.PracticeId, EventTypes.ClientUpdated, "clientId", id, [id], ct);
        return (await ClientReads.LoadAsync(c, caller, id, ct))!;
    }

    private async Task BumpAsync(DbWrite c, Guid practiceId, Guid id, int expected, string? status, CancellationToken ct) =>
        await c.ExecuteAsync(BumpSql, new { Id = id, PracticeId = practiceId, Expected = expected, Status = status, Now = clock.GetUtcNow().UtcDateTime });

    /// <summary>A client's details as stored: trimmed, the e-mail address in lower case, Dutch unless another language is given.</summary>
    private sealed record ClientDetails(Guid Id, Guid PracticeId, string FirstName, string LastName, string SearchName, DateOnly? DateOfBirth,
        string? Email, string? Phone, string PreferredLanguage, string? Pronouns, DateTime Now, int? Expected);

    private static ClientDetails Details(Caller caller, Guid id, string first, string last, DateOnly? born, string? email, string? phone,
        string? language, string? pronouns, DateTime now, int? expected) =>
        new(id, caller.PracticeId, first.Trim(), last.Trim(), $"{first.Trim()} {last.Trim()}".ToLowerInvariant(), born, email?.Trim().ToLowerInvariant(),
            phone?.Trim(), language ?? "nl", pronouns?.Trim(), now, expected);

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private static Failure DuplicateIdentifier(Identifier clash) =>
        Failure.Conflict("duplicate-identifier", "Identifier already in use",
            $"Another record of this practice already holds identifier {clash.System}|{clash.Value}.");
}
