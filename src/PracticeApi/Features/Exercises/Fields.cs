using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using PracticeApi.Features.Couples;

namespace PracticeApi.Features.Exercises;

/// <param name="Value">The value stored in an answer.</param>
/// <param name="Label">The choice as shown, in English and Dutch.</param>
public sealed record FieldOption(string Value, LocalizedText Label);

/// <param name="Key">The column's key in each answered row.</param>
/// <param name="Label">The column heading in English and Dutch.</param>
public sealed record TableColumn(string Key, LocalizedText Label);

/// <summary>One field of an exercise: what a valid answer looks like.</summary>
/// <param name="Key">The field's key in an answer (lower case, digits, underscores).</param>
/// <param name="Type">text, long_text, choice, multi_choice, scale, boolean, date or table.</param>
/// <param name="Label">The question in English and Dutch.</param>
/// <param name="Required">Whether an answer must fill it.</param>
/// <param name="Options">The choices of a choice or multi_choice field.</param>
/// <param name="Min">The lowest value of a scale or number field.</param>
/// <param name="Max">The highest value of a scale or number field.</param>
/// <param name="Columns">The columns of a table field.</param>
public sealed record FieldDefinition(
    string Key, FieldType Type, LocalizedText Label, bool Required,
    IReadOnlyList<FieldOption>? Options = null, int? Min = null, int? Max = null, IReadOnlyList<TableColumn>? Columns = null);

/// <summary>What a field of an exercise asks for.</summary>
public enum FieldType { Text, LongText, Choice, MultiChoice, Scale, Boolean, Date, Table }

public static partial class FieldTypes
{

    public const int TextLimit = 2_000;
    public const int LongTextLimit = 20_000;
    public const int TableRowLimit = 50;

    [GeneratedRegex("^[a-z][a-z0-9_]{0,49}$")]
    public static partial Regex KeyPattern();
}

/// <summary>Checks field definitions (for templates) and answers (for responses).</summary>
internal static class FieldRules
{
    public static void Definitions<T>(AbstractValidator<T> v, Func<T, IReadOnlyList<FieldDefinition>?> fields)
    {
        v.RuleFor(r => fields(r)).NotEmpty().WithMessage("an exercise needs at least one field.")
            .Must(f => f is null || f.Count <= 40).WithMessage("at most 40 fields.")
            .Must(f => f is null || f.Where(x => x is not null).Select(x => x.Key).Distinct().Count() == f.Count)
            .WithMessage("field keys must be unique.").OverridePropertyName("fields");
        v.RuleForEach(r => fields(r)).ChildRules(f =>
        {
            f.RuleFor(x => x.Key).Must(k => k is not null && FieldTypes.KeyPattern().IsMatch(k))
                .WithMessage("key must be lower-case letters, digits and underscores, starting with a letter.");
            f.RuleFor(x => x.Label).NotNull().Must(l => l is null || (!string.IsNullOrWhiteSpace(l.En)
                && !string.IsNullOrWhiteSpace(l.Nl)))
                .WithMessage("label needs en and nl text.");
            f.When(x => x.Type is FieldType.Choice or FieldType.MultiChoice, () =>
                f.RuleFor(x => x.Options).Must(o => o is { Count: >= 2 } && o.Select(x => x.Value).Distinct()
                    .Count() == o.Count &&
                                                    o.All(x => !string.IsNullOrWhiteSpace(x.Value)
                                                        && x.Label is not null))
                    .WithMessage("a choice needs at least two options with distinct values and labels."));
            f.When(x => x.Type is not (FieldType.Choice or FieldType.MultiChoice), () =>
                f.RuleFor(x => x.Options).Null().WithMessage("only choice fields have options."));
            f.When(x => x.Type == FieldType.Scale, () =>
            {
                f.RuleFor(x => x.Min).NotNull().WithMessage("a scale needs min and max.");
                f.RuleFor(x => x.Max).NotNull().WithMessage("a scale needs min and max.")
                    .GreaterThan(x => x.Min).When(x => x.Min is not null)
                    .WithMessage("a scale's max must be greater than its min.");
            });
            f.When(x => x.Type == FieldType.Table, () =>
                f.RuleFor(x => x.Columns).Must(c => c is { Count: > 0 and <= 10 } && c.Select(x => x.Key).Distinct()
                    .Count() == c.Count &&
                                                    c.All(x => x.Key is not null && FieldTypes.KeyPattern()
                                                        .IsMatch(x.Key) && x.Label is not null))
                    .WithMessage("a table needs 1 to 10 columns with unique keys and labels."));
            f.When(x => x.Type != FieldType.Table, () => f.RuleFor(x => x.Columns).Null()
                .WithMessage("only table fields have columns."));
        }).OverridePropertyName("fields");
    }

    /// <summary>Every problem with the answers, keyed "answers.&lt;field&gt;"; empty when they are valid.</summary>
    public static Dictionary<string, string[]> Check(IReadOnlyList<FieldDefinition> fields, JsonElement answers)
    {
        var errors = new Dictionary<string, string[]>();
        if (answers.ValueKind != JsonValueKind.Object)
        {
            errors["answers"] = ["answers must be an object keyed by field."];
            return errors;
        }

        var byKey = fields.ToDictionary(f => f.Key);
        foreach (var property in answers.EnumerateObject())
        {
            if (!byKey.TryGetValue(property.Name, out var field))
            {
                errors[$"answers.{property.Name}"] = [$"'{property.Name}' is not a field of this exercise."];
            }
            else if (property.Value.ValueKind != JsonValueKind.Null && CheckValue(field, property.Value) is { } problem)
            {
                errors[$"answers.{property.Name}"] = [problem];
            }
        }

        foreach (var field in fields.Where(f => f.Required))
        {
            if (!answers.TryGetProperty(field.Key, out var value) || value.ValueKind == JsonValueKind.Null ||
                (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString())) ||
                (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0))
            {
                errors[$"answers.{field.Key}"] = [$"'{field.Key}' is required."];
            }
        }

        return errors;
    }

    [MessageSource]
    private static string? CheckValue(FieldDefinition field, JsonElement value)
    {
        switch (field.Type)
        {
            case FieldType.Text or FieldType.LongText:
                var limit = field.Type == FieldType.Text ? FieldTypes.TextLimit : FieldTypes.LongTextLimit;
                if (value.ValueKind != JsonValueKind.String) return "must be text.";
                return value.GetString()!.Length > limit ? $"must be at most {limit} characters." : null;
            case FieldType.Choice:
                if (value.ValueKind != JsonValueKind.String) return "must be one of the options, as text.";
                return field.Options!.Any(o => o.Value == value.GetString()) ? null : UnknownChoice(field,
                    value.GetString());
            case FieldType.MultiChoice:
                if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray()
                    .Any(v => v.ValueKind != JsonValueKind.String))
                {
                    return "must be a list of options.";
                }

                var chosen = value.EnumerateArray().Select(v => v.GetString()!).ToList();
                if (chosen.Distinct().Count() != chosen.Count) return "must not repeat an option.";
                return chosen.FirstOrDefault(c => field.Options!.All(o => o.Value != c)) is { } unknown
                    ? UnknownChoice(field, unknown) : null;
            case FieldType.Scale:
                if (value.ValueKind != JsonValueKind.Number
                    || !value.TryGetInt32(out var number)) return "must be a whole number.";
                return number < field.Min || number > field.Max
                    ? $"must be between {field.Min} and {field.Max}." : null;
            case FieldType.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "must be true or false.";
            case FieldType.Date:
                return value.ValueKind == JsonValueKind.String &&
                       DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture,
                           DateTimeStyles.None, out _)
                    ? null
                    : "must be a date written yyyy-MM-dd.";
            case FieldType.Table:
                if (value.ValueKind != JsonValueKind.Array) return "must be a list of rows.";
                if (value.GetArrayLength() > FieldTypes.TableRowLimit) return $"must have at most {FieldTypes.TableRowLimit} rows.";
                var columns = field.Columns!.Select(c => c.Key).ToHashSet();
                foreach (var row in value.EnumerateArray())
                {
                    if (row.ValueKind != JsonValueKind.Object) return "each row must be an object keyed by column.";
                    foreach (var cell in row.EnumerateObject())
                    {
                        if (!columns.Contains(
                            cell.Name)) return $"'{cell.Name}' is not a column ({string.Join(", ", columns)}).";
                        if (cell.Value.ValueKind != JsonValueKind.String
                            || cell.Value.GetString()!.Length > FieldTypes.TextLimit)
                        {
                            return $"column '{cell.Name}' must be text of at most {FieldTypes.TextLimit} characters.";
                        }
                    }
                }

                return null;
            default:
                return "has an unknown type.";
        }
    }

    private static string UnknownChoice(FieldDefinition field, string? value) =>
        $"'{value}' is not an option ({string.Join(", ", field.Options!.Select(o => o.Value))}).";
}
