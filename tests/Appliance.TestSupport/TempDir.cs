namespace Appliance.TestSupport;

/// <summary>A folder under /tmp removed when disposed.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "appliance-test-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
