namespace PracticeApi.Features.Sessions;

/// <summary>Reading sessions and series, each read audited with the clients it showed.</summary>
internal sealed class SessionQueries(Db db, AuditLog audit)
{
    private static readonly string ListFilters = $"""
        AND s.StartsAt >= @Lower AND s.StartsAt < @Upper
        AND (s.StartsAt > @AfterAt OR (s.StartsAt = @AfterAt AND s.Id > @AfterId))
        AND (@Status IS NULL OR s.Status = @Status)
        AND (@TherapistId IS NULL OR s.TherapistId = @TherapistId)
        AND (@CoupleId IS NULL OR s.CoupleId = @CoupleId)
        AND {Caseload.Session("s")}
        """;

    // Each variant walks an index that starts with PracticeId and ends with (StartsAt, Id).
    private static readonly string ListByPractice = ListBy("1 = 1");
    private static readonly string ListByTherapist = ListBy("s.TherapistId = @TherapistId");
    private static readonly string ListByCouple = ListBy("s.CoupleId = @CoupleId");

    // A client's sessions, alone or as a partner, through SessionClients (PracticeId, ClientId, StartsAt, SessionId).
    private static readonly string ListByClient = $"""
        SELECT {SessionReads.Columns} FROM SessionClients d
        JOIN Sessions s ON s.Id = d.SessionId
        WHERE d.PracticeId = @PracticeId AND d.ClientId = @ClientId
          AND d.StartsAt >= @Lower AND d.StartsAt < @Upper {ListFilters}
        ORDER BY d.StartsAt, d.SessionId {SqlDialect.Limit}
        """;

    private static string ListBy(string driver) => $"""
        SELECT {SessionReads.Columns} FROM Sessions s
        WHERE s.PracticeId = @PracticeId AND {driver} {ListFilters}
        ORDER BY s.StartsAt, s.Id {SqlDialect.Limit}
        """;

    public async Task<SessionResponse?> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        SessionResponse? session;
        await using (var c = await db.BeginReadAsync(ct))
        {
            session = await SessionReads.LoadAsync(c, caller, id, ct);
        }

        if (session is not null)
        {
            var clients = session.Participants.Select(p => p.ClientId).ToList();
            await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "session", id, clients), ct);
        }

        return session;
    }

    public async Task<Page<SessionResponse>> ListAsync(Caller caller, SessionListQuery query, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
        var from = query.From?.UtcDateTime ?? SessionReads.Earliest;
        var sql = query.ClientId is not null ? ListByClient
            : query.TherapistId is not null ? ListByTherapist
            : query.CoupleId is not null ? ListByCouple
            : ListByPractice;

        Page<SessionResponse> page;
        await using (var c = await db.BeginReadAsync(ct))
        {
            var rows = await c.QueryAsync<SessionRow>(sql, new
            {
                caller.PracticeId,
                Caseload = caller.Caseload,
                query.ClientId,
                query.TherapistId,
                query.CoupleId,
                Status = query.Status?.Wire(),
                Lower = afterAt is { } a && a > from ? a : from,
                Upper = query.To?.UtcDateTime ?? SessionReads.Latest,
                AfterAt = afterAt ?? SessionReads.Earliest,
                AfterId = afterId ?? Guid.Empty,
                Limit = limit + 1,
            });
            var kept = rows.Take(limit).ToList();
            var responses = await SessionReads.ToResponsesAsync(c, caller, kept, ct);
            var next = rows.Count > limit ? Cursor.EncodeTimeAndId(kept[^1].StartsAt, kept[^1].Id) : null;
            page = new Page<SessionResponse>(responses, next);
        }

        var shown = page.Items.SelectMany(s => s.Participants.Select(p => p.ClientId)).ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "session", null, shown, Detail: "list"), ct);
        return page;
    }

    public async Task<SeriesResponse?> GetSeriesAsync(Caller caller, Guid id, CancellationToken ct)
    {
        SeriesResponse? series;
        await using (var c = await db.BeginReadAsync(ct))
        {
            series = await SeriesReads.LoadAsync(c, caller, id, [], ct);
        }

        if (series is not null)
        {
            await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "session_series", id,
                SeriesReads.Participants(series)), ct);
        }

        return series;
    }
}
