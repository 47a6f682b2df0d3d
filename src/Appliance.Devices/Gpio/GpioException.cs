namespace Appliance.Devices.Gpio;

/// <summary>Why GPIO lines could not be requested or driven. <see cref="DeviceException.Kind"/> says how to report it.</summary>
public sealed class GpioException(DeviceErrorKind kind, string message) : DeviceException("gpio", kind, message)
{
    /// <summary>The chip node is not there (wrong chip number, driver not loaded): /health shows "absent".</summary>
    public bool IsAbsent => Kind == DeviceErrorKind.Absent;
}
