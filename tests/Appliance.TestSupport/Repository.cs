namespace Appliance.TestSupport;

/// <summary>The source tree the tests run from: board profiles, card emulator scripts.</summary>
public static class Repository
{
    /// <summary>The folder holding Appliance.sln, found above the test binary.</summary>
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Appliance.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (Appliance.sln) above " + AppContext.BaseDirectory);
    }
}
