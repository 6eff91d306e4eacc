using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Foundation;

/// <summary>The committed OpenAPI document passes Redocly's recommended rules with no error and no warning.</summary>
public sealed class ApiLintTests
{
    [SkippableFact]
    public async Task The_openapi_document_passes_redocly_recommended_with_no_errors_or_warnings()
    {
        Skip.IfNot(await NodeTools.EnsureInstalledAsync("api-lint", "@redocly"), "the OpenAPI lint needs Node.js with npm on PATH (it installs tests/api-lint itself).");
        var folder = RepoFiles.PathTo("tests", "api-lint");
        var result = await NodeTools.RunAsync(Path.Combine(folder, "node_modules", ".bin", "redocly"),
            ["lint", RepoFiles.PathTo("api-spec", "openapi.json"), "--config", Path.Combine(folder, "redocly.yaml"), "--format=stylish"], folder, TimeSpan.FromMinutes(2));
        Assert.NotNull(result);
        var (exitCode, output, error) = result.Value;
        var problems = (output + error).Split('\n').Where(l => l.Contains(" error ", StringComparison.Ordinal) || l.Contains(" warning ", StringComparison.Ordinal)).ToList();
        Assert.True(exitCode == 0 && problems.Count == 0, $"redocly lint (exit {exitCode}):\n{string.Join("\n", problems)}\n{output}\n{error}");
        Assert.Contains("is valid", output + error, StringComparison.OrdinalIgnoreCase);
    }
}
