namespace Appliance.Core.Storage;

/// <summary>Files only the service's user may read (mode 0600): secrets, keys, the audit log.</summary>
public static class PrivateFile
{
    private static FileStreamOptions Options(FileMode mode)
    {
        var o = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) o.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return o;
    }

    public static FileStream OpenAppend(string path) => new(path, Options(FileMode.Append));

    /// <summary>Writes through a temp file and renames, so a crash leaves the old or the new content, never half.</summary>
    public static void WriteAtomic(string path, ReadOnlySpan<byte> content)
    {
        var tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, Options(FileMode.Create)))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }
}
