using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Measures;

/// <summary>
/// Outcome measures: versioned definitions (written or imported), and scores taken by clients (in session by staff, or
/// through the portal), scored on submission; a critical answer announces measure.critical_item to the care team's
/// integrations at once. Every change and read is audited.
/// </summary>
internal sealed class MeasureStore(Db db, AuditLog audit, Outbox outbox, TimeProvider clock,
    MeasureAssignments assignments)
{
    private const string Columns = "Id, MeasureKey, Version, Name, Definition, CreatedAt";

    private const string GetSql = $"SELECT {Columns} FROM MeasureDefinitions WHERE PracticeId = @PracticeId AND Id = @Id";

    private const string ListSql = $"SELECT {Columns} FROM MeasureDefinitions WHERE PracticeId = @PracticeId AND Id > @After ORDER BY Id {SqlDialect.Limit}";

    private const string NextVersionSql = "SELECT COALESCE(MAX(Version), 0) + 1 FROM MeasureDefinitions WHERE PracticeId = @PracticeId AND MeasureKey = @Key";

    private const string InsertSql = """
        INSERT INTO MeasureDefinitions (Id, PracticeId, MeasureKey, Version, Name, Definition, CreatedBy, CreatedAt)
        VALUES (@Id, @PracticeId, @Key, @Version, @Name, @Definition, @CreatedBy, @Now)
        """;

    private const string InsertScoreSql = """
        INSERT INTO MeasureScores (Id, PracticeId, ClientId, MeasureId, Answers, Total, Band, Subscales, Critical,
            RecordedBy, RecordedVia, TakenAt, RecordedAt, AssignmentId, OccurrenceDate)
        VALUES (@Id, @PracticeId, @ClientId, @MeasureId, @Answers, @Total, @Band, @Subscales, @Critical, @RecordedBy,
            @RecordedVia, @TakenAt, @Now, @AssignmentId, @OccurrenceDate)
        """;

    private const string ScoresSql = $"""
        SELECT {MeasureReads.ScoreColumns}
        FROM MeasureScores s JOIN MeasureDefinitions d ON d.Id = s.MeasureId AND d.PracticeId = s.PracticeId
        WHERE s.PracticeId = @PracticeId AND s.ClientId = @ClientId AND (s.TakenAt > @AfterAt OR (s.TakenAt = @AfterAt
            AND s.Id > @AfterId))
        ORDER BY s.TakenAt, s.Id {SqlDialect.Limit}
        """;

    private const string ScoreSql = $"""
        SELECT {MeasureReads.ScoreColumns}
        FROM MeasureScores s JOIN MeasureDefinitions d ON d.Id = s.MeasureId AND d.PracticeId = s.PracticeId
        WHERE s.PracticeId = @PracticeId AND s.Id = @Id
        """;

    private sealed record DefinitionRow
    {
        public Guid Id { get; init; }
        public string MeasureKey { get; init; } = "";
        public int Version { get; init; }
        public string Name { get; init; } = "";
        public string Definition { get; init; } = "";
        public DateTime CreatedAt { get; init; }

        public MeasureDefinition Parsed => StoredJson.Read<MeasureDefinition>(Definition);

        public MeasureResponse ToResponse()
        {
            var d = Parsed;
            return new MeasureResponse(Id, MeasureKey, Version, Name, d.LoincCode, d.TotalLoincCode, d.Items, d.Bands,
                d.CriticalItems, d.MaxTotal, CreatedAt);
        }
    }

    /// <summary>A new version of the measure with this key (the first if the key is new).</summary>
    public async Task<MeasureResponse> CreateAsync(Caller caller, string key, string name,
        MeasureDefinition definition, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var id = EntityIds.New();
        var version = await c.ExecuteScalarAsync<int>(NextVersionSql, new { caller.PracticeId, Key = key });
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, Key = key, Version = version, Name = name.Trim(), Definition = StoredJson.Write(
                definition), CreatedBy = caller.ActorId,
            Now = clock.GetUtcNow().UtcDateTime,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "measure", id,
            Detail: $"{key} v{version}"));
        var row = await c.QuerySingleAsync<DefinitionRow>(GetSql, new { caller.PracticeId, Id = id });
        await c.CommitAsync();
        return row.ToResponse();
    }

    public async Task<MeasureResponse?> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<DefinitionRow>(GetSql, new { caller.PracticeId,
            Id = id }))?.ToResponse();
    }

    public async Task<Page<MeasureResponse>> ListAsync(Caller caller, IdPageQuery query, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var rows = await c.QueryAsync<DefinitionRow>(ListSql, new { caller.PracticeId,
            After = Cursor.After(query.Cursor), Limit = query.EffectiveLimit() + 1 });
        return Cursor.ToPage(rows, query.EffectiveLimit(), r => [r.Id.ToString()], r => r.ToResponse());
    }

    /// <summary>Scores a measure a client took; the answers, the score and the announcement of any critical answer
    /// commit together.</summary>
    public async Task<Outcome<ScoreResponse>> RecordAsync(Caller caller, Guid clientId, RecordScoreRequest request,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var takenAt = request.TakenAt?.ToUniversalTime() ?? now;
        if (takenAt > now.AddMinutes(5)) return Failure.Invalid("takenAt", "takenAt is not in the future.");
        await using var c = await db.BeginWriteAsync(ct);
        if (await CareRules.CheckWritableAsync(c, caller, clientId) is { } refused) return refused;
        if (await c.QuerySingleOrDefaultAsync<DefinitionRow>(GetSql, new { caller.PracticeId,
            Id = request.MeasureId }) is not { } measure)
        {
            return Failure.Invalid("measureId", "measureId is not a measure of this practice.");
        }

        DateOnly? occurrence = null;
        if (request.AssignmentId is { } assignmentId)
        {
            var found = await assignments.OccurrenceAsync(c, caller, clientId, assignmentId, request.MeasureId,
                request.OccurrenceDate);
            if (!found.Succeeded) return found.Failure!;
            occurrence = found.Value;
        }

        var scored = MeasureScoring.Score(measure.Parsed, request.Answers);
        if (!scored.Succeeded) return scored.Failure!;
        var (total, band, subscales, critical) = scored.Value!;
        var id = EntityIds.New();
        if (!await c.ExecuteOnceAsync(InsertScoreSql, new
            {
                Id = id, caller.PracticeId, ClientId = clientId, request.MeasureId, Answers = StoredJson.Write(
                    request.Answers), Total = total, Band = band,
                Subscales = StoredJson.Write(subscales), Critical = StoredJson.Write(
                    critical), RecordedBy = caller.ActorId,
                RecordedVia = caller.IsPortal
                    ? "portal" : "staff", TakenAt = takenAt, Now = now, request.AssignmentId, OccurrenceDate = occurrence,
            }))
        {
            // UX_MeasureScores_Assignment_Occurrence: the first answer to an occurrence fills it, whichever request
            // came first.
            return Failure.Conflict("occurrence-taken", "Occurrence already taken",
                $"The measure of {occurrence:yyyy-MM-dd} is taken already.");
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "measure_score", id, [clientId],
            Detail: $"{measure.MeasureKey} v{measure.Version}"));
        if (critical.Count > 0)
        {
            // Ids and item ids only: what the answer was and what the alert says are read through the API, by the care
            // team.
            await outbox.PublishAsync(c, caller.PracticeId, EventType.MeasureCriticalItem, "scoreId", id,
                [clientId], ct,
                ("clientId", clientId), ("measureKey", measure.MeasureKey), ("linkIds", critical.Select(x => x.LinkId)
                    .ToList()));
        }

        var row = await c.QuerySingleAsync<MeasureReads.ScoreRow>(ScoreSql, new { caller.PracticeId, Id = id });
        await c.CommitAsync();
        return row.ToResponse();
    }

    /// <summary>A page of a client's scores, oldest first, grouped by instrument: each instrument's trend over
    /// time.</summary>
    public async Task<Outcome<Page<MeasureTrend>>> TrendsAsync(Caller caller, Guid clientId, PageQuery query,
        CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        var (at, after) = Cursor.DecodeTimeAndId(query.Cursor);
        var rows = await c.QueryAsync<MeasureReads.ScoreRow>(ScoresSql, new
        {
            caller.PracticeId, ClientId = clientId, AfterAt = at ?? DateTime.MinValue, AfterId = after
                ?? Guid.Empty, Limit = query.EffectiveLimit() + 1,
        });
        var page = rows.Take(query.EffectiveLimit()).ToList();
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "measure_score", null, [clientId]), ct);
        var trends = page.GroupBy(r => r.MeasureKey).Select(g => new MeasureTrend(g.Key, g.Last().Name,
            g.Select(r => r.ToResponse()).ToList())).ToList();
        return new Page<MeasureTrend>(trends, rows.Count > page.Count ? Cursor.EncodeTimeAndId(page[^1].TakenAt,
            page[^1].Id) : null);
    }
}
