using FluentValidation;
using PracticeApi.Features.Assignments;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Exercises;

namespace PracticeApi.Features.Programs;

/// <summary>When an item of a program becomes an assignment.</summary>
/// <param name="On">start (the enrolment's start), step (the couple reaches a repair step) or released (the therapist
/// released an earlier item's answer).</param>
/// <param name="Step">For step: the repair step, 1–7.</param>
/// <param name="Item">For released: the key of an earlier item.</param>
/// <param name="OffsetDays">Days after that moment, 0–365.</param>
public sealed record ProgramTrigger(
    StartOn On, int? Step,
    [property: System.ComponentModel.Description("For released: the key of an earlier item.")] string? Item,
    int OffsetDays);

/// <summary>One exercise of a program and when it starts.</summary>
/// <param name="Key">Names the item within the program (lower case, digits, underscores).</param>
/// <param name="TemplateId">A built-in template or one of the practice's own; the assignment takes its current
/// version.</param>
/// <param name="Respondents">both, together, breaching, hurt, in_recovery or partner; left out, the template's audience
/// decides.</param>
/// <param name="Cadence">Overrides the template's cadence.</param>
/// <param name="Occurrences">How many occurrences (for example 30 daily check-ins); left out, the cadence's
/// default.</param>
/// <param name="Visibility">private, shared, mutual_reveal or therapist_release (default private).</param>
/// <param name="Note">A note for the couple on the assignment.</param>
/// <param name="Start">When the item starts.</param>
public sealed record ProgramItem(
    string Key, Guid TemplateId, string? Respondents, Cadence? Cadence, int? Occurrences, Visibility? Visibility, string? Note, ProgramTrigger Start);

/// <param name="Key">The program's key (lower case, digits, underscores), unique in the practice.</param>
/// <param name="Title">The title in English and Dutch.</param>
/// <param name="Description">What the program is for, in English and Dutch.</param>
/// <param name="Items">The exercises and when each starts (at least one).</param>
public sealed record ProgramRequest(string Key, LocalizedText Title, LocalizedText Description,
    IReadOnlyList<ProgramItem> Items);

public sealed record ProgramDefinition(string Key, int Version, LocalizedText Title, LocalizedText Description,
    IReadOnlyList<ProgramItem> Items);

/// <param name="Id">The program version's id.</param>
/// <param name="Key">The program's key, stable across versions.</param>
/// <param name="Version">This version's number.</param>
/// <param name="CurrentVersion">The newest version of the program.</param>
/// <param name="BuiltIn">True for the product's own programs; false for the practice's own.</param>
/// <param name="Title">The title in English and Dutch.</param>
/// <param name="Description">What the program is for, in English and Dutch.</param>
/// <param name="Items">The exercises it hands out and when.</param>
/// <param name="CreatedAt">When this version was created (UTC).</param>
public sealed record ProgramResponse(
    Guid Id, string Key, int Version, int CurrentVersion, bool BuiltIn, LocalizedText Title, LocalizedText Description,
    IReadOnlyList<ProgramItem> Items, DateTime CreatedAt);

public sealed record ProgramQuery(int? Version);

/// <param name="ProgramId">The program to follow; its current version is kept for the whole enrolment.</param>
/// <param name="StartsOn">The start (yyyy-MM-dd, today or later; default today): items that start "at the start" wait
/// for it.</param>
public sealed record EnrolRequest(Guid ProgramId, DateOnly? StartsOn);

/// <summary>One item of an enrolment.</summary>
/// <param name="State">waiting (its moment has not come), due (it has, but the assignment could not be made yet: see
/// reason) or assigned.</param>
/// <param name="DueOn">The day it became or becomes due, when known.</param>
/// <param name="Reason">Why a due item is not assigned yet (for example the couple's safety hold).</param>
/// <param name="Key">The item's key in the program.</param>
/// <param name="TemplateId">The exercise template.</param>
/// <param name="AssignmentId">The assignment made for it, once assigned.</param>
public sealed record EnrolmentItem(string Key, Guid TemplateId, ProgramItemState State, DateOnly? DueOn,
    Guid? AssignmentId, string? Reason);

/// <param name="Id">The enrolment's id.</param>
/// <param name="CoupleId">The couple following the program.</param>
/// <param name="ProgramId">The program version followed.</param>
/// <param name="ProgramVersion">That version's number.</param>
/// <param name="Title">The program's title in English and Dutch.</param>
/// <param name="Status">active, completed or stopped.</param>
/// <param name="StartedOn">The day the couple started the program.</param>
/// <param name="CreatedAt">When the couple was enrolled (UTC).</param>
/// <param name="EndedAt">When the enrolment completed or ended (UTC).</param>
/// <param name="Items">Each item of the program and where it stands.</param>
public sealed record EnrolmentResponse(
    Guid Id, Guid CoupleId, Guid ProgramId, int ProgramVersion, LocalizedText Title, EnrolmentStatus Status,
    DateOnly StartedOn, DateTime CreatedAt,
    DateTime? EndedAt, IReadOnlyList<EnrolmentItem> Items);

/// <summary>What starts a program's item: the enrolment, the couple reaching a repair step, or the release of an
/// earlier item.</summary>
public enum StartOn { Start, Step, Released }

internal sealed class ProgramRequestValidator : AbstractValidator<ProgramRequest>
{
    public ProgramRequestValidator()
    {
        RuleFor(r => r.Key).Must(k => k is not null && k.Length <= 100 && FieldTypes.KeyPattern().IsMatch(k))
            .WithMessage("key must be lower-case letters, digits and underscores, starting with a letter.");
        RuleFor(r => r.Title).NotNull().Must(t => t is null || (!string.IsNullOrWhiteSpace(t.En)
            && !string.IsNullOrWhiteSpace(t.Nl) && t.En.Length <= 200 && t.Nl.Length <= 200))
            .WithMessage("title needs en and nl text of at most 200 characters.");
        RuleFor(r => r.Description).NotNull().Must(t => t is null || (!string.IsNullOrWhiteSpace(t.En)
            && !string.IsNullOrWhiteSpace(t.Nl) && t.En.Length <= 4000 && t.Nl.Length <= 4000))
            .WithMessage("description needs en and nl text of at most 4000 characters.");
        RuleFor(r => r.Items).NotNull().Must(i => i is null || i.Count is >= 1 and <= 30)
            .WithMessage("items must hold 1 to 30 exercises.");
        RuleFor(r => r.Items).Must(i => i is null || i.Where(x => x is not null).Select(x => x.Key).Distinct()
            .Count() == i.Count)
            .WithMessage("each item needs a key of its own.");
        RuleForEach(r => r.Items).NotNull().WithMessage("items cannot hold null.").ChildRules(item =>
        {
            item.RuleFor(i => i.Key).Must(k => k is not null && k.Length <= 100 && FieldTypes.KeyPattern().IsMatch(k))
                .WithMessage(
                    "an item's key must be lower-case letters, digits and underscores, starting with a letter.");
            item.RuleFor(i => i.TemplateId).NotEmpty().WithMessage("templateId is required.");
            item.RuleFor(i => i.Respondents).Must(r => r is null
                || CreateAssignmentValidator.RespondentWords.Contains(r))
                .WithMessage(
                    $"respondents must be one of: {string.Join(", ", CreateAssignmentValidator.RespondentWords)}.");
            item.RuleFor(i => i.Occurrences).InclusiveBetween(1, 366).When(i => i.Occurrences is not null)
                .WithMessage("occurrences must be between 1 and 366.");
            item.RuleFor(i => i.Note).MaximumLength(2000);
            item.RuleFor(i => i.Start).NotNull().WithMessage("start is required.");
            item.RuleFor(i => i.Start.Step).Must(s => s is >= 1 and <= 7).When(i => i.Start?.On == StartOn.Step)
                .WithMessage("start.step must be a repair step, 1 to 7.");
            item.RuleFor(i => i.Start.Item).NotEmpty().When(i => i.Start?.On == StartOn.Released)
                .WithMessage("start.item names the earlier item whose released answer starts this one.");
            item.RuleFor(i => i.Start.OffsetDays).InclusiveBetween(0, 365).When(i => i.Start is not null)
                .WithMessage("start.offsetDays must be between 0 and 365.");
        });
        RuleFor(r => r.Items).Must(ReleasedNamesAnEarlierItem).When(r => r.Items is not null
            && r.Items.All(i => i?.Start is not null))
            .WithMessage("start.item must name an item listed before this one.");
    }

    private static bool ReleasedNamesAnEarlierItem(IReadOnlyList<ProgramItem> items) =>
        items.Select((item, index) => (item, index)).All(x => x.item.Start.On != StartOn.Released ||
                                                               items.Take(x.index)
                                                                   .Any(e => e.Key == x.item.Start.Item));
}

internal sealed class EnrolRequestValidator : AbstractValidator<EnrolRequest>
{
    public EnrolRequestValidator(PracticeCalendar calendar)
    {
        RuleFor(r => r.ProgramId).NotEmpty().WithMessage("programId is required.");
        RuleFor(r => r.StartsOn).Must(d => d is null || d >= calendar.Today.AddDays(-1))
            .WithMessage("startsOn cannot be in the past.");
    }
}

internal sealed class ProgramQueryValidator : AbstractValidator<ProgramQuery>
{
    public ProgramQueryValidator() => RuleFor(q => q.Version).InclusiveBetween(1,
        100000).When(q => q.Version is not null);
}

/// <summary>Where an enrolment stands: running, completed (every item assigned) or stopped.</summary>
public enum EnrolmentStatus { Active, Completed, Stopped }

/// <summary>Where a program item stands: assigned, waiting for its moment, or due but not assigned yet.</summary>
public enum ProgramItemState { Assigned, Waiting, Due }
