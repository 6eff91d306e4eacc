using System.Data.Common;
using Dapper;

namespace PracticeApi.Features.Clients;

/// <summary>External identifiers (system + value, unique per practice) of clients or sessions.</summary>
internal sealed class ExternalIdentifiers
{
    // Static fields, one set per table, so that the statement catalogue (SqlCatalogue) knows every statement.
    private static readonly string[] ClientStatements = Statements("ClientIdentifiers", "ClientId");
    private static readonly string[] SessionStatements = Statements("SessionIdentifiers", "SessionId");
    private static readonly string FindClient = ClientStatements[0], DeleteClient = ClientStatements[1],
        InsertClient = ClientStatements[2], LoadClient = ClientStatements[3];
    private static readonly string FindSession = SessionStatements[0], DeleteSession = SessionStatements[1],
        InsertSession = SessionStatements[2], LoadSession = SessionStatements[3];

    public static readonly ExternalIdentifiers OfClients = new(FindClient, DeleteClient, InsertClient, LoadClient);
    public static readonly ExternalIdentifiers OfSessions = new(FindSession, DeleteSession, InsertSession, LoadSession);

    private readonly string _find;
    private readonly string _delete;
    private readonly string _insert;
    private readonly string _load;

    private ExternalIdentifiers(string find, string delete, string insert, string load) =>
        (_find, _delete, _insert, _load) = (find, delete, insert, load);

    private static string[] Statements(string table, string owner) =>
    [
        $"SELECT {owner} FROM {table} WHERE PracticeId = @PracticeId AND System = @System AND Value = @Value",
        $"DELETE FROM {table} WHERE PracticeId = @PracticeId AND {owner} = @OwnerId",
        $"INSERT INTO {table} (PracticeId, System, Value, {owner}) VALUES (@PracticeId, @System, @Value, @OwnerId)",
        $"SELECT {owner} AS OwnerId, System, Value FROM {table} WHERE PracticeId = @PracticeId AND {owner} IN @Ids",
    ];

    private sealed record Row
    {
        public Guid OwnerId { get; init; }
        public string System { get; init; } = "";
        public string Value { get; init; } = "";
    }

    /// <summary>Who holds this identifier in the practice, if anyone.</summary>
    public Task<Guid?> FindOwnerAsync(DbConnection c, DbTransaction? tx, Guid practiceId, Identifier identifier, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(_find,
            new { PracticeId = practiceId, identifier.System, identifier.Value }, tx, cancellationToken: ct));

    /// <summary>The first identifier already held by someone else than <paramref name="ownerId"/>.</summary>
    public async Task<Identifier?> FindClashAsync(DbConnection c, DbTransaction tx, Guid practiceId, Guid ownerId,
        IEnumerable<Identifier> identifiers, CancellationToken ct)
    {
        foreach (var identifier in identifiers)
        {
            var owner = await FindOwnerAsync(c, tx, practiceId, identifier, ct);
            if (owner is not null && owner != ownerId) return identifier;
        }

        return null;
    }

    public async Task ReplaceAsync(DbConnection c, DbTransaction tx, Guid practiceId, Guid ownerId, IEnumerable<Identifier> identifiers,
        CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(_delete, new { PracticeId = practiceId, OwnerId = ownerId }, tx, cancellationToken: ct));
        var rows = identifiers.Select(i => new { PracticeId = practiceId, i.System, i.Value, OwnerId = ownerId }).ToList();
        if (rows.Count > 0) await c.ExecuteAsync(new CommandDefinition(_insert, rows, tx, cancellationToken: ct));
    }

    /// <summary>The identifiers of a page of owners, in one query.</summary>
    public async Task<ILookup<Guid, Identifier>> LoadAsync(DbConnection c, DbTransaction? tx, Guid practiceId, IReadOnlyCollection<Guid> ownerIds,
        CancellationToken ct)
    {
        if (ownerIds.Count == 0) return Array.Empty<Row>().ToLookup(r => r.OwnerId, r => new Identifier(r.System, r.Value));
        var rows = await c.QueryAsync<Row>(new CommandDefinition(_load, new { PracticeId = practiceId, Ids = ownerIds }, tx, cancellationToken: ct));
        return rows.OrderBy(r => r.System, StringComparer.Ordinal).ThenBy(r => r.Value, StringComparer.Ordinal)
            .ToLookup(r => r.OwnerId, r => new Identifier(r.System, r.Value));
    }
}
