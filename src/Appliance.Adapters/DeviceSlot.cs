using Appliance.Core.Capture;

namespace Appliance.Adapters;

/// <summary>
/// Where an adapter finds its driver: empty until the device starts with the host (after the protocol routes are
/// built), empty again once it stopped. An adapter asks it on every call, so it can be handed out before the device
/// exists; an empty slot answers <see cref="CaptureFailure.DeviceAbsent"/>.
/// </summary>
public sealed class DeviceSlot<T>(string absentMessage) where T : class
{
    private T? _device;

    /// <summary>The driver, or null before the device started or after it stopped.</summary>
    public T? Current => Volatile.Read(ref _device);

    /// <exception cref="CaptureException"><see cref="CaptureFailure.DeviceAbsent"/> while the slot is empty.</exception>
    public T Device => Current ?? throw new CaptureException(CaptureFailure.DeviceAbsent, absentMessage);

    public void Fill(T device) => Volatile.Write(ref _device, device);

    public void Clear() => Volatile.Write(ref _device, null);
}
