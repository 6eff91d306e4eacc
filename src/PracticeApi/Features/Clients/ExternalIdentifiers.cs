namespace PracticeApi.Features.Clients;

/// <summary>External identifiers (system + value, unique per practice) of clients or sessions.</summary>
internal sealed class ExternalIdentifiers
{
    public static readonly ExternalIdentifiers OfClients = new("ClientIdentifiers", "ClientId");
    public static readonly ExternalIdentifiers OfSessions = new("SessionIdentifiers", "SessionId");

    // Both tables' statements as one static set, which the statement catalogue (SqlCatalogue) reads.
    private static readonly string[] Statements = [.. OfClients.All, .. OfSessions.All];

    private readonly string _find;
    private readonly string _findAny;
    private readonly string _delete;
    private readonly string _insert;
    private readonly string _load;

    private ExternalIdentifiers(string table, string owner)
    {
        _find = $"SELECT {owner} FROM {table} WHERE PracticeId = @PracticeId AND System = @System AND Value = @Value";
        _findAny = $"SELECT {owner} FROM {table} WHERE PracticeId = @PracticeId AND (@System IS NULL OR System = @System) AND (@Value IS NULL OR Value = @Value)";
        _delete = $"DELETE FROM {table} WHERE PracticeId = @PracticeId AND {owner} = @OwnerId";
        _insert = $"INSERT INTO {table} (PracticeId, System, Value, {owner}) VALUES (@PracticeId, @System, @Value, @OwnerId)";
        _load = $"SELECT {owner} AS OwnerId, System, Value FROM {table} WHERE PracticeId = @PracticeId AND {owner} IN @Ids";
    }

    private string[] All => [_find, _findAny, _delete, _insert, _load];

    private sealed record Row
    {
        public Guid OwnerId { get; init; }
        public string System { get; init; } = "";
        public string Value { get; init; } = "";
    }

    /// <summary>Who holds this identifier in the practice, if anyone.</summary>
    public Task<Guid?> FindOwnerAsync(DbSession c, Guid practiceId, Identifier identifier, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<Guid?>(_find, new { PracticeId = practiceId, identifier.System, identifier.Value });

    /// <summary>Everyone holding one of these identifier tokens (a system and value, a value in any system, any value
    /// in a system).</summary>
    public async Task<List<Guid>> FindOwnersAsync(DbSession c, Guid practiceId, IEnumerable<IdentifierToken> tokens,
        CancellationToken ct)
    {
        var owners = new HashSet<Guid>();
        // Every stored identifier has a system: "|value" (no system) matches nothing.
        foreach (var token in tokens.Where(t => !t.NoSystem))
        {
            owners.UnionWith(await c.QueryAsync<Guid>(_findAny, new { PracticeId = practiceId, token.System,
                token.Value }));
        }

        return owners.ToList();
    }

    /// <summary>The first identifier already held by someone else than <paramref name="ownerId"/>.</summary>
    public async Task<Identifier?> FindClashAsync(DbWrite c, Guid practiceId, Guid ownerId,
        IEnumerable<Identifier> identifiers, CancellationToken ct)
    {
        foreach (var identifier in identifiers)
        {
            var owner = await FindOwnerAsync(c, practiceId, identifier, ct);
            if (owner is not null && owner != ownerId) return identifier;
        }

        return null;
    }

    public async Task ReplaceAsync(DbWrite c, Guid practiceId, Guid ownerId, IEnumerable<Identifier> identifiers,
        CancellationToken ct)
    {
        await c.ExecuteAsync(_delete, new { PracticeId = practiceId, OwnerId = ownerId });
        await AddAsync(c, practiceId, ownerId, identifiers, ct);
    }

    /// <summary>The identifiers of an owner made in this transaction (nothing to replace yet).</summary>
    public async Task AddAsync(DbWrite c, Guid practiceId, Guid ownerId, IEnumerable<Identifier> identifiers,
        CancellationToken ct)
    {
        var rows = identifiers.Select(i => new { PracticeId = practiceId, i.System, i.Value,
            OwnerId = ownerId }).ToList();
        if (rows.Count > 0) await c.ExecuteAsync(_insert, rows);
    }

    /// <summary>The identifiers of a page of owners, in one query.</summary>
    public async Task<ILookup<Guid, Identifier>> LoadAsync(DbSession c, Guid practiceId,
        IReadOnlyCollection<Guid> ownerIds, CancellationToken ct)
    {
        if (ownerIds.Count == 0) return Array.Empty<Row>().ToLookup(r => r.OwnerId,
            r => new Identifier(r.System, r.Value));
        var rows = await c.QueryAsync<Row>(_load, new { PracticeId = practiceId, Ids = ownerIds });
        return rows.OrderBy(r => r.System, StringComparer.Ordinal).ThenBy(r => r.Value, StringComparer.Ordinal)
            .ToLookup(r => r.OwnerId, r => new Identifier(r.System, r.Value));
    }

    /// <summary>Identifiers in the order <see cref="LoadAsync"/> gives them: by system, then value.</summary>
    public static IEnumerable<Identifier> InReadOrder(IEnumerable<Identifier> identifiers) =>
        identifiers.OrderBy(i => i.System, StringComparer.Ordinal).ThenBy(i => i.Value, StringComparer.Ordinal);
}
