namespace PracticeApi.Features.Measures;

/// <summary>
/// What other features read of outcome measures: scores with their definitions (FHIR Observations and
/// QuestionnaireResponses), and clients' scores since a moment (a couple's progress and alerts). Writing a measure or a
/// score is <see cref="MeasureStore"/>'s own.
/// </summary>
internal static class MeasureReads
{
    internal const string ScoreColumns = """
        s.Id, s.ClientId, s.MeasureId, d.MeasureKey, d.Version, d.Name, s.Answers, s.Total, s.Band, s.Subscales,
            s.Critical, s.RecordedVia, s.TakenAt,
        s.AssignmentId, s.OccurrenceDate
        """;

    internal sealed record ScoreRow
    {
        public Guid Id { get; init; }
        public Guid ClientId { get; init; }
        public Guid MeasureId { get; init; }
        public string MeasureKey { get; init; } = "";
        public int Version { get; init; }
        public string Name { get; init; } = "";
        public string? Definition { get; init; }
        public string Answers { get; init; } = "";
        public int Total { get; init; }
        public string? Band { get; init; }
        public string Subscales { get; init; } = "";
        public string Critical { get; init; } = "";
        public string RecordedVia { get; init; } = "";
        public DateTime TakenAt { get; init; }
        public Guid? AssignmentId { get; init; }
        public DateOnly? OccurrenceDate { get; init; }

        /// <summary>The version's definition, when read with it (<see cref="ObservationsSql"/>, <see
        /// cref="ScoresByIdSql"/>).</summary>
        public MeasureDefinition? Parsed => Definition is null ? null : StoredJson.Read<MeasureDefinition>(Definition);

        public ScoreResponse ToResponse() => new(Id, ClientId, MeasureId, MeasureKey, Version, Total, Band,
            StoredJson.Read<Dictionary<string, int>>(Subscales),
            StoredJson.Read<List<CriticalAnswer>>(Critical), StoredJson.Read<Dictionary<string, string>>(
                Answers), TakenAt, ClosedSets.Parse<RecordedVia>(RecordedVia),
            AssignmentId, OccurrenceDate);
    }

    /// <summary>Each measure version's definition of some scores (read with their definitions), parsed once however
    /// many scores it has.</summary>
    public static Dictionary<Guid, MeasureDefinition> DefinitionsOf(IEnumerable<ScoreRow> rows) =>
        rows.DistinctBy(r => r.MeasureId).ToDictionary(r => r.MeasureId, r => r.Parsed!);

    // Scores for FHIR (Observation, and QuestionnaireResponse for the answers): by id, by patient, by when taken, in
    // the caller's caseload, keyset by id; the definition's codes beside them.
    public static readonly string ObservationsMatch = $"""
        FROM MeasureScores s JOIN MeasureDefinitions d ON d.Id = s.MeasureId AND d.PracticeId = s.PracticeId
        WHERE s.PracticeId = @PracticeId AND (@Id IS NULL OR s.Id = @Id) AND (@AnyPatients = 0
            OR s.ClientId IN @Patients) AND (@AnyIds = 0 OR s.Id IN @Ids)
          AND (@From IS NULL OR s.TakenAt >= @From) AND (@Before IS NULL OR s.TakenAt < @Before)
          AND {Caseload.Client("s.ClientId")}
        """;

    /// <summary>Scores by id with their definitions (ids already found in the caller's caseload).</summary>
    public const string ScoresByIdSql = $"""
        SELECT {ScoreColumns}, d.Definition
        FROM MeasureScores s JOIN MeasureDefinitions d ON d.Id = s.MeasureId AND d.PracticeId = s.PracticeId
        WHERE s.PracticeId = @PracticeId AND s.Id IN @Ids
        """;

    /// <summary>A page of scores with their definitions, for FHIR Observations.</summary>
    public static readonly string ObservationsSql = $"""
        SELECT {ScoreColumns}, d.Definition
        {ObservationsMatch} AND s.Id > @After
        ORDER BY s.Id {SqlDialect.Limit}
        """;

    public static readonly string ObservationsCountSql = $"SELECT COUNT(*) {ObservationsMatch}";

    private const string PointsSql = """
        SELECT s.ClientId, d.MeasureKey, d.Name, s.TakenAt, s.Total, s.Band, s.Critical
        FROM MeasureScores s JOIN MeasureDefinitions d ON d.Id = s.MeasureId AND d.PracticeId = s.PracticeId
        WHERE s.PracticeId = @PracticeId AND s.ClientId IN @ClientIds AND s.TakenAt >= @Since
        ORDER BY s.TakenAt, s.Id
        """;

    private sealed record PointRow
    {
        public Guid ClientId { get; init; }
        public string MeasureKey { get; init; } = "";
        public string Name { get; init; } = "";
        public DateTime TakenAt { get; init; }
        public int Total { get; init; }
        public string? Band { get; init; }
        public string Critical { get; init; } = "[]";
    }

    /// <summary>Some clients' scores since a moment, oldest first, in one query (a couple's progress and
    /// alerts).</summary>
    public static async Task<List<MeasurePoint>> PointsAsync(DbSession c, Guid practiceId,
        IReadOnlyList<Guid> clientIds, DateTime since) =>
        clientIds.Count == 0
            ? []
            : (await c.QueryAsync<PointRow>(PointsSql, new { PracticeId = practiceId, ClientIds = clientIds,
                Since = since }))
            .Select(r => new MeasurePoint(r.ClientId, r.MeasureKey, r.Name, r.TakenAt, r.Total, r.Band,
            StoredJson.Read<List<CriticalAnswer>>(r.Critical))).ToList();

    private const string OfClientSql = $"""
        SELECT {ScoreColumns}, d.Definition
        FROM MeasureScores s JOIN MeasureDefinitions d ON d.Id = s.MeasureId AND d.PracticeId = s.PracticeId
        WHERE s.PracticeId = @PracticeId AND s.ClientId = @ClientId
        ORDER BY s.TakenAt, s.Id
        """;

    /// <summary>Every score of a client with its definition, oldest first (the client's export).</summary>
    public static Task<List<ScoreRow>> OfClientAsync(DbSession c, Guid practiceId, Guid clientId) =>
        c.QueryAsync<ScoreRow>(OfClientSql, new { PracticeId = practiceId, ClientId = clientId });
}
