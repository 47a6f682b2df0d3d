using System.Runtime.InteropServices;

namespace Appliance.Core.Interop;

/// <summary>The few libc calls Core needs: fsync of a directory, which .NET cannot open as a file.</summary>
internal static partial class Libc
{
    private const string Lib = "libc";
    public const int O_RDONLY = 0x0000;
    // O_DIRECTORY is architecture-specific: 0x10000 on x86-64 is O_DIRECT on arm/arm64, where it is 0x4000
    // (and opening a directory with O_DIRECT fails with EINVAL, so no journal write could succeed on the terminal).
    public static readonly int O_DIRECTORY =
        RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;
    public const int O_CLOEXEC = 0x80000;

    [LibraryImport(Lib, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Lib, EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary>Makes a rename or unlink inside <paramref name="directory"/> durable (POSIX: fsync the directory).</summary>
    public static void FsyncDirectory(string directory)
    {
        var fd = Open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) throw new IOException($"open({directory}) for fsync failed: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            _ = Close(fd);
        }
    }
}
