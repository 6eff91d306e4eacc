using System.Globalization;
using System.Text.Json;
using PracticeApi.Features.Assignments;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Exercises;
using PracticeApi.Features.RepairWork;

namespace PracticeApi.Features.Progress;

/// <summary>One daily check-in occurrence of one partner: when it was due, whether and when it was answered, the mood
/// given.</summary>
internal sealed record CheckIn(Guid RespondentId, DateOnly Date, DateTime DueAt, DateTime? AnsweredAt, string? Mood);

internal sealed record StepChange(Guid CoupleId, int? FromStep, int ToStep, DateTime ChangedAt);

internal sealed record RecentBreach(Guid CoupleId, DateOnly OccurredOn, string BreachType, DateTime RecordedAt);

/// <summary>One partner's answer to the weekly trust and connection rating (0 to 10 each), by occurrence
/// date.</summary>
internal sealed record TrustRating(Guid RespondentId, DateOnly Date, int Trust, int Connection);

/// <summary>Everything progress and alerts are computed from, for one couple.</summary>
internal sealed record CoupleSignals(
    CoupleRow Couple, IReadOnlyList<CheckIn> CheckIns, IReadOnlyList<TriggerReads.EpisodeRow> Episodes,
    IReadOnlyList<TrustContractReads.EvaluationRow> Evaluations, IReadOnlyList<StepChange> Steps, IReadOnlyList<RecentBreach> Breaches,
    IReadOnlyList<TrustRating> TrustRatings, IReadOnlyDictionary<Guid, Recovery.RecoverySummary> Recovery, IReadOnlyList<Measures.MeasurePoint> Measures);

/// <summary>Loads the signals of a page of couples in a fixed number of queries, whatever the page size.</summary>
internal sealed class RepairSignals(PracticeCalendar calendar)
{
    // The couples' daily check-ins and weekly trust ratings.
    private const string CheckInAssignmentsSql = $"""
        SELECT {AssignmentReads.Columns} FROM Assignments a
        WHERE a.PracticeId = @PracticeId AND a.CoupleId IN @CoupleIds AND a.TemplateId IN @TemplateIds
        """;

    private static readonly Guid CheckInTemplate = BuiltInCatalogue.IdFor(BuiltInCatalogue.DailyCheckInKey);
    private static readonly Guid TrustRatingTemplate = BuiltInCatalogue.IdFor("weekly_trust_rating");

    private const string ResponsesSql = """
        SELECT AssignmentId, RespondentId, OccurrenceDate, Revision, Answers, SubmittedAt FROM Responses
        WHERE PracticeId = @PracticeId AND AssignmentId IN @AssignmentIds
        """;

    private const string StepsSql = "SELECT CoupleId, FromStep, ToStep, ChangedAt FROM CoupleStepChanges WHERE PracticeId = @PracticeId AND CoupleId IN @CoupleIds";

    private const string BreachesSql = """
        SELECT CoupleId, OccurredOn, BreachType, RecordedAt FROM CoupleBreaches WHERE PracticeId = @PracticeId
            AND CoupleId IN @CoupleIds AND RecordedAt >= @Since
        """;

    private sealed record AnswerRow
    {
        public Guid AssignmentId { get; init; }
        public Guid RespondentId { get; init; }
        public DateOnly OccurrenceDate { get; init; }
        public int Revision { get; init; }
        public string Answers { get; init; } = "{}";
        public DateTime SubmittedAt { get; init; }
    }

    private sealed record StepRow
    {
        public Guid CoupleId { get; init; }
        public int? FromStep { get; init; }
        public int ToStep { get; init; }
        public DateTime ChangedAt { get; init; }
    }

    private sealed record BreachRow
    {
        public Guid CoupleId { get; init; }
        public DateOnly OccurredOn { get; init; }
        public string BreachType { get; init; } = "";
        public DateTime RecordedAt { get; init; }
    }

    public static readonly TimeSpan EpisodeHistory = TimeSpan.FromDays(7 * 26);
    public static readonly TimeSpan BreachHistory = TimeSpan.FromDays(30);

    /// <param name="until">The last day that counts (check-ins after it are ignored).</param>
    /// <param name="episodesSince">The first instant whose trigger episodes are loaded.</param>
    public async Task<IReadOnlyList<CoupleSignals>> LoadAsync(DbSession c, Guid practiceId,
        IReadOnlyList<CoupleRow> couples, DateOnly until, DateTime episodesSince, CancellationToken ct)
    {
        if (couples.Count == 0) return [];
        var ids = couples.Select(c => c.Id).ToList();
        var args = new { PracticeId = practiceId, CoupleIds = ids };

        var assignments = (await c.QueryAsync<AssignmentRow>(CheckInAssignmentsSql, new { PracticeId = practiceId,
            CoupleIds = ids, TemplateIds = new[] { CheckInTemplate, TrustRatingTemplate } })).ToList();
        var assignmentIds = assignments.Select(a => a.Id).ToList();
        var respondents = await AssignmentReads.RespondentsAsync(c, practiceId, assignmentIds, ct);
        var answers = assignmentIds.Count == 0
            ? []
            : (await c.QueryAsync<AnswerRow>(ResponsesSql, new { PracticeId = practiceId,
                AssignmentIds = assignmentIds })).ToList();
        var byOccurrence = answers.GroupBy(a => (a.AssignmentId, a.RespondentId, a.OccurrenceDate))
            .ToDictionary(g => g.Key, g => (First: g.Min(a => a.SubmittedAt),
            Latest: g.MaxBy(a => a.Revision)!.Answers));

        var episodes = await TriggerReads.EpisodesSinceAsync(c, practiceId, ids, episodesSince, ct);
        var evaluations = await TrustContractReads.EvaluationsOfAsync(c, practiceId, ids, ct);
        var steps = (await c.QueryAsync<StepRow>(StepsSql, args))
            .Select(s => new StepChange(s.CoupleId, s.FromStep, s.ToStep, s.ChangedAt)).ToLookup(s => s.CoupleId);
        var breaches = (await c.QueryAsync<BreachRow>(BreachesSql, new { PracticeId = practiceId, CoupleIds = ids,
            Since = calendar.Now - BreachHistory }))
            .Select(b => new RecentBreach(b.CoupleId, b.OccurredOn, b.BreachType,
            b.RecordedAt)).ToLookup(b => b.CoupleId);

        var partners = couples.SelectMany(c => c.Partners).Distinct().ToList();
        var recovery = await Recovery.RecoveryReads.SummariesAsync(c, practiceId, partners, until, ct);
        var measures = (await Measures.MeasureReads.PointsAsync(c, practiceId, partners,
            episodesSince)).ToLookup(m => m.ClientId);

        return couples.Select(couple =>
        {
            var checkIns = new List<CheckIn>();
            foreach (var assignment in assignments.Where(a => a.CoupleId == couple.Id
                && a.TemplateId == CheckInTemplate))
            {
                // A cancelled assignment stops counting from the day it was cancelled.
                var last = assignment.CancelledAt is { } cancelled ? Min(until, calendar.LocalDate(cancelled)
                    .AddDays(-1)) : until;
                foreach (var date in assignment.Dates.Where(d => d <= last))
                {
                    foreach (var respondent in respondents[assignment.Id])
                    {
                        // Held together: the record either partner wrote is the occurrence's for both (as in
                        // Occurrences).
                        var answered = byOccurrence.TryGetValue((assignment.Id, respondent, date), out var a) ? a
                            : assignment.Respondents == CreateAssignmentValidator.Together
                                ? respondents[assignment.Id].Select(r => byOccurrence.GetValueOrDefault(
                                    (assignment.Id, r, date)))
                                    .Where(x => x.First != default).OrderBy(x => x.First).FirstOrDefault()
                                : default;
                        checkIns.Add(new CheckIn(respondent, date, calendar.ToUtc(date, assignment.Due),
                            answered.First == default ? null : answered.First,
                            answered.Latest is null ? null : Mood(answered.Latest)));
                    }
                }
            }

            var ratings = assignments.Where(a => a.CoupleId == couple.Id && a.TemplateId == TrustRatingTemplate)
                .SelectMany(a => byOccurrence.Where(o => o.Key.AssignmentId == a.Id)
                    .Select(o => Rating(o.Key.RespondentId, o.Key.OccurrenceDate, o.Value.Latest)))
                .OfType<TrustRating>().ToList();
            return new CoupleSignals(couple, checkIns, episodes[couple.Id].ToList(), evaluations[couple.Id].ToList(),
                steps[couple.Id].ToList(),
                breaches[couple.Id].ToList(), ratings, couple.Partners.Where(recovery.ContainsKey).ToDictionary(p => p,
                    p => recovery[p]),
                couple.Partners.SelectMany(p => measures[p]).OrderBy(m => m.TakenAt).ToList());
        }).ToList();
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static string? Mood(string answers)
    {
        using var document = JsonDocument.Parse(answers);
        return document.RootElement.TryGetProperty(BuiltInCatalogue.MoodField,
            out var mood) && mood.ValueKind == JsonValueKind.String
            ? mood.GetString()
            : null;
    }

    private static TrustRating? Rating(Guid respondent, DateOnly date, string answers)
    {
        using var document = JsonDocument.Parse(answers);
        var root = document.RootElement;
        return root.TryGetProperty("trust", out var trust) && trust.TryGetInt32(out var t) &&
               root.TryGetProperty("connection", out var connection) && connection.TryGetInt32(out var c)
            ? new TrustRating(respondent, date, t, c)
            : null;
    }

    public static DateOnly WeekStart(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    public static string MonthOf(DateOnly date) => date.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
