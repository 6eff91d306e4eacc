using System.Text.Json.Nodes;
using FluentValidation;

namespace PracticeApi.Features.Measures;

/// <summary>An answer option and what it counts for.</summary>
/// <param name="Code">The option's code, what a response sends.</param>
/// <param name="Text">The option as the client reads it.</param>
/// <param name="Value">What the option adds to the total (0 to 100).</param>
public sealed record MeasureOption(string Code, string Text, int Value);

/// <summary>One question of a measure.</summary>
/// <param name="LinkId">The item's id, unique in the measure (1 to 60 characters).</param>
/// <param name="Text">The question as the client reads it.</param>
/// <param name="Options">The answer options, 2 to 20, codes unique.</param>
/// <param name="Subscale">The subscale the item counts toward, if the measure has subscales.</param>
public sealed record MeasureItem(string LinkId, string Text, IReadOnlyList<MeasureOption> Options, string? Subscale);

/// <summary>A severity band of the total.</summary>
/// <param name="Min">The lowest total in the band.</param>
/// <param name="Max">The highest total in the band.</param>
/// <param name="Label">The band's name (e.g. mild).</param>
public sealed record MeasureBand(int Min, int Max, string Label);

/// <summary>An item whose answer raises an alert for the care team at once.</summary>
/// <param name="LinkId">The item.</param>
/// <param name="MinValue">The lowest answer value that raises it.</param>
/// <param name="Alert">What the alert says to the care team.</param>
public sealed record CriticalItem(string LinkId, int MinValue, string Alert);

/// <summary>A measure written in the API's own form; a key already in use makes the next version.</summary>
/// <param name="Key">The measure's key (lowercase letters, digits and underscores, 2 to 60): versions share it.</param>
/// <param name="Name">The measure's name.</param>
/// <param name="LoincCode">The LOINC code of the instrument (its panel), if it has one.</param>
/// <param name="TotalLoincCode">The LOINC code of its total score, if it has one.</param>
/// <param name="Items">The items, 1 to 100, each scored by the answer's value; the total is their sum.</param>
/// <param name="Bands">Severity bands of the total, not overlapping; may be empty.</param>
/// <param name="CriticalItems">Items whose answer raises an alert at once; may be empty.</param>
public sealed record MeasureDefinitionRequest(
    string Key, string Name, string? LoincCode, string? TotalLoincCode, IReadOnlyList<MeasureItem> Items, IReadOnlyList<MeasureBand> Bands,
    IReadOnlyList<CriticalItem> CriticalItems);

/// <summary>A measure imported from a FHIR R4 Questionnaire, as instruments are distributed, with the scoring it does
/// not carry.</summary>
/// <param name="Key">The measure's key (lowercase letters, digits and underscores): versions share it.</param>
/// <param name="Questionnaire">The Questionnaire: its title, its code (LOINC), and choice items whose answerOptions
/// carry a valueCoding and an ordinalValue (or itemWeight) extension with the option's value; groups are
/// flattened.</param>
/// <param name="TotalLoincCode">The LOINC code of the total score, if it has one.</param>
/// <param name="Bands">Severity bands of the total.</param>
/// <param name="CriticalItems">Items whose answer raises an alert at once.</param>
public sealed record MeasureImportRequest(string Key, JsonObject Questionnaire, string? TotalLoincCode,
    IReadOnlyList<MeasureBand> Bands, IReadOnlyList<CriticalItem> CriticalItems);

/// <summary>A version of a measure.</summary>
/// <param name="Id">This version's id, what a score names.</param>
/// <param name="Key">The measure's key.</param>
/// <param name="Version">The version, from 1.</param>
/// <param name="Name">The measure's name.</param>
/// <param name="LoincCode">The instrument's LOINC code.</param>
/// <param name="TotalLoincCode">The total score's LOINC code.</param>
/// <param name="Items">The items.</param>
/// <param name="Bands">The severity bands.</param>
/// <param name="CriticalItems">The critical items.</param>
/// <param name="MaxTotal">The highest total possible.</param>
/// <param name="CreatedAt">When this version was made (UTC).</param>
public sealed record MeasureResponse(
    Guid Id, string Key, int Version, string Name, string? LoincCode, string? TotalLoincCode, IReadOnlyList<MeasureItem> Items, IReadOnlyList<MeasureBand> Bands,
    IReadOnlyList<CriticalItem> CriticalItems, int MaxTotal, DateTime CreatedAt);

/// <summary>A measure taken: the option code chosen for every item.</summary>
/// <param name="MeasureId">The version of the measure taken.</param>
/// <param name="Answers">An object of item linkId to the chosen option's code; every item is answered.</param>
/// <param name="TakenAt">When it was taken (UTC); left out, now. Not in the future.</param>
/// <param name="AssignmentId">The measure assignment this answers, if it was assigned; one score per
/// occurrence.</param>
/// <param name="OccurrenceDate">Which occurrence of the assignment (yyyy-MM-dd); left out, the latest that has
/// begun.</param>
public sealed record RecordScoreRequest(Guid MeasureId, IReadOnlyDictionary<string, string> Answers, DateTime? TakenAt,
    Guid? AssignmentId, DateOnly? OccurrenceDate);

/// <summary>A critical answer and the alert it raised.</summary>
/// <param name="LinkId">The item.</param>
/// <param name="Value">The answer's value.</param>
/// <param name="Alert">What the alert says.</param>
public sealed record CriticalAnswer(string LinkId, int Value, string Alert);

/// <summary>A measure taken and scored.</summary>
/// <param name="Id">The score's id.</param>
/// <param name="ClientId">Who took it.</param>
/// <param name="MeasureId">The version taken.</param>
/// <param name="Key">The measure's key.</param>
/// <param name="Version">The version's number.</param>
/// <param name="Total">The total: the sum of the answers' values.</param>
/// <param name="Band">The severity band of the total, if the measure has bands.</param>
/// <param name="Subscales">Each subscale's sum.</param>
/// <param name="Critical">The critical answers, each of which raised an alert.</param>
/// <param name="Answers">The option code chosen per item.</param>
/// <param name="TakenAt">When it was taken (UTC).</param>
/// <param name="RecordedVia">portal (the client) or staff (in session).</param>
/// <param name="AssignmentId">The measure assignment it answers, if any.</param>
/// <param name="OccurrenceDate">The occurrence of that assignment.</param>
public sealed record ScoreResponse(
    Guid Id, Guid ClientId, Guid MeasureId, string Key, int Version, int Total, string? Band, IReadOnlyDictionary<string, int> Subscales,
    IReadOnlyList<CriticalAnswer> Critical, IReadOnlyDictionary<string, string> Answers, DateTime TakenAt, RecordedVia RecordedVia,
    Guid? AssignmentId,
    DateOnly? OccurrenceDate);

/// <summary>One instrument's scores of a client over time.</summary>
/// <param name="Key">The measure's key.</param>
/// <param name="Name">Its name (of the latest version taken).</param>
/// <param name="Scores">The scores, oldest first.</param>
public sealed record MeasureTrend(string Key, string Name, IReadOnlyList<ScoreResponse> Scores);

internal sealed class MeasureDefinitionValidator : AbstractValidator<MeasureDefinitionRequest>
{
    public MeasureDefinitionValidator() => Include(new MeasureRules<MeasureDefinitionRequest>(r => r.Key, r => r.Items,
        r => r.Bands, r => r.CriticalItems));
}

/// <summary>The rules every definition keeps, however it came in (written or imported).</summary>
internal sealed class MeasureRules<T> : AbstractValidator<T>
{
    public MeasureRules(Func<T, string> key, Func<T, IReadOnlyList<MeasureItem>?> items, Func<T,
        IReadOnlyList<MeasureBand>?> bands, Func<T, IReadOnlyList<CriticalItem>?> critical)
    {
        RuleFor(r => key(r)).NotEmpty().Matches("^[a-z0-9_]{2,60}$").OverridePropertyName("key")
            .WithMessage("key is 2 to 60 lowercase letters, digits and underscores.");
        RuleFor(r => items(r)).Must(i => i is { Count: >= 1 and <= 100 }).OverridePropertyName("items")
            .WithMessage("items holds 1 to 100 items.");
        RuleFor(r => items(r)).Must(i => i is null || i.Select(x => x.LinkId).Distinct().Count() == i.Count)
            .OverridePropertyName("items")
            .WithMessage("every item's linkId is unique.");
        RuleForEach(r => items(r)).Must(i => i.LinkId is { Length: >= 1 and <= 60 }
            && !string.IsNullOrWhiteSpace(i.Text)
            && i.Options is { Count: >= 2 and <= 20 } && i.Options.Select(o => o.Code).Distinct()
                .Count() == i.Options.Count
            && i.Options.All(o => !string.IsNullOrWhiteSpace(o.Code) && !string.IsNullOrWhiteSpace(o.Text)
                && o.Value is >= 0 and <= 100))
            .OverridePropertyName("items")
            .WithMessage("each item has a linkId, a text and 2 to 20 options with unique codes, a text and a value from 0 to 100.");
        RuleFor(r => bands(r)).NotNull().OverridePropertyName("bands")
            .WithMessage("bands is required (it may be empty).");
        RuleFor(r => bands(r)).Must(b => b is null || b.All(x => x.Min <= x.Max
            && !string.IsNullOrWhiteSpace(x.Label)) &&
                b.OrderBy(x => x.Min).Zip(b.OrderBy(x => x.Min).Skip(1)).All(p => p.First.Max < p.Second.Min))
            .OverridePropertyName("bands")
            .WithMessage("each band has min at most max and a label, and bands do not overlap.");
        RuleFor(r => critical(r)).NotNull().OverridePropertyName("criticalItems")
            .WithMessage("criticalItems is required (it may be empty).");
        RuleFor(r => critical(r)).Must((r, list) => (list ?? []).All(c => (items(r) ?? [])
            .Any(i => i.LinkId == c.LinkId) && !string.IsNullOrWhiteSpace(c.Alert)))
            .OverridePropertyName("criticalItems")
            .WithMessage("each critical item names an item of the measure and says its alert.");
    }
}

internal sealed class MeasureImportValidator : AbstractValidator<MeasureImportRequest>
{
    public MeasureImportValidator()
    {
        RuleFor(r => r.Questionnaire).NotNull().Must(q => q?["resourceType"]?.GetValue<string>() == "Questionnaire")
            .WithMessage("questionnaire is a FHIR R4 Questionnaire resource.");
        RuleFor(r => r.Key).NotEmpty().Matches("^[a-z0-9_]{2,60}$")
            .WithMessage("key is 2 to 60 lowercase letters, digits and underscores.");
        RuleFor(r => r.Bands).NotNull().WithMessage("bands is required (it may be empty).");
        RuleFor(r => r.CriticalItems).NotNull().WithMessage("criticalItems is required (it may be empty).");
    }
}

internal sealed class RecordScoreValidator : AbstractValidator<RecordScoreRequest>
{
    public RecordScoreValidator()
    {
        RuleFor(r => r.MeasureId).NotEmpty();
        RuleFor(r => r.Answers).NotNull().WithMessage("answers is required: the option code chosen for every item.");
        RuleFor(r => r.OccurrenceDate).Null().When(r => r.AssignmentId is null)
            .WithMessage("occurrenceDate belongs with an assignmentId.");
    }
}

/// <summary>Who recorded a score: the client in the portal, or staff in a session.</summary>
public enum RecordedVia { Portal, Staff }
