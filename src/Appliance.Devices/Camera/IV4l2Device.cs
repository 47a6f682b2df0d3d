namespace Appliance.Devices.Camera;

/// <summary>
/// The ioctl boundary of a V4L2 capture node: what the driver asks of <c>/dev/videoN</c>. The real node is
/// <see cref="LinuxV4l2Device"/>; tests and the sim board put a device model here that answers the same
/// ioctls with the same structs, so <see cref="V4l2Camera"/> runs unchanged against either.
/// </summary>
internal unsafe interface IV4l2Device : IDisposable
{
    /// <summary>Where the device lives, for messages.</summary>
    string Path { get; }

    /// <summary>One ioctl; returns 0 or the errno it failed with (EINVAL, ENODEV, EAGAIN, …).</summary>
    int Ioctl(nuint request, void* argument);

    /// <summary>mmap of a buffer at the offset QUERYBUF reported; null with errno on failure.</summary>
    byte* Map(uint offset, uint length, out int errno);

    void Unmap(byte* address, uint length);

    /// <summary>Waits until a buffer can be dequeued. Returns false on timeout; throws <see cref="CameraException"/> when the device is gone (POLLERR/POLLHUP).</summary>
    bool WaitForFrame(int timeoutMs);
}
