using Appliance.Devices.Interop;

namespace Appliance.Devices.Camera;

/// <summary>A real V4L2 node opened non-blocking; every call goes straight to libc.</summary>
internal sealed unsafe class LinuxV4l2Device : IV4l2Device
{
    private int _fd;

    private LinuxV4l2Device(string path, int fd)
    {
        Path = path;
        _fd = fd;
    }

    public string Path { get; }

    public static LinuxV4l2Device Open(string path)
    {
        var fd = Libc.Open(path, Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Libc.LastErrno;
            throw new CameraException(errno is 2 or Libc.ENODEV or Libc.ENXIO ? CameraError.Absent : CameraError.Failed,
                $"{path}: cannot open: {Libc.StrError(errno)}");
        }
        return new LinuxV4l2Device(path, fd);
    }

    public int Ioctl(nuint request, void* argument)
    {
        while (true)
        {
            if (Libc.Ioctl(_fd, request, argument) == 0) return 0;
            var errno = Libc.LastErrno;
            if (errno != Libc.EINTR) return errno;
        }
    }

    public byte* Map(uint offset, uint length, out int errno)
    {
        var address = Libc.Mmap(0, length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, _fd, (nint)offset);
        if (address == Libc.MAP_FAILED)
        {
            errno = Libc.LastErrno;
            return null;
        }
        errno = 0;
        return (byte*)address;
    }

    public void Unmap(byte* address, uint length) => Libc.Munmap((nint)address, length);

    public bool WaitForFrame(int timeoutMs)
    {
        var pfd = new Libc.PollFd { Fd = _fd, Events = Libc.POLLIN };
        while (true)
        {
            var n = Libc.Poll(&pfd, 1, timeoutMs);
            if (n < 0 && Libc.LastErrno == Libc.EINTR) continue;
            if (n < 0) throw new CameraException(CameraError.Failed, $"{Path}: poll: {Libc.StrError(Libc.LastErrno)}");
            if (n == 0) return false;
            if ((pfd.Revents & (Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) != 0 && (pfd.Revents & Libc.POLLIN) == 0)
                throw new CameraException(CameraError.Removed, $"{Path}: the camera went away");
            return true;
        }
    }

    public void Dispose()
    {
        if (_fd >= 0) Libc.Close(_fd);
        _fd = -1;
    }
}
