namespace PracticeApi.Infrastructure;

public static class OccurrenceStatuses
{
    public const string Upcoming = "upcoming";
    public const string Done = "done";
    public const string Late = "late";
    public const string Missed = "missed";
}

/// <summary>When an assignment is due: its dates follow from the cadence, start and end (or count).</summary>
public static class Schedule
{
    public const int MaxOccurrences = 400;

    public static IReadOnlyList<DateOnly> Dates(string cadence, DateOnly startsOn, DateOnly? endsOn, int? occurrences)
    {
        if (cadence == "once") return [startsOn];
        var dates = new List<DateOnly>();
        for (var i = 0; i < MaxOccurrences; i++)
        {
            var date = cadence switch
            {
                "daily" => startsOn.AddDays(i),
                "weekly" => startsOn.AddDays(7 * i),
                _ => startsOn.AddMonths(i),
            };
            if (endsOn is { } end && date > end) break;
            if (occurrences is { } count && i >= count) break;
            dates.Add(date);
        }

        return dates;
    }

    /// <summary>
    /// done: answered by the due time; late: answered after it; missed: not answered and the due time has passed;
    /// upcoming: not answered yet and not yet due.
    /// </summary>
    public static string Status(DateTime dueAt, DateTime? firstAnsweredAt, DateTime now) => firstAnsweredAt switch
    {
        { } answered when answered <= dueAt => OccurrenceStatuses.Done,
        not null => OccurrenceStatuses.Late,
        null when now > dueAt => OccurrenceStatuses.Missed,
        _ => OccurrenceStatuses.Upcoming,
    };
}
