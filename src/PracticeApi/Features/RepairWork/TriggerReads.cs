namespace PracticeApi.Features.RepairWork;

/// <summary>What other features read of this feature's records (the client's export); changing them is <see
/// cref="TriggerStore"/>'s own.</summary>
internal static class TriggerReads
{
    private const string EpisodesSinceSql = $"""
        SELECT {TriggerStore.EpisodeColumns} FROM TriggerEpisodes
        WHERE PracticeId = @PracticeId AND CoupleId IN @CoupleIds AND OccurredAt >= @Since
        """;

    internal sealed record EpisodeRow
    {
        public Guid Id { get; init; }
        public Guid CoupleId { get; init; }
        public Guid ClientId { get; init; }
        public DateTime OccurredAt { get; init; }
        public int Intensity { get; init; }
        public string? TriggerText { get; init; }
        public string? WhatHelped { get; init; }
        public Guid? RecordedBy { get; init; }
        public DateTime RecordedAt { get; init; }

        public TriggerEpisodeResponse ToResponse() => new(Id, ClientId, OccurredAt, Intensity, TriggerText, WhatHelped,
            RecordedBy, RecordedAt);
    }

    /// <summary>Episodes of some couples since a time, for progress and alerts (one query).</summary>
    public static async Task<ILookup<Guid, EpisodeRow>> EpisodesSinceAsync(DbSession c, Guid practiceId,
        IReadOnlyCollection<Guid> coupleIds, DateTime since, CancellationToken ct) =>
        coupleIds.Count == 0
            ? Array.Empty<EpisodeRow>().ToLookup(e => e.CoupleId)
            : (await c.QueryAsync<EpisodeRow>(EpisodesSinceSql, new { PracticeId = practiceId, CoupleIds = coupleIds,
                Since = since })).ToLookup(e => e.CoupleId);
}
