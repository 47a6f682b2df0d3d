using Appliance.Devices.Camera;
using Appliance.Simulators.Camera;

namespace Appliance.SimBoard;

/// <summary>
/// Plugs and unplugs the sim board's cameras. After either, the channel looks at its camera again, as a udev
/// add/remove event would make it: an idle camera shows absent (or ready) at once; a streaming one is noticed by its
/// capture loop, which ends every stream with the "camera removed" frame.
/// </summary>
public sealed class SimCameras(IReadOnlyList<SimulatedCamera> cameras, CameraSet channels) : ISimCameras
{
    public IReadOnlyList<int> Indexes { get; } = [.. cameras.Select(c => c.Index).Order()];

    public bool SetPlugged(int camidx, bool plugged)
    {
        var camera = cameras.FirstOrDefault(c => c.Index == camidx);
        if (camera is null) return false;
        if (plugged) camera.Plug();
        else camera.Unplug();
        channels.Get(camidx)?.Probe();
        return true;
    }
}
