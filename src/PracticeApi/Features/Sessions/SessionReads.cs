using PracticeApi.Features.Clients;

namespace PracticeApi.Features.Sessions;

/// <summary>
/// How sessions are read, by this feature and the others (FHIR Appointments, the client's export): a page's sessions
/// with their participants, identifiers and, for staff, note addenda, one query each. Changing a session is the
/// operations' own (<see cref="ScheduleSession"/>, <see cref="SessionChanges"/>, ...).
/// </summary>
internal static class SessionReads
{
    // Bounds that keep a time range sargable when the caller gives none.
    internal static readonly DateTime Earliest = new(1, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    internal static readonly DateTime Latest = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    internal const string Columns = """
        s.Id, s.TherapistId, s.ClientId, s.CoupleId, s.Kind, s.Modality, s.StartsAt, s.EndsAt,
            s.DurationMinutes, s.Status,
        s.CancelReason, s.CancelledByClient, s.CancelledAt, s.CompletedAt, s.NoteFormat, s.NoteSections, s.SeriesId,
            s.NoteSignedAt, s.NoteSignedBy, s.Version, s.CreatedAt, s.UpdatedAt
        """;

    internal const string ParticipantsSql = """
        SELECT SessionId, ClientId, Attended FROM SessionClients WHERE PracticeId = @PracticeId AND SessionId IN @Ids
        """;

    private const string AddendaSql = """
        SELECT Id, SessionId, AuthorId, Text, CreatedAt FROM SessionNoteAddenda WHERE PracticeId = @PracticeId
            AND SessionId IN @Ids ORDER BY CreatedAt, Id
        """;

    internal sealed record ParticipantRow
    {
        public Guid SessionId { get; init; }
        public Guid ClientId { get; init; }
        public bool? Attended { get; init; }
    }

    private sealed record AddendumRow
    {
        public Guid Id { get; init; }
        public Guid SessionId { get; init; }
        public Guid AuthorId { get; init; }
        public string Text { get; init; } = "";
        public DateTime CreatedAt { get; init; }
    }

    private static readonly string GetSql =
        $"SELECT {Columns} FROM Sessions s WHERE s.Id = @Id AND s.PracticeId = @PracticeId AND {Caseload.Session("s")}";

    private static readonly string OfClientSql = $"""
        SELECT {Columns} FROM SessionClients d JOIN Sessions s ON s.Id = d.SessionId
        WHERE d.PracticeId = @PracticeId AND d.ClientId = @ClientId AND {Caseload.Session("s")}
        ORDER BY d.StartsAt, d.SessionId
        """;

    /// <summary>A client's whole session history with notes and addenda as the caller may see them (for the
    /// export).</summary>
    internal static async Task<IReadOnlyList<SessionResponse>> OfClientAsync(DbSession c, Caller caller, Guid clientId,
        CancellationToken ct) =>
        await ToResponsesAsync(c, caller, await c.QueryAsync<SessionRow>(OfClientSql, new { caller.PracticeId,
            ClientId = clientId, Caseload = caller.Caseload }), ct);

    internal static async Task<IReadOnlyList<SessionResponse>> ToResponsesAsync(DbSession c, Caller caller,
        IReadOnlyList<SessionRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        var ids = rows.Select(r => r.Id).ToList();
        var participants = (await c.QueryAsync<ParticipantRow>(ParticipantsSql, new { caller.PracticeId, Ids = ids }))
            .ToLookup(p => p.SessionId, p => new Participant(p.ClientId, p.Attended));
        var identifiers = await ExternalIdentifiers.OfSessions.LoadAsync(c, caller.PracticeId, ids, ct);
        // Addenda are note text: read only for those who see notes.
        var addenda = (caller.IsUser
                ? await c.QueryAsync<AddendumRow>(AddendaSql, new { caller.PracticeId, Ids = ids })
                : [])
            .ToLookup(a => a.SessionId, a => new NoteAddendum(a.Id, a.AuthorId, a.Text, a.CreatedAt));
        return rows.Select(r => r.ToResponse(participants[r.Id].OrderBy(p => p.ClientId), identifiers[r.Id],
            addenda[r.Id], withNote: caller.IsUser)).ToList();
    }

    /// <summary>One session of the practice on the caller's caseload, as stored.</summary>
    internal static Task<SessionRow?> FindAsync(DbSession c, Caller caller, Guid id) =>
        c.QuerySingleOrDefaultAsync<SessionRow>(GetSql, new { Id = id, caller.PracticeId, Caseload = caller.Caseload });

    /// <summary>One session as the caller sees it (null outside practice and caseload).</summary>
    internal static async Task<SessionResponse?> LoadAsync(DbSession c, Caller caller, Guid id, CancellationToken ct) =>
        await FindAsync(c, caller, id) is { } row ? (await ToResponsesAsync(c, caller, [row], ct))[0] : null;

    /// <summary>Who takes part in a session.</summary>
    internal static async Task<IReadOnlySet<Guid>> ParticipantsAsync(DbSession c, Guid practiceId, Guid id) =>
        (await c.QueryAsync<ParticipantRow>(ParticipantsSql, new { PracticeId = practiceId, Ids = new[] { id } }))
        .Select(p => p.ClientId).ToHashSet();
}
