using FluentValidation;

namespace PracticeApi.Features.Therapists;

/// <param name="Name">Name.</param>
/// <param name="Email">E-mail address, unique in the practice.</param>
/// <param name="Role">admin or therapist.</param>
public sealed record CreateTherapistRequest(string Name, string Email, TherapistRole Role);

/// <param name="Name">Name.</param>
/// <param name="Email">E-mail address, unique in the practice.</param>
/// <param name="Role">admin or therapist.</param>
public sealed record UpdateTherapistRequest(string Name, string Email, TherapistRole Role);


/// <param name="Id">The therapist's id.</param>
/// <param name="Name">Name.</param>
/// <param name="Email">E-mail address, unique in the practice.</param>
/// <param name="Role">admin or therapist.</param>
/// <param name="Active">False once deactivated (their tokens stop working).</param>
/// <param name="Version">The concurrency version; send it as If-Match to change it.</param>
/// <param name="CreatedAt">When (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record TherapistResponse(
    Guid Id, string Name, string Email, TherapistRole Role, bool Active, int Version, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record TherapistListQuery : IPageQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    public bool? Active { get; init; }
}

internal sealed record TherapistRow
{
    public Guid Id { get; init; }
    public Guid PracticeId { get; init; }
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
    public string Role { get; init; } = "";
    public bool IsActive { get; init; }
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public TherapistResponse ToResponse() => new(Id, Name, Email, ClosedSets.Parse<TherapistRole>(Role), IsActive,
        Version, CreatedAt, UpdatedAt);
}

internal static class TherapistRules
{
    public static void Apply<T>(AbstractValidator<T> v, Func<T, string> name, Func<T, string> email)
    {
        v.RuleFor(r => name(r)).NotEmpty().MaximumLength(200).OverridePropertyName("name");
        v.RuleFor(r => email(r)).NotEmpty().MaximumLength(320).EmailAddress().OverridePropertyName("email");
    }
}

internal sealed class CreateTherapistValidator : AbstractValidator<CreateTherapistRequest>
{
    public CreateTherapistValidator() => TherapistRules.Apply(this, r => r.Name, r => r.Email);
}

internal sealed class UpdateTherapistValidator : AbstractValidator<UpdateTherapistRequest>
{
    public UpdateTherapistValidator() => TherapistRules.Apply(this, r => r.Name, r => r.Email);
}

internal sealed class TherapistListQueryValidator : AbstractValidator<TherapistListQuery>
{
    public TherapistListQueryValidator() => this.ApplyPaging();
}
