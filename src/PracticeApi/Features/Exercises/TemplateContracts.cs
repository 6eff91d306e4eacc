using FluentValidation;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Couples;

namespace PracticeApi.Features.Exercises;

/// <param name="Key">The template's key (lower case, digits, underscores), unique in the practice.</param>
/// <param name="Title">The title in English and Dutch.</param>
/// <param name="Instructions">The instructions in English and Dutch.</param>
/// <param name="Audience">Who the exercise is for: individual, couple_each_partner, couple_joint, role_breaching or
/// role_hurt.</param>
/// <param name="DefaultCadence">once, daily, weekly or monthly.</param>
/// <param name="EstimatedMinutes">About how long it takes (1–240).</param>
/// <param name="Steps">The repair steps (1–7) the exercise fits.</param>
/// <param name="Conjoint">True when the partners do it together.</param>
/// <param name="Fields">The questions an answer fills (at least one).</param>
public sealed record TemplateRequest(
    string Key, LocalizedText Title, LocalizedText Instructions, Audience Audience, Cadence DefaultCadence, int EstimatedMinutes,
    IReadOnlyList<int> Steps, bool Conjoint, IReadOnlyList<FieldDefinition> Fields);

/// <param name="Title">The title in English and Dutch.</param>
/// <param name="Instructions">The instructions in English and Dutch.</param>
public sealed record TemplateTranslations(LocalizedText Title, LocalizedText Instructions);

/// <summary>A template version; title and instructions in the requested language, both languages under
/// translations.</summary>
/// <param name="Id">The template version's id.</param>
/// <param name="Key">The template's key, stable across versions.</param>
/// <param name="Version">This version's number.</param>
/// <param name="CurrentVersion">The newest version of the template.</param>
/// <param name="BuiltIn">True for the product's own catalogue; false for the practice's own.</param>
/// <param name="Language">The language of title and instructions here: ?language=, else Accept-Language (nl or en),
/// else a portal client's own.</param>
/// <param name="Title">The title in that language.</param>
/// <param name="Instructions">The instructions in that language.</param>
/// <param name="Audience">Who the exercise is for: individual, couple_each_partner, couple_joint, role_breaching or
/// role_hurt.</param>
/// <param name="DefaultCadence">The cadence an assignment takes unless it sets one.</param>
/// <param name="EstimatedMinutes">About how long it takes.</param>
/// <param name="Steps">The repair steps (1–7) the exercise fits.</param>
/// <param name="Conjoint">True when the partners do it together (held while the couple is on safety hold).</param>
/// <param name="Fields">The questions an answer fills.</param>
/// <param name="Translations">Title and instructions in both languages.</param>
/// <param name="CreatedAt">When this version was created (UTC).</param>
public sealed record TemplateResponse(
    Guid Id, string Key, int Version, int CurrentVersion, bool BuiltIn, Language Language, string Title, string Instructions, Audience Audience,
    Cadence DefaultCadence, int EstimatedMinutes, IReadOnlyList<int> Steps, bool Conjoint, IReadOnlyList<FieldDefinition> Fields,
    TemplateTranslations Translations, DateTime CreatedAt);

public sealed record TemplateListQuery : IPageQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    public OneOf<Audience>? Audience { get; init; }
    public int? Step { get; init; }

    /// <summary>The language to answer in (nl or en); left out, Accept-Language decides.</summary>
    public OneOf<Language>? Language { get; init; }
}

public sealed record TemplateQuery
{
    public int? Version { get; init; }

    /// <summary>The language to answer in (nl or en); left out, Accept-Language decides.</summary>
    public OneOf<Language>? Language { get; init; }
}

internal sealed record TemplateRow : VersionedRow
{
    public string InstructionsEn { get; init; } = "";
    public string InstructionsNl { get; init; } = "";
    public string Audience { get; init; } = "";
    public string Cadence { get; init; } = "";
    public int EstimatedMinutes { get; init; }
    public string Steps { get; init; } = "";
    public bool Conjoint { get; init; }
    public string Fields { get; init; } = "[]";
    public DateTime CreatedAt { get; init; }

    public IReadOnlyList<FieldDefinition> FieldList => StoredJson.Read<List<FieldDefinition>>(Fields);

    public TemplateResponse ToResponse(string? language)
    {
        var nl = language == "nl";
        return new TemplateResponse(Id, Key, Version, CurrentVersion, IsBuiltIn, nl ? Language.Nl : Language.En,
            nl ? TitleNl : TitleEn,
            nl ? InstructionsNl : InstructionsEn, ClosedSets.Parse<Audience>(Audience), ClosedSets.Parse<Cadence>(
                Cadence), EstimatedMinutes, TemplateSteps.Parse(Steps), Conjoint, FieldList,
            new TemplateTranslations(new LocalizedText(TitleEn, TitleNl), new LocalizedText(InstructionsEn,
                InstructionsNl)), CreatedAt);
    }
}

/// <summary>Steps are stored as ",1,4," so that one LIKE finds a step.</summary>
internal static class TemplateSteps
{
    public static string Write(IEnumerable<int> steps) => "," + string.Join(",", steps.Distinct().Order()) + ",";

    public static IReadOnlyList<int> Parse(string steps) =>
        steps.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();

    public static string Pattern(int step) => $"%,{step},%";
}

/// <summary>Who an exercise is for: one client, each partner of a couple, the couple together, or the partner in one
/// role.</summary>
public enum Audience { Individual, CoupleEachPartner, CoupleJoint, RoleBreaching, RoleHurt }

internal sealed class TemplateRequestValidator : AbstractValidator<TemplateRequest>
{
    public TemplateRequestValidator()
    {
        RuleFor(r => r.Key).Must(k => k is not null && FieldTypes.KeyPattern().IsMatch(k))
            .WithMessage("key must be lower-case letters, digits and underscores, starting with a letter.");
        RuleFor(r => r.Title).NotNull().Must(t => t is null || (!string.IsNullOrWhiteSpace(t.En)
            && !string.IsNullOrWhiteSpace(t.Nl) && t.En.Length <= 200 && t.Nl.Length <= 200))
            .WithMessage("title needs en and nl text of at most 200 characters.");
        RuleFor(r => r.Instructions).NotNull().Must(t => t is null || (!string.IsNullOrWhiteSpace(t.En)
            && !string.IsNullOrWhiteSpace(t.Nl) && t.En.Length <= 4000 && t.Nl.Length <= 4000))
            .WithMessage("instructions need en and nl text of at most 4000 characters.");
        RuleFor(r => r.EstimatedMinutes).InclusiveBetween(1, 240);
        RuleFor(r => r.Steps).NotEmpty().Must(s => s is null || s.All(x => x is >= 1 and <= 7))
            .WithMessage("steps are repair steps 1 to 7.");
        FieldRules.Definitions(this, r => r.Fields);
    }
}

internal sealed class TemplateListQueryValidator : AbstractValidator<TemplateListQuery>
{
    public TemplateListQueryValidator()
    {
        this.ApplyPaging();
        RuleFor(q => q.Step).InclusiveBetween(1, 7);
    }
}

internal sealed class TemplateQueryValidator : AbstractValidator<TemplateQuery>
{
    public TemplateQueryValidator()
    {
        RuleFor(q => q.Version).GreaterThan(0);
    }
}
