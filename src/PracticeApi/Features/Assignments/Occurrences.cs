namespace PracticeApi.Features.Assignments;

/// <summary>
/// The due occurrences of assignments, per respondent, with their status now: computed from each schedule and the first
/// answer of each occurrence (revision 1), never stored. Shared by the assignments API and the FHIR Tasks.
/// </summary>
internal static class Occurrences
{
    private const string FirstAnswersSql = """
        SELECT Id, AssignmentId, RespondentId, OccurrenceDate, SubmittedAt FROM Responses
        WHERE PracticeId = @PracticeId AND AssignmentId IN @Ids AND Revision = 1
        """;

    private sealed record FirstAnswer
    {
        public Guid Id { get; init; }
        public Guid AssignmentId { get; init; }
        public Guid RespondentId { get; init; }
        public DateOnly OccurrenceDate { get; init; }
        public DateTime SubmittedAt { get; init; }
    }

    /// <summary>An occurrence, with its assignment and the respondent's position among the assignment's
    /// respondents.</summary>
    public sealed record Due(AssignmentRow Assignment, int RespondentIndex, OccurrenceResponse Occurrence);

    /// <param name="only">A single respondent (a client in the portal, or a FHIR patient), or null for all.</param>
    public static async Task<IReadOnlyList<Due>> OfAsync(DbSession c, Guid practiceId,
        IReadOnlyList<AssignmentRow> assignments,
        ILookup<Guid, Guid> respondents, Guid? only, PracticeCalendar calendar, CancellationToken ct)
    {
        if (assignments.Count == 0) return [];
        var answers = await c.QueryAsync<FirstAnswer>(FirstAnswersSql, new { PracticeId = practiceId,
            Ids = assignments.Select(a => a.Id).ToList() });
        var byRespondent = answers.ToDictionary(a => (a.AssignmentId, a.RespondentId, a.OccurrenceDate));
        // Held together: the first record either partner wrote answers the occurrence for both.
        var byCouple = answers.GroupBy(a => (a.AssignmentId, a.OccurrenceDate)).ToDictionary(g => g.Key,
            g => g.MinBy(a => a.SubmittedAt)!);
        var now = calendar.Now;
        var due = new List<Due>();
        foreach (var assignment in assignments)
        {
            var ordered = respondents[assignment.Id].ToList();
            var together = assignment.Respondents == CreateAssignmentValidator.Together;
            foreach (var date in assignment.Dates)
            {
                var dueAt = calendar.ToUtc(date, assignment.Due);
                for (var index = 0; index < ordered.Count; index++)
                {
                    if (only is not null && ordered[index] != only) continue;
                    var answer = together
                        ? byCouple.GetValueOrDefault((assignment.Id, date))
                        : byRespondent.GetValueOrDefault((assignment.Id, ordered[index], date));
                    due.Add(new Due(assignment, index, new OccurrenceResponse(date, dueAt, ordered[index],
                        Schedule.Status(dueAt, answer?.SubmittedAt, now), answer?.Id, answer?.SubmittedAt)));
                }
            }
        }

        return due;
    }
}
