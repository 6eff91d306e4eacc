using System.Collections.Concurrent;
using System.Diagnostics;

namespace PracticeApi.Tests.Infrastructure;

/// <summary>
/// Node.js tools the tests use (the FHIR schema validator, the OpenAPI linter), each a folder under tests/ with a
/// package-lock.json: installed once per test run with `npm ci` when npm is on PATH, so the README's test command
/// covers them.
/// </summary>
public static class NodeTools
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<bool>>> Installs = new();

    /// <summary>True once tests/{folder} has its packages (marker: a path under node_modules); false without
    /// npm.</summary>
    public static Task<bool> EnsureInstalledAsync(string folder, string marker) =>
        Installs.GetOrAdd($"{folder}|{marker}", _ => new Lazy<Task<bool>>(() => InstallAsync(RepoFiles.PathTo("tests",
            folder), marker))).Value;

    private static async Task<bool> InstallAsync(string path, string marker)
    {
        if (Directory.Exists(Path.Combine(path, "node_modules", marker))) return true;
        var result = await RunAsync("npm", ["ci", "--prefix", path, "--no-audit", "--no-fund", "--loglevel=error"],
            path, TimeSpan.FromMinutes(4));
        return result is { ExitCode: 0 } && Directory.Exists(Path.Combine(path, "node_modules", marker));
    }

    /// <summary>Runs a program; null when it is not on PATH.</summary>
    public static async Task<(int ExitCode, string Output, string Error)?> RunAsync(string program,
        IEnumerable<string> args, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync(new CancellationTokenSource(timeout).Token);
            return (process.ExitCode, await output, await error);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
