using System.Runtime.InteropServices;

namespace Appliance.Devices.Interop;

/// <summary>
/// libc calls the drivers share: file descriptors, poll, ioctl, mmap. Device-specific ioctl numbers and
/// structs live beside their driver (<c>Libc.Evdev.cs</c>, <c>Libc.Fbdev.cs</c>, …) as parts of this class.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    public const int O_RDONLY = 0x0000;
    public const int O_WRONLY = 0x0001;
    public const int O_RDWR = 0x0002;
    public const int O_NOCTTY = 0x0100;
    public const int O_NONBLOCK = 0x0800;
    public const int O_CLOEXEC = 0x80000;

    public const short POLLIN = 0x001;
    public const short POLLOUT = 0x004;
    public const short POLLERR = 0x008;
    public const short POLLHUP = 0x010;
    public const short POLLNVAL = 0x020;

    public const int PROT_READ = 0x1;
    public const int PROT_WRITE = 0x2;
    public const int MAP_SHARED = 0x01;
    public static readonly nint MAP_FAILED = -1;

    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOTTY = 25;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Lib, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Lib, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);

    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, nint argument);

    [LibraryImport(Lib, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport(Lib, EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint address, nuint length);

    [LibraryImport(Lib, EntryPoint = "strerror")]
    private static partial nint StrErrorNative(int errno);

    public static int LastErrno => Marshal.GetLastPInvokeError();

    public static string StrError(int errno) => Marshal.PtrToStringUTF8(StrErrorNative(errno)) ?? $"errno {errno}";

    /// <summary>Linux _IOC encoding (asm-generic: x86-64, arm64).</summary>
    public static nuint IoC(uint direction, uint type, uint number, uint size) =>
        (nuint)((direction << 30) | (size << 16) | (type << 8) | number);

    public const uint IocNone = 0, IocWrite = 1, IocRead = 2;
    public static nuint Io(uint type, uint nr) => IoC(IocNone, type, nr, 0);
    public static nuint IoR(uint type, uint nr, uint size) => IoC(IocRead, type, nr, size);
    public static nuint IoW(uint type, uint nr, uint size) => IoC(IocWrite, type, nr, size);
    public static nuint IoWR(uint type, uint nr, uint size) => IoC(IocRead | IocWrite, type, nr, size);
}
