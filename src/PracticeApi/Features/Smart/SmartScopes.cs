namespace PracticeApi.Features.Smart;

/// <summary>
/// SMART system scopes (v1 <c>system/Patient.read</c>, v2 <c>system/Patient.rs</c>, or <c>system/*.read</c>) and what
/// they grant here: FHIR reads, plus the matching REST read scope, under the same tenancy and caseload rules.
/// </summary>
public static class SmartScopes
{
    public static readonly string[] ResourceTypes =
        ["Patient", "RelatedPerson", "Appointment", "Questionnaire", "QuestionnaireResponse", "Task", "CarePlan",
            "Invoice", "Consent", "Observation"];

    /// <summary>A scope this server understands: system/{type|*}.{read|rs|r|s}.</summary>
    public static bool IsKnown(string scope) => Parse(scope) is not null;

    private static string? Parse(string scope)
    {
        if (!scope.StartsWith("system/", StringComparison.Ordinal)) return null;
        var dot = scope.LastIndexOf('.');
        if (dot < 0 || scope[(dot + 1)..] is not ("read" or "rs" or "r" or "s")) return null;
        var type = scope[7..dot];
        return type == "*" || ResourceTypes.Contains(type) ? type : null;
    }

    /// <summary>Whether the registered scopes cover a requested one (system/*.read covers every type).</summary>
    public static bool Covers(IEnumerable<string> registered, string requested)
    {
        var type = Parse(requested);
        return type is not null && registered.Select(Parse).Any(r => r == "*" || r == type);
    }

    /// <summary>
    /// The integration-token scopes that carry out the granted SMART scopes: the SMART scopes themselves (which FHIR
    /// types the token may read, checked by <see cref="MayRead"/>), and the matching REST read scopes.
    /// </summary>
    public static IReadOnlyList<string> Grants(IEnumerable<string> granted)
    {
        var scopes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var scope in granted.Where(IsKnown)) scopes.Add(scope);
        foreach (var type in granted.Select(Parse))
        {
            if (type is "*" or "Patient" or "RelatedPerson") scopes.Add(Scopes.ClientsRead);
            if (type is "*" or "Appointment") scopes.Add(Scopes.SessionsRead);
            if (type is "*" or "Questionnaire" or "QuestionnaireResponse" or "Task" or "CarePlan") scopes.Add(
                Scopes.AssignmentsRead);
        }

        return scopes.ToList();
    }

    /// <summary>
    /// Whether a caller may read a FHIR resource type: staff and integration tokens with <c>fhir:read</c> read every
    /// type; a token issued for SMART scopes reads only the types those scopes cover. The one place this rule lives.
    /// </summary>
    public static bool MayRead(Caller caller, string resourceType)
    {
        if (caller.IsUser || caller.HasScope(Scopes.FhirRead)) return true;
        return caller.Kind == ActorKind.Integration && Covers(caller.Scopes.Where(s => s.StartsWith("system/",
            StringComparison.Ordinal)), $"system/{resourceType}.read");
    }

    /// <summary>Whether a token carries any SMART system scope (and so may use the FHIR API for those types).</summary>
    public static bool HasAny(IEnumerable<string> scopes) => scopes.Any(IsKnown);
}
