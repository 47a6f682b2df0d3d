using Appliance.Devices.Interop;

namespace Appliance.Devices.Gpio;

/// <summary>A real GPIO character device; every call goes straight to libc (no libgpiod).</summary>
internal sealed unsafe class LinuxGpioChipDevice : IGpioChipDevice
{
    private int _fd;

    private LinuxGpioChipDevice(string path, int fd)
    {
        Path = path;
        _fd = fd;
    }

    public string Path { get; }

    /// <exception cref="GpioException">The node is missing (Absent) or cannot be opened (Failed).</exception>
    public static LinuxGpioChipDevice Open(string path)
    {
        var fd = Libc.Open(path, Libc.O_RDWR | Libc.O_CLOEXEC);
        if (fd >= 0) return new LinuxGpioChipDevice(path, fd);
        var errno = Libc.LastErrno;
        if (errno is Libc.ENOENT or Libc.ENODEV or Libc.ENXIO)
            throw new GpioException(DeviceErrorKind.Absent, $"cannot open {path}: {Libc.StrError(errno)}");
        if (errno == Libc.EACCES)
            throw new GpioException(DeviceErrorKind.Failed,
                $"cannot open {path}: {Libc.StrError(errno)} (the udev rule gives gpiochips to group plugdev; is the service's user in it?)");
        throw new GpioException(DeviceErrorKind.Failed, $"cannot open {path}: {Libc.StrError(errno)}");
    }

    public int ChipIoctl(nuint request, void* argument) => Ioctl(_fd, request, argument);

    public int LineIoctl(int lineFd, nuint request, void* argument) => Ioctl(lineFd, request, argument);

    public void CloseLine(int lineFd) => Libc.Close(lineFd);

    private static int Ioctl(int fd, nuint request, void* argument)
    {
        while (true)
        {
            if (Libc.Ioctl(fd, request, argument) >= 0) return 0;
            var errno = Libc.LastErrno;
            if (errno != Libc.EINTR) return errno;
        }
    }

    public void Dispose()
    {
        if (_fd >= 0) Libc.Close(_fd);
        _fd = -1;
    }
}
