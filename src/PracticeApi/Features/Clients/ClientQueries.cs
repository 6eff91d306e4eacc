namespace PracticeApi.Features.Clients;

/// <summary>Reading clients: one, or a page filtered by status, name, therapist or identifier; each read
/// audited.</summary>
internal sealed class ClientQueries(Db db, AuditLog audit)
{
    private static readonly string Filters = $"""
        AND (@Status IS NULL OR c.Status = @Status)
        AND (@Q IS NULL OR c.SearchName LIKE @Q ESCAPE '\')
        AND {Caseload.Client("c.Id")}
        AND (@TherapistId IS NULL OR EXISTS (SELECT 1 FROM CareTeam tf WHERE tf.PracticeId = @PracticeId
            AND tf.ClientId = c.Id AND tf.TherapistId = @TherapistId))
        AND (@IdSystem IS NULL OR c.Id IN (SELECT i.ClientId FROM ClientIdentifiers i WHERE i.PracticeId = @PracticeId
            AND i.System = @IdSystem AND i.Value = @IdValue))
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

    public async Task<ClientResponse?> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        ClientResponse? client;
        await using (var c = await db.BeginReadAsync(ct))
        {
            client = await ClientReads.LoadAsync(c, caller, id, ct);
        }

        if (client is not null) await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "client",
            id, [id]), ct);
        return client;
    }

    public async Task<Page<ClientResponse>> ListAsync(Caller caller, ClientListQuery query, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        // A therapist's list starts from their care teams; everyone else's from the practice (a consent-bound
        // integration's is narrowed by @Caseload like any other read).
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
                    Status = query.Status?.Wire(),
                    Q = string.IsNullOrWhiteSpace(query.Q)
                        ? null : $"%{EscapeLike(query.Q.Trim().ToLowerInvariant())}%",
                    query.TherapistId,
                    IdSystem = identifier?[0],
                    IdValue = identifier?[1],
                    Limit = limit + 1,
                });
            var kept = rows.Take(limit).ToList();
            var responses = await ClientReads.ToResponsesAsync(c, caller.PracticeId, kept, ct);
            page = new Page<ClientResponse>(responses,
                rows.Count > limit ? Cursor.Encode(kept[^1].Id.ToString()) : null);
        }

        // One audit event per list read, naming every client it showed; the search text is not recorded.
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "client", null,
            page.Items.Select(c => c.Id).ToList(), Detail: query.Q is null ? "list" : "list (name search)"), ct);
        return page;
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
