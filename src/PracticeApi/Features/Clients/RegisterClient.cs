using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Clients;

/// <summary>
/// Registers a client (the creating therapist joins the care team), or, for an EHR's sync, creates or updates the
/// client holding an external identifier so that a repeated sync never makes a duplicate.
/// </summary>
internal sealed class RegisterClient(Db db, AuditLog audit, Outbox outbox, UpdateClient update, TimeProvider clock)
{
    private const string InsertSql = """
        INSERT INTO Clients (Id, PracticeId, FirstName, LastName, SearchName, DateOfBirth, Email, Phone,
            PreferredLanguage, Pronouns, Status, Version, CreatedAt, UpdatedAt)
        VALUES (@Id, @PracticeId, @FirstName, @LastName, @SearchName, @DateOfBirth, @Email, @Phone,
            @PreferredLanguage, @Pronouns, 'active', 1, @Now, @Now)
        """;

    private static readonly string[] InsertParameters =
        ["Id", "PracticeId", "FirstName", "LastName", "SearchName", "DateOfBirth", "Email", "Phone",
            "PreferredLanguage", "Pronouns", "Now"];

    public Task<Outcome<ClientResponse>> CreateAsync(Caller caller, CreateClientRequest request,
        CancellationToken ct) =>
        db.WriteAsync(c => CreateAsync(c, caller, request, ct), ct);

    /// <summary>
    /// Creates the client holding this identifier, or updates it: the EHR's own id decides, so a retried or repeated
    /// sync never makes a duplicate. The identifier is always kept among the client's identifiers.
    /// </summary>
    public Task<Outcome<(ClientResponse Client, bool Created)>> UpsertAsync(Caller caller, Identifier identifier,
        CreateClientRequest request, int? expected, CancellationToken ct) =>
        db.WriteAsync(c => UpsertAsync(c, caller, identifier, request, expected, ct), ct);

    private async Task<Outcome<(ClientResponse Client, bool Created)>> UpsertAsync(DbWrite c, Caller caller,
        Identifier identifier, CreateClientRequest request, int? expected, CancellationToken ct)
    {
        var identifiers = (request.Identifiers ?? []).Append(identifier).Distinct().ToList();
        var owner = await ExternalIdentifiers.OfClients.FindOwnerAsync(c, caller.PracticeId, identifier, ct);
        if (owner is null)
        {
            var created = await CreateAsync(c, caller, request with { Identifiers = identifiers }, ct);
            return created.Succeeded ? (created.Value!, true) : created.Failure!;
        }

        if (await ClientReads.FindAsync(c, caller,
            owner.Value) is null) return ClientDetails.DuplicateIdentifier(identifier);
        var changes = new UpdateClientRequest(request.FirstName, request.LastName, request.DateOfBirth, request.Email,
            request.Phone, request.PreferredLanguage, request.Pronouns, identifiers);
        var updated = await update.UpdateAsync(c, caller, owner.Value, changes, expected, ct);
        return updated.Succeeded ? (updated.Value!, false) : updated.Failure!;
    }

    private async Task<Outcome<ClientResponse>> CreateAsync(DbWrite c, Caller caller, CreateClientRequest request,
        CancellationToken ct)
    {
        var id = EntityIds.New();
        var team = (request.CareTeam ?? []).Concat(caller.IsUser ? [caller.TherapistId!.Value] : [])
            .Distinct().ToList();
        var identifiers = request.Identifiers ?? [];
        if (await ExternalIdentifiers.OfClients.FindClashAsync(c, caller.PracticeId, id, identifiers, ct) is { } clash)
        {
            return ClientDetails.DuplicateIdentifier(clash);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var details = ClientDetails.Of(caller, id, request.FirstName, request.LastName, request.DateOfBirth,
            request.Email, request.Phone, request.PreferredLanguage.Wire(), request.Pronouns, now, null);
        // Prepared once per connection and bound by position: every create runs it inside the database's one writer.
        await using (var insert = c.Repeated(InsertSql, InsertParameters))
        {
            await insert.ExecuteAsync(details.Id, details.PracticeId, details.FirstName, details.LastName,
                details.SearchName,
                details.DateOfBirth, details.Email, details.Phone, details.PreferredLanguage, details.Pronouns, details.Now);
        }

        // A new client: nothing to replace, so only inserts.
        await ExternalIdentifiers.OfClients.AddAsync(c, caller.PracticeId, id, identifiers, ct);
        if (await ClientCareTeam.AddAsync(c, caller.PracticeId, id, team) is { } teamProblem) return teamProblem;
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "client", id, [id]));
        await outbox.PublishAsync(c, caller.PracticeId, EventType.ClientCreated, "clientId", id, [id], ct);
        // What was just written, as a read returns it (identifiers by system and value, the care team sorted): no
        // read-back inside the write transaction, which holds the database's one writer.
        var created = new ClientRow
        {
            Id = id, PracticeId = caller.PracticeId, FirstName = details.FirstName, LastName = details.LastName,
            DateOfBirth = details.DateOfBirth, Email = details.Email, Phone = details.Phone,
            PreferredLanguage = details.PreferredLanguage, Pronouns = details.Pronouns,
            Status = "active", Version = 1, CreatedAt = now, UpdatedAt = now,
        };
        return created.ToResponse(ExternalIdentifiers.InReadOrder(identifiers), team.Order());
    }
}
