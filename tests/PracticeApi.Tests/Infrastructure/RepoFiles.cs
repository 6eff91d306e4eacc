namespace PracticeApi.Tests.Infrastructure;

public static class RepoFiles
{
    /// <summary>The repository root (the folder that holds PracticeApi.sln).</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PracticeApi.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("PracticeApi.sln not found above the test output folder.");
    }

    public static string PathTo(params string[] parts) => Path.Combine([Root, .. parts]);
}
