namespace PracticeApi.Features.Calendar;

/// <summary>
/// Therapists' calendar feeds: made (a new one ends the old one at once), read back without the secret, revoked, and
/// served by their secret, which is kept only as a hash. A therapist manages their own feed; an admin anyone's.
/// </summary>
internal sealed class CalendarFeeds(Db db, AuditLog audit, TimeProvider clock)
{
    public const string TokenPrefix = "pa_cal_";

    /// <summary>How far back and ahead the feed reaches.</summary>
    public static readonly TimeSpan Past = TimeSpan.FromDays(30), Ahead = TimeSpan.FromDays(365);

    private const string ActiveSql = """
        SELECT Id, PracticeId, TherapistId, CreatedAt FROM CalendarFeeds
        WHERE PracticeId = @PracticeId AND TherapistId = @TherapistId AND RevokedAt IS NULL
        """;

    private const string RevokeSql = """
        UPDATE CalendarFeeds SET RevokedAt = @Now WHERE PracticeId = @PracticeId AND TherapistId = @TherapistId
            AND RevokedAt IS NULL
        """;

    private const string InsertSql = """
        INSERT INTO CalendarFeeds (Id, PracticeId, TherapistId, TokenHash, CreatedBy, CreatedAt)
        VALUES (@Id, @PracticeId, @TherapistId, @TokenHash, @CreatedBy, @Now)
        """;

    private const string ByTokenSql = """
        SELECT f.Id, f.PracticeId, f.TherapistId, f.CreatedAt FROM CalendarFeeds f
        JOIN Therapists t ON t.Id = f.TherapistId AND t.PracticeId = f.PracticeId
        WHERE f.TokenHash = @TokenHash AND f.RevokedAt IS NULL AND t.IsActive = 1
        """;

    private static readonly string SessionsSql = $"""
        SELECT s.Id, s.Kind, s.Modality, s.StartsAt, s.EndsAt, s.Status, s.Version, s.UpdatedAt FROM Sessions s
        WHERE s.PracticeId = @PracticeId AND s.TherapistId = @TherapistId AND s.StartsAt >= @From
            AND s.StartsAt < @Until
        ORDER BY s.StartsAt, s.Id {SqlDialect.Limit}
        """;

    private const string ParticipantsSql = """
        SELECT sc.SessionId, c.Id AS ClientId, c.FirstName, c.LastName FROM SessionClients sc
        JOIN Clients c ON c.Id = sc.ClientId AND c.PracticeId = sc.PracticeId
        WHERE sc.PracticeId = @PracticeId AND sc.SessionId IN @Ids
        """;

    /// <summary>The most sessions one feed holds (a year of a full-time schedule fits).</summary>
    private const int MostSessions = 2_000;

    /// <summary>
    /// A therapist of the caller's practice (404 otherwise), whose feed the caller manages: their own, or as an admin.
    /// A deactivated therapist's feed can be read and revoked, not made (it would never be served).
    /// </summary>
    private static async Task<Failure?> CheckAsync(DbSession c, Caller caller, Guid therapistId, CancellationToken ct,
        bool making = false)
    {
        if (await CareRules.CheckTherapistActiveAsync(c, caller.PracticeId, therapistId, "receive a calendar feed",
            ct) is { } failure &&
            (making || failure.Status == StatusCodes.Status404NotFound))
        {
            return failure;
        }

        return caller.IsAdmin || caller.TherapistId == therapistId
            ? null
            : Failure.Forbidden("A therapist manages their own calendar feed; an admin anyone's.");
    }

    public async Task<Outcome<(CalendarFeedResponse Feed, string Token)>> CreateAsync(Caller caller, Guid therapistId,
        CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (await CheckAsync(c, caller, therapistId, ct, making: true) is { } refused) return refused;
        var now = clock.GetUtcNow().UtcDateTime;
        var token = TokenPrefix + TokenSecrets.NewToken()[TokenSecrets.Prefix.Length..];
        var id = EntityIds.New();
        var ended = await c.ExecuteAsync(RevokeSql, new { caller.PracticeId, TherapistId = therapistId, Now = now });
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, TherapistId = therapistId, TokenHash = TokenSecrets.Hash(token), CreatedBy = caller.ActorId, Now = now,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "calendar_feed", id,
            Detail: ended > 0 ? "replaces the previous feed" : null));
        await c.CommitAsync();
        return (new CalendarFeedResponse(therapistId, null, now), token);
    }

    public async Task<Outcome<CalendarFeedResponse>> GetAsync(Caller caller, Guid therapistId, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (await CheckAsync(c, caller, therapistId, ct) is { } refused) return refused;
        var feed = await c.QuerySingleOrDefaultAsync<CalendarFeedRow>(ActiveSql, new { caller.PracticeId,
            TherapistId = therapistId });
        return feed is null ? Failure.NotFound("calendar feed") : new CalendarFeedResponse(therapistId, null,
            feed.CreatedAt);
    }

    public async Task<Failure?> RevokeAsync(Caller caller, Guid therapistId, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (await CheckAsync(c, caller, therapistId, ct) is { } refused) return refused;
        var feed = await c.QuerySingleOrDefaultAsync<CalendarFeedRow>(ActiveSql, new { caller.PracticeId,
            TherapistId = therapistId });
        if (feed is null) return Failure.NotFound("calendar feed");
        await c.ExecuteAsync(RevokeSql, new { caller.PracticeId, TherapistId = therapistId, Now = clock.GetUtcNow()
            .UtcDateTime });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Delete, "calendar_feed", feed.Id,
            Detail: "revoked"));
        await c.CommitAsync();
        return null;
    }

    /// <summary>
    /// The sessions a feed shows, found by its secret (null for an unknown or revoked one, or a deactivated therapist):
    /// two queries however many sessions. The read is audited as the feed's, naming every client whose initials it
    /// shows.
    /// </summary>
    public async Task<(List<FeedSessionRow> Sessions, ILookup<Guid,
        FeedParticipantRow> Participants)?> ReadAsync(string token, string? sourceIp,
        string requestId, CancellationToken ct)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal)) return null;
        await using var c = await db.BeginReadAsync(ct);
        var feed = await c.QuerySingleOrDefaultAsync<CalendarFeedRow>(ByTokenSql,
            new { TokenHash = TokenSecrets.Hash(token) });
        if (feed is null) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        var sessions = await c.QueryAsync<FeedSessionRow>(SessionsSql, new
        {
            feed.PracticeId, feed.TherapistId, From = now - Past, Until = now + Ahead, Limit = MostSessions,
        });
        var participants = sessions.Count == 0
            ? Enumerable.Empty<FeedParticipantRow>().ToLookup(p => p.SessionId)
            : (await c.QueryAsync<FeedParticipantRow>(ParticipantsSql, new { feed.PracticeId,
                Ids = sessions.Select(s => s.Id).ToList() })).ToLookup(p => p.SessionId);
        var reader = new Caller(feed.PracticeId, feed.Id, ActorKind.CalendarFeed, feed.TherapistId, null, null,
            new HashSet<string>(), sourceIp, requestId);
        await audit.WriteAsync(reader, new AuditEntry(AuditAction.Read, "calendar_feed", feed.Id,
            participants.SelectMany(p => p.Select(x => x.ClientId)).Distinct().ToList()), ct);
        return (sessions, participants);
    }
}
