namespace Appliance.Core.Storage;

/// <summary>The state directory checked once at start: everything the terminal keeps lives there.</summary>
public static class StateDirectory
{
    private const string ProbeName = ".start-probe";

    /// <summary>Null when <paramref name="path"/> can be created, listed and written; else what went wrong, naming the path.</summary>
    public static string? Problem(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            _ = Directory.EnumerateFileSystemEntries(path).FirstOrDefault();
            var probe = Path.Combine(path, ProbeName);
            PrivateFile.WriteAtomic(probe, "ok"u8);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // One line, in the C library's words: the runtime's own messages may be trimmed to resource keys (AOT).
            var reason = e is UnauthorizedAccessException ? "permission denied"
                : e.HResult is > 0 and < 4096 ? System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(e.HResult).ToLowerInvariant()
                : NotADirectory(path) is { } file ? $"{file} is a file, not a directory"
                : "an I/O error";
            return $"{path} cannot be read and written: {reason}";
        }
    }

    /// <summary>The nearest existing ancestor of <paramref name="path"/> (or itself) when it is a file.</summary>
    private static string? NotADirectory(string path)
    {
        for (var p = Path.GetFullPath(path); !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
        {
            if (Directory.Exists(p)) return null;
            if (File.Exists(p)) return p;
        }
        return null;
    }
}
