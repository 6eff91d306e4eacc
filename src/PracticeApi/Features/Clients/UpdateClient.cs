using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Clients;

/// <summary>Changes a client's details (not of an erased client), its identifiers replaced when given.</summary>
internal sealed class UpdateClient(Db db, AuditLog audit, Outbox outbox, TimeProvider clock)
{
    private const string UpdateSql = """
        UPDATE Clients SET FirstName = @FirstName, LastName = @LastName, SearchName = @SearchName,
            DateOfBirth = @DateOfBirth,
               Email = @Email, Phone = @Phone, PreferredLanguage = @PreferredLanguage, Pronouns = @Pronouns,
               Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    public Task<Outcome<ClientResponse>> UpdateAsync(Caller caller, Guid id, UpdateClientRequest request,
        int? expected, CancellationToken ct) =>
        db.WriteAsync(c => UpdateAsync(c, caller, id, request, expected, ct), ct);

    /// <summary>The change in the caller's unit of work (an upsert by identifier finds the client first).</summary>
    public async Task<Outcome<ClientResponse>> UpdateAsync(DbWrite c, Caller caller, Guid id,
        UpdateClientRequest request, int? expected, CancellationToken ct)
    {
        var current = await ClientReads.FindAsync(c, caller, id);
        if (current is null) return Failure.NotFound("client");
        if (expected is not null && expected != current.Version) return Failure.Stale;
        if (current.ErasedAt is not null) return CareRules.Erased();
        if (request.Identifiers is not null &&
            await ExternalIdentifiers.OfClients.FindClashAsync(c, caller.PracticeId, id, request.Identifiers,
                ct) is { } clash)
        {
            return ClientDetails.DuplicateIdentifier(clash);
        }

        var details = ClientDetails.Of(caller, id, request.FirstName, request.LastName, request.DateOfBirth,
            request.Email, request.Phone, request.PreferredLanguage.Wire(), request.Pronouns, clock.GetUtcNow()
                .UtcDateTime, current.Version);
        if (await c.ExecuteAsync(UpdateSql, details) == 0) return Failure.Stale;
        if (request.Identifiers is not null)
        {
            await ExternalIdentifiers.OfClients.ReplaceAsync(c, caller.PracticeId, id, request.Identifiers, ct);
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "client", id, [id]));
        await outbox.PublishAsync(c, caller.PracticeId, EventType.ClientUpdated, "clientId", id, [id], ct);
        return (await ClientReads.LoadAsync(c, caller, id, ct))!;
    }
}
