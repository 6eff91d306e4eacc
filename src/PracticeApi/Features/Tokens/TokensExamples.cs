using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.Tokens;

/// <summary>
/// The OpenAPI examples of tokens, one per operation that takes a body or names a record. Each names the demo
/// practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends every one).
/// </summary>
internal static class TokensExamples
{
    public static RequestExample CreateToken => new(new { kind = "integration", name = "EHR sync",
        scopes = new[] { "clients:read", "sessions:read", "events:read" } });

    public static RequestExample IssuePortalToken => new(new { name = "Joost's phone" }, Id(DemoIds.Joost));
}
