using FluentValidation;

namespace PracticeApi.Features.Clients;

/// <summary>An identifier search token: a system and value, or (System null) a value in any system.</summary>
/// <summary>A FHIR token search on identifiers: a system (null: any), a value (null: any), or no system at
/// all.</summary>
public sealed record IdentifierToken(string? System, string? Value, bool NoSystem = false);

/// <summary>An external identifier: the issuing system (a URI) and the value it gave.</summary>
/// <param name="System">The namespace of the value, a URI such as the EHR's patient-number system.</param>
/// <param name="Value">The identifier within that system.</param>
public sealed record Identifier(string System, string Value)
{
    // The identifier tables' clustered key (PracticeId, System, Value) must stay within SQL Server's 900 bytes: 16 +
    // 2·255 + 2·180.
    public const int MaxSystemLength = 255;
    public const int MaxValueLength = 180;
}

/// <param name="FirstName">Given name.</param>
/// <param name="LastName">Family name.</param>
/// <param name="DateOfBirth">Date of birth (yyyy-MM-dd), if known.</param>
/// <param name="Email">E-mail address, if known.</param>
/// <param name="Phone">Phone number, if known.</param>
/// <param name="PreferredLanguage">nl or en: the language of the client's portal and messages.</param>
/// <param name="Pronouns">Pronouns as the client states them.</param>
/// <param name="Identifiers">Identifiers in other systems (system and value), such as the EHR's patient number.</param>
/// <param name="CareTeam">Therapists who treat the client; left out, the calling therapist.</param>
public sealed record CreateClientRequest(
    string FirstName, string LastName, DateOnly? DateOfBirth, string? Email, string? Phone, Language? PreferredLanguage,
    string? Pronouns, IReadOnlyList<Identifier>? Identifiers, IReadOnlyList<Guid>? CareTeam);

/// <summary>Replaces the client's details; identifiers are replaced when given and kept when omitted.</summary>
/// <param name="FirstName">Given name.</param>
/// <param name="LastName">Family name.</param>
/// <param name="DateOfBirth">Date of birth (yyyy-MM-dd), if known.</param>
/// <param name="Email">E-mail address, if known.</param>
/// <param name="Phone">Phone number, if known.</param>
/// <param name="PreferredLanguage">nl or en: the language of the client's portal and messages.</param>
/// <param name="Pronouns">Pronouns as the client states them.</param>
/// <param name="Identifiers">Identifiers in other systems (system and value), such as the EHR's patient number;
/// replaces the list.</param>
public sealed record UpdateClientRequest(
    string FirstName, string LastName, DateOnly? DateOfBirth, string? Email, string? Phone, Language? PreferredLanguage,
    string? Pronouns, IReadOnlyList<Identifier>? Identifiers);

/// <param name="TherapistIds">The therapists of the care team; replaces the team (at least one).</param>
public sealed record CareTeamRequest(IReadOnlyList<Guid> TherapistIds);

/// <param name="Id">The client's id.</param>
/// <param name="FirstName">Given name.</param>
/// <param name="LastName">Family name.</param>
/// <param name="DateOfBirth">Date of birth, if known.</param>
/// <param name="Email">E-mail address, if known.</param>
/// <param name="Phone">Phone number, if known.</param>
/// <param name="PreferredLanguage">nl or en.</param>
/// <param name="Pronouns">Pronouns as the client states them.</param>
/// <param name="Status">active or discharged.</param>
/// <param name="Identifiers">Identifiers in other systems.</param>
/// <param name="CareTeam">The therapists who treat the client.</param>
/// <param name="Version">The concurrency version; send it as If-Match to change the client.</param>
/// <param name="CreatedAt">When the record was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record ClientResponse(
    Guid Id, string FirstName, string LastName, DateOnly? DateOfBirth, string? Email, string? Phone, Language PreferredLanguage,
    string? Pronouns, ClientStatus Status, IReadOnlyList<Identifier> Identifiers, IReadOnlyList<Guid> CareTeam, int Version,
    DateTime CreatedAt, DateTime UpdatedAt);

public sealed record ClientListQuery : IPageQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
    /// <summary>Case-insensitive search in first and last name.</summary>
    public string? Q { get; init; }
    public OneOf<ClientStatus>? Status { get; init; }
    public Guid? TherapistId { get; init; }
    /// <summary>An external identifier as <c>system|value</c>.</summary>
    public string? Identifier { get; init; }
}

/// <summary>The external identifier an upsert is keyed by: ?system=…&amp;value=….</summary>
public sealed record IdentifierQuery
{
    public string? System { get; init; }
    public string? Value { get; init; }

    public Identifier ToIdentifier() => new(System!, Value!);
}

internal sealed class IdentifierQueryValidator : AbstractValidator<IdentifierQuery>
{
    public IdentifierQueryValidator()
    {
        RuleFor(q => q.System).NotEmpty().MaximumLength(Identifier.MaxSystemLength).Must(s => Uri.TryCreate(s,
            UriKind.Absolute, out _))
            .WithMessage("system must be an absolute URI, such as https://ehr.example/patient-id.");
        RuleFor(q => q.Value).NotEmpty().MaximumLength(Identifier.MaxValueLength);
    }
}

internal record ClientRow
{
    public Guid Id { get; init; }
    public Guid PracticeId { get; init; }
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public DateOnly? DateOfBirth { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string PreferredLanguage { get; init; } = "";
    public string? Pronouns { get; init; }
    public string Status { get; init; } = "";
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public DateTime? ErasedAt { get; init; }

    public ClientResponse ToResponse(IEnumerable<Identifier> identifiers, IEnumerable<Guid> careTeam) =>
        new(Id, FirstName, LastName, DateOfBirth, Email, Phone, ClosedSets.Parse<Language>(PreferredLanguage), Pronouns,
            ClosedSets.Parse<ClientStatus>(Status),
            identifiers.ToList(), careTeam.ToList(), Version, CreatedAt, UpdatedAt);
}


internal static class ClientRules
{

    public static void Details<T>(AbstractValidator<T> v, TimeProvider clock,
        Func<T, string> first, Func<T, string> last, Func<T, DateOnly?> born, Func<T, string?> email, Func<T, string?> phone,
        Func<T, string?> pronouns, Func<T, IReadOnlyList<Identifier>?> identifiers)
    {
        v.RuleFor(r => first(r)).NotEmpty().MaximumLength(100).OverridePropertyName("firstName");
        v.RuleFor(r => last(r)).NotEmpty().MaximumLength(100).OverridePropertyName("lastName");
        v.RuleFor(r => born(r)).Must(d => d is null || (d.Value.Year >= 1900
            && d.Value <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
            .WithMessage("dateOfBirth must be a date between 1900 and today.").OverridePropertyName("dateOfBirth");
        v.RuleFor(r => email(r)).EmailAddress().MaximumLength(320).When(r => email(r) is not null)
            .OverridePropertyName("email");
        v.RuleFor(r => phone(r)).MaximumLength(40).Matches(@"^\+?[0-9 ()\-]{6,40}$").When(r => phone(r) is not null)
            .WithMessage("phone must hold digits, spaces, brackets or dashes, optionally starting with +.")
            .OverridePropertyName("phone");
        v.RuleFor(r => pronouns(r)).MaximumLength(40).OverridePropertyName("pronouns");
        Identifiers(v, identifiers);
    }

    public static void Identifiers<T>(AbstractValidator<T> v, Func<T, IReadOnlyList<Identifier>?> identifiers)
    {
        v.RuleFor(r => identifiers(r)).Must(ids => ids is null || ids.Count <= 20)
            .WithMessage("at most 20 identifiers.")
            .Must(ids => ids is null || ids.Where(i => i is not null).Select(i => (i.System, i.Value)).Distinct()
            .Count() == ids.Count)
            .WithMessage("identifiers must not repeat the same system and value.").OverridePropertyName("identifiers");
        v.RuleForEach(r => identifiers(r)).ChildRules(i =>
        {
            i.RuleFor(x => x.System).NotEmpty().MaximumLength(Identifier.MaxSystemLength)
                .Must(s => Uri.TryCreate(s, UriKind.Absolute, out _))
                .WithMessage("system must be an absolute URI, such as https://ehr.example/patient-id.");
            i.RuleFor(x => x.Value).NotEmpty().MaximumLength(Identifier.MaxValueLength);
        }).OverridePropertyName("identifiers");
    }

    public static void CareTeam<T>(AbstractValidator<T> v, Func<T, IReadOnlyList<Guid>?> team, bool required)
    {
        v.RuleFor(r => team(r)).Must(t => t is null ? !required : t.Count is > 0 and <= 20 && t.Distinct()
            .Count() == t.Count)
            .WithMessage("the care team needs 1 to 20 distinct therapist ids.")
            .OverridePropertyName(required ? "therapistIds" : "careTeam");
    }
}

internal sealed class CreateClientValidator : AbstractValidator<CreateClientRequest>
{
    public CreateClientValidator(TimeProvider clock)
    {
        ClientRules.Details(this, clock, r => r.FirstName, r => r.LastName, r => r.DateOfBirth, r => r.Email,
            r => r.Phone, r => r.Pronouns, r => r.Identifiers);
        RuleFor(r => r.CareTeam).Must(t => t is null || (t.Count <= 20 && t.Distinct().Count() == t.Count))
            .WithMessage("careTeam must hold at most 20 distinct therapist ids.");
    }
}

internal sealed class UpdateClientValidator : AbstractValidator<UpdateClientRequest>
{
    public UpdateClientValidator(TimeProvider clock) =>
        ClientRules.Details(this, clock, r => r.FirstName, r => r.LastName, r => r.DateOfBirth, r => r.Email,
            r => r.Phone, r => r.Pronouns, r => r.Identifiers);
}

internal sealed class CareTeamValidator : AbstractValidator<CareTeamRequest>
{
    public CareTeamValidator() => ClientRules.CareTeam(this, r => r.TherapistIds, required: true);
}

internal sealed class ClientListQueryValidator : AbstractValidator<ClientListQuery>
{
    public ClientListQueryValidator()
    {
        this.ApplyPaging();
        RuleFor(q => q.Q).MaximumLength(100);
        RuleFor(q => q.Identifier).Must(i => i is null || (i.IndexOf('|') is > 0 and var p && p < i.Length - 1))
            .WithMessage("identifier must be written as system|value.");
    }
}

/// <summary>A client's status after a discharge or reactivation.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Status">The status now: active or discharged.</param>
/// <param name="CancelledSessionIds">The future scheduled sessions the discharge cancelled (each also announced as
/// session.cancelled).</param>
public sealed record StatusChange(Guid ClientId, ClientStatus Status, IReadOnlyList<Guid> CancelledSessionIds);

