using Appliance.Core.Capture;
using Driver = Appliance.Devices.Camera;

namespace Appliance.Adapters.Camera;

/// <summary>Binds <see cref="ICameraSet"/> to the driver's cameras: one <see cref="CameraChannelAdapter"/> per channel, made once.</summary>
public sealed class CameraSetAdapter : ICameraSet
{
    private readonly SortedDictionary<int, ICameraChannel> _byIndex = [];

    public CameraSetAdapter(Driver.CameraSet cameras)
    {
        foreach (var channel in cameras.All) _byIndex[channel.Index] = new CameraChannelAdapter(channel);
        All = [.. _byIndex.Values];
    }

    public IReadOnlyList<ICameraChannel> All { get; }

    public ICameraChannel? Get(int index) => _byIndex.GetValueOrDefault(index);

    public IReadOnlyList<string> PropertyNames => Driver.CameraProperties.Names;
}
