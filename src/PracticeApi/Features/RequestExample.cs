namespace PracticeApi.Features;

/// <summary>Who sends an example: the demo admin's token, or the partner portal token printed for Sanne.</summary>
public enum ExampleCaller
{
    Admin,
    Partner,
}

/// <summary>
/// A request that works as written against a freshly seeded demo practice: its body, its path and query values, and
/// whose token sends it. <paramref name="Sendable"/> is false only where no fixed body can work (a signed, expiring
/// assertion); the test that sends every example says so too.
/// </summary>
public sealed record RequestExample(
    object? Body, IReadOnlyDictionary<string, string>? Values = null, ExampleCaller Caller = ExampleCaller.Admin, bool Sendable = true);
