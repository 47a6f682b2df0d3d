namespace Appliance.Devices.Gpio;

/// <summary>
/// The ioctl boundary of one open GPIO character device (<c>/dev/gpiochipN</c>) and the line-request fds it hands
/// out. The real node is <see cref="LinuxGpioChipDevice"/>; tests and the sim board put a chip model here
/// (<c>Appliance.Simulators/Gpio</c>) that answers the same ioctls with the same structs and errnos, so
/// <see cref="GpioLineRequest"/> runs unchanged against either.
/// </summary>
internal unsafe interface IGpioChipDevice : IDisposable
{
    /// <summary>Where the chip lives, for messages.</summary>
    string Path { get; }

    /// <summary>One ioctl on the chip fd; returns 0 or the errno it failed with.</summary>
    int ChipIoctl(nuint request, void* argument);

    /// <summary>One ioctl on a line-request fd that GPIO_V2_GET_LINE (or v1 GET_LINEHANDLE) returned; 0 or errno.</summary>
    int LineIoctl(int lineFd, nuint request, void* argument);

    /// <summary>Closes a line-request fd: the kernel releases its lines.</summary>
    void CloseLine(int lineFd);
}
