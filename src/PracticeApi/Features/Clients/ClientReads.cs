namespace PracticeApi.Features.Clients;

/// <summary>
/// How a client is read, by this feature and the others (FHIR, the client's export): the row, its identifiers and care
/// team, one query per page, not per row. The operations that change a client
/// are this feature's own (<see cref="RegisterClient"/>, <see cref="UpdateClient"/>, ...).
/// </summary>
internal static class ClientReads
{
    internal const string Columns = """
        c.Id, c.PracticeId, c.FirstName, c.LastName, c.DateOfBirth, c.Email, c.Phone, c.PreferredLanguage, c.Pronouns,
        c.Status, c.Version, c.CreatedAt, c.UpdatedAt, c.ErasedAt
        """;

    // One client with its identifiers and care team in one statement: a row per identifier and care-team member (few of
    // each), read by ReadDetailsAsync in this column order.
    private static readonly string GetWithDetailsSql = $"""
        SELECT {Columns}, i.System AS IdentifierSystem, i.Value AS IdentifierValue, t.TherapistId AS TeamMember
        FROM Clients c
        LEFT JOIN ClientIdentifiers i ON i.PracticeId = c.PracticeId AND i.ClientId = c.Id
        LEFT JOIN CareTeam t ON t.PracticeId = c.PracticeId AND t.ClientId = c.Id
        WHERE c.Id = @Id AND c.PracticeId = @PracticeId AND {Caseload.Client("c.Id")}
        """;

    private static readonly string GetSql =
        $"SELECT {Columns} FROM Clients c WHERE c.Id = @Id AND c.PracticeId = @PracticeId AND {Caseload.Client("c.Id")}";

    private const string CareTeamOfSql = "SELECT ClientId, TherapistId FROM CareTeam WHERE PracticeId = @PracticeId AND ClientId IN @Ids";

    private sealed record CareTeamRow
    {
        public Guid ClientId { get; init; }
        public Guid TherapistId { get; init; }
    }

    /// <summary>One client of the practice on the caller's caseload, as stored (erased clients included).</summary>
    internal static Task<ClientRow?> FindAsync(DbSession c, Caller caller, Guid id) =>
        c.QuerySingleOrDefaultAsync<ClientRow>(GetSql, new { Id = id, caller.PracticeId, Caseload = caller.Caseload });

    internal static Task<ClientResponse?> LoadAsync(DbSession c, Caller caller, Guid id, CancellationToken ct) =>
        LoadAsync(c, caller.PracticeId, caller.Caseload, id, ct);

    private static readonly string[] DetailsParameters = ["Id", "PracticeId", "Caseload"];

    internal static async Task<ClientResponse?> LoadAsync(DbSession c, Guid practiceId, Guid? caseload, Guid id,
        CancellationToken ct)
    {
        // The audited read's one statement (on SQLite, outside a write, run on a statement kept on the connection).
        await using var command = c.Repeated(GetWithDetailsSql, DetailsParameters);
        return await command.ReadWithAsync([id, practiceId, caseload], ReadDetailsAsync, ct);
    }

    /// <summary>
    /// Reads the rows of <see cref="GetWithDetailsSql"/> (the client's columns in <see cref="Columns"/> order, then an
    /// identifier's system and value and a care-team member, each possibly absent) into the client's response, or null
    /// when there is no row. Mapped by hand: this is the audited read's one statement, and Dapper's mapping (every
    /// column read as an object and converted through the type handlers) was a measurable share of that read
    /// (bench/README.md).
    /// </summary>
    private static async Task<ClientResponse?> ReadDetailsAsync<TRow>(TRow row,
        CancellationToken ct) where TRow : IStoredRow
    {
        ClientRow? client = null;
        var identifiers = new List<Identifier>();
        var team = new List<Guid>();
        while (await row.NextAsync(ct))
        {
            client ??= new ClientRow
            {
                Id = row.Id(0),
                PracticeId = row.Id(1),
                FirstName = row.Text(2),
                LastName = row.Text(3),
                DateOfBirth = row.DateOrNull(4),
                Email = row.TextOrNull(5),
                Phone = row.TextOrNull(6),
                PreferredLanguage = row.Text(7),
                Pronouns = row.TextOrNull(8),
                Status = row.Text(9),
                Version = row.Int(10),
                CreatedAt = row.Instant(11),
                UpdatedAt = row.Instant(12),
                ErasedAt = row.InstantOrNull(13),
            };
            if (row.TextOrNull(14) is { } system) identifiers.Add(new Identifier(system, row.Text(15)));
            if (row.IdOrNull(16) is { } member) team.Add(member);
        }

        return client?.ToResponse(
            identifiers.Distinct().OrderBy(i => i.System, StringComparer.Ordinal).ThenBy(i => i.Value,
                StringComparer.Ordinal),
            team.Distinct().Order());
    }

    internal static async Task<IReadOnlyList<ClientResponse>> ToResponsesAsync(DbSession c, Guid practiceId,
        IReadOnlyList<ClientRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        var ids = rows.Select(r => r.Id).ToList();
        var identifiers = await ExternalIdentifiers.OfClients.LoadAsync(c, practiceId, ids, ct);
        var team = (await c.QueryAsync<CareTeamRow>(CareTeamOfSql, new { PracticeId = practiceId, Ids = ids }))
            .ToLookup(t => t.ClientId, t => t.TherapistId);
        return rows.Select(r => r.ToResponse(identifiers[r.Id], team[r.Id].Order())).ToList();
    }
}
