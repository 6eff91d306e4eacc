using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Foundation;

/// <summary>
/// The committed OpenAPI document passes Redocly's recommended rules with no error and no warning, and Spectral's OWASP
/// API Security ruleset with no finding beyond the waivers (each with its reason) in tests/api-lint/.spectral.yaml.
/// </summary>
[Trait("Category", "OutsideTools")]
public sealed class ApiLintTests
{
    [SkippableFact]
    public async Task The_openapi_document_passes_redocly_recommended_with_no_errors_or_warnings()
    {
        Skip.IfNot(await NodeTools.EnsureInstalledAsync("api-lint", "@redocly"),
            "the OpenAPI lint needs Node.js with npm on PATH (it installs tests/api-lint itself).");
        var folder = RepoFiles.PathTo("tests", "api-lint");
        var result = await NodeTools.RunAsync(Path.Combine(folder, "node_modules", ".bin", "redocly"),
            ["lint", RepoFiles.PathTo("api-spec", "openapi.json"), "--config", Path.Combine(folder, "redocly.yaml"),
                "--format=stylish"], folder, TimeSpan.FromMinutes(2));
        Assert.NotNull(result);
        var (exitCode, output, error) = result.Value;
        var problems = (output + error).Split('\n').Where(l => l.Contains(" error ",
            StringComparison.Ordinal) || l.Contains(" warning ", StringComparison.Ordinal)).ToList();
        Assert.True(exitCode == 0 && problems.Count == 0,
            $"redocly lint (exit {exitCode}):\n{string.Join("\n", problems)}\n{output}\n{error}");
        Assert.Contains("is valid", output + error, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task The_openapi_document_has_no_owasp_finding_beyond_the_documented_waivers()
    {
        Skip.IfNot(await NodeTools.EnsureInstalledAsync("api-lint", "@stoplight"),
            "the OWASP lint needs Node.js with npm on PATH (it installs tests/api-lint itself).");
        var folder = RepoFiles.PathTo("tests", "api-lint");
        // --fail-severity=hint: any finding at all fails.
        var result = await NodeTools.RunAsync(Path.Combine(folder, "node_modules", ".bin", "spectral"),
            ["lint", RepoFiles.PathTo("api-spec", "openapi.json"), "--ruleset", Path.Combine(folder, ".spectral.yaml"),
                "--fail-severity=hint", "-f", "text"],
            folder, TimeSpan.FromMinutes(2));
        Assert.NotNull(result);
        var (exitCode, output, error) = result.Value;
        Assert.True(exitCode == 0, $"spectral (exit {exitCode}):\n{output}\n{error}");
    }
}
