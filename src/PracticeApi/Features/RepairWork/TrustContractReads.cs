namespace PracticeApi.Features.RepairWork;

/// <summary>What other features read of this feature's records (the client's export); changing them is <see
/// cref="TrustContractStore"/>'s own.</summary>
internal static class TrustContractReads
{
    private const string AllEvaluationsSql = """
        SELECT CoupleId, Id, Version, ClientId, Month, Ratings, Decisions, SubmittedAt FROM TrustContractEvaluations
        WHERE PracticeId = @PracticeId AND CoupleId IN @CoupleIds ORDER BY Month
        """;

    internal sealed record EvaluationRow
    {
        public Guid Id { get; init; }
        public Guid CoupleId { get; init; }
        public int Version { get; init; }
        public Guid ClientId { get; init; }
        public string Month { get; init; } = "";
        public string Ratings { get; init; } = "[]";
        public string Decisions { get; init; } = "[]";
        public DateTime SubmittedAt { get; init; }

        public IReadOnlyList<LineRating> RatingList => StoredJson.Read<List<LineRating>>(Ratings);

        public EvaluationResponse ToResponse() =>
            new(Id, Version, ClientId, Month, RatingList, StoredJson.Read<List<LineDecision>>(Decisions), SubmittedAt);
    }

    /// <summary>All evaluations of some couples, for progress and alerts (one query).</summary>
    public static async Task<ILookup<Guid, EvaluationRow>> EvaluationsOfAsync(DbSession c, Guid practiceId,
        IReadOnlyCollection<Guid> coupleIds, CancellationToken ct) =>
        coupleIds.Count == 0
            ? Array.Empty<EvaluationRow>().ToLookup(e => e.CoupleId)
            : (await c.QueryAsync<EvaluationRow>(AllEvaluationsSql, new { PracticeId = practiceId,
                CoupleIds = coupleIds })).ToLookup(e => e.CoupleId);
}
