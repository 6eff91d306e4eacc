namespace PracticeApi.Features.Measures;

/// <summary>A stored version of a measure: what scoring needs, kept as one JSON document beside its key, version and
/// name.</summary>
internal sealed record MeasureDefinition(
    string? LoincCode, string? TotalLoincCode, IReadOnlyList<MeasureItem> Items, IReadOnlyList<MeasureBand> Bands, IReadOnlyList<CriticalItem> CriticalItems)
{
    public int MaxTotal => Items.Sum(i => i.Options.Max(o => o.Value));
}

/// <summary>A score as a couple's progress and alerts read it.</summary>
internal sealed record MeasurePoint(Guid ClientId, string Key, string Name, DateTime TakenAt, int Total, string? Band,
    IReadOnlyList<CriticalAnswer> Critical);

/// <summary>The measure's score of a set of answers: every item answered with one of its options, summed, banded,
/// checked for critical answers.</summary>
internal static class MeasureScoring
{
    public sealed record Scored(int Total, string? Band, Dictionary<string, int> Subscales,
        List<CriticalAnswer> Critical);

    public static Outcome<Scored> Score(MeasureDefinition definition, IReadOnlyDictionary<string, string> answers)
    {
        if (answers.Keys.FirstOrDefault(k => definition.Items.All(i => i.LinkId != k)) is { } unknown)
        {
            return Failure.Invalid("answers", $"answers names {unknown}, which is not an item of this measure.");
        }

        var values = new Dictionary<string, int>();
        foreach (var item in definition.Items)
        {
            if (!answers.TryGetValue(item.LinkId, out var code)) return Failure.Invalid("answers",
                $"answers has nothing for {item.LinkId}: every item is answered.");
            if (item.Options.FirstOrDefault(o => o.Code == code) is not { } option)
            {
                return Failure.Invalid("answers",
                    $"{code} is not an option of {item.LinkId} (options: {string.Join(", ", item.Options.Select(o => o.Code))}).");
            }

            values[item.LinkId] = option.Value;
        }

        var total = values.Values.Sum();
        var subscales = definition.Items.Where(i => i.Subscale is not null).GroupBy(i => i.Subscale!)
            .ToDictionary(g => g.Key, g => g.Sum(i => values[i.LinkId]));
        var critical = definition.CriticalItems.Where(c => values[c.LinkId] >= c.MinValue)
            .Select(c => new CriticalAnswer(c.LinkId, values[c.LinkId], c.Alert)).ToList();
        return new Scored(total, definition.Bands.FirstOrDefault(b => total >= b.Min && total <= b.Max)?.Label,
            subscales, critical);
    }
}
