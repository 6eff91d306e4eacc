using System.Text.Json;
using System.Text.Json.Nodes;

namespace PracticeApi.Infrastructure.Examples;

/// <summary>Which of the demo's printed tokens sends an example (named in the document as x-demo-token where not the
/// admin's).</summary>
public enum ExampleCaller
{
    /// <summary>Anouk de Wit, the admin.</summary>
    Admin,

    /// <summary>Sanne's partner portal token.</summary>
    Partner,

    /// <summary>Eva Jansen, the therapist of Sanne and Joost.</summary>
    Therapist,

    /// <summary>Lotte's partner portal token (Daan shares his recovery log with her).</summary>
    RecoveryPartner,
}

/// <summary>
/// A request that works as written against a freshly seeded demo practice: its body, its path and query values, and
/// whose token sends it. <paramref name="Sendable"/> is false only where no fixed body can work (a signed, expiring
/// assertion); the test that sends every example says so too. Each feature keeps its examples beside its contracts
/// (XExamples) and names one on its route with WithExample.
/// </summary>
public sealed record RequestExample(
    object? Body, IReadOnlyDictionary<string, string>? Values = null, ExampleCaller Caller = ExampleCaller.Admin, bool Sendable = true)
{
    /// <summary>Path or query values by name.</summary>
    public static Dictionary<string, string> Ids(params (string Name, Guid Id)[] ids) =>
        ids.ToDictionary(i => i.Name, i => i.Id.ToString());

    /// <summary>The {id} of the path.</summary>
    public static Dictionary<string, string> Id(Guid id) => Ids(("id", id));

    private static readonly JsonSerializerOptions Json = new(
        JsonSerializerOptions.Web) { Converters = { ClosedSets.Converter() } };

    /// <summary>The body as the API's JSON writes it.</summary>
    public JsonNode? BodyJson() => JsonSerializer.SerializeToNode(Body, Json);
}
