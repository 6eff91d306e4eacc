using FluentValidation;

namespace PracticeApi.Features.SupportNetwork;

/// <param name="Relationship">family, friend, colleague, sponsor, support_group, professional or other.</param>
/// <param name="Effect">Whether the relationship supports recovery, strains it, or both.</param>
/// <param name="Expectations">What the client asks of this person.</param>
/// <param name="MayContact">Whether the practice may contact this person (the client's consent).</param>
/// <param name="Name">The person's name or a description of the group.</param>
/// <param name="Contact">How to reach them (phone or e-mail), if the practice may contact them.</param>
public sealed record SupportPersonRequest(string Name, Relationship Relationship, Effect Effect, string? Expectations,
    bool MayContact, string? Contact);

/// <summary>How a person in the support network relates to the client.</summary>
public enum Relationship { Family, Friend, Colleague, Sponsor, SupportGroup, Professional, Other }

/// <summary>What a relationship means for the client's recovery.</summary>
public enum Effect { Supports, Strains, Both }

/// <param name="Id">The person's id.</param>
/// <param name="ClientId">The client whose network it is.</param>
/// <param name="Name">The person's name or a description of the group.</param>
/// <param name="Relationship">How they relate to the client.</param>
/// <param name="Effect">supports, strains or both: what they mean for the client's recovery.</param>
/// <param name="Expectations">What the client expects of them.</param>
/// <param name="MayContact">Whether the practice may contact them.</param>
/// <param name="Contact">How to reach them.</param>
/// <param name="Version">The concurrency version; send it as If-Match to change it.</param>
/// <param name="CreatedAt">When (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record SupportPersonResponse(
    Guid Id, Guid ClientId, string Name, Relationship Relationship, Effect Effect, string? Expectations, bool MayContact, string? Contact,
    int Version, DateTime CreatedAt, DateTime UpdatedAt);

internal sealed class SupportPersonValidator : AbstractValidator<SupportPersonRequest>
{

    public SupportPersonValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Expectations).MaximumLength(2000);
        RuleFor(r => r.Contact).MaximumLength(320);
        RuleFor(r => r.Contact).Null().When(r => !r.MayContact)
            .WithMessage("keep no contact details for someone the practice may not contact.");
    }
}

internal sealed record SupportPersonRow
{
    public Guid Id { get; init; }
    public Guid ClientId { get; init; }
    public string Name { get; init; } = "";
    public string Relationship { get; init; } = "";
    public string Effect { get; init; } = "";
    public string? Expectations { get; init; }
    public bool MayContact { get; init; }
    public string? Contact { get; init; }
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public SupportPersonResponse ToResponse() => new(Id, ClientId, Name, ClosedSets.Parse<Relationship>(Relationship),
        ClosedSets.Parse<Effect>(Effect), Expectations,
        MayContact, Contact, Version, CreatedAt, UpdatedAt);
}
