using Appliance.Core.Board;
using Appliance.Core.Health;

namespace Appliance.Host.Devices;

/// <summary>
/// Puts every device the board profile names into the health registry before any driver starts, so
/// <c>/health</c> shows a missing device node at once. Drivers move their entry on from here.
/// </summary>
public static class BoardDeviceInventory
{
    public static void Register(BoardProfile board, DeviceHealthRegistry registry)
    {
        Add(registry, "screen", "display", board.Screen.Device);
        Add(registry, "pen", "pen", board.Pen.Device, isPath: board.Pen.Device.StartsWith('/'));
        foreach (var (role, port) in board.Serial.All())
            Add(registry, role, "serial", port.Port);
        if (board.Serial.MagStripe is { IsEvdev: true, Device: { } wedge })
            Add(registry, "magStripe", "evdev", wedge, isPath: wedge.StartsWith('/'));
        foreach (var (index, camera) in board.Cameras.OrderBy(c => c.Key, StringComparer.Ordinal))
            Add(registry, $"camera{index}", $"camera:{camera.Role}", camera.Device);
        if (board.Gpio is { } gpio)
            Add(registry, "gpio", "gpio", gpio.Chip < 0 ? BoardProfile.Simulated : $"/dev/gpiochip{gpio.Chip}");
        if (board.Audio is { } audio)
            Add(registry, "speaker", "audio", audio.Device, isPath: false);
    }

    private static void Add(DeviceHealthRegistry registry, string name, string kind, string location, bool isPath = true)
    {
        if (location == BoardProfile.Simulated)
            registry.Report(name, kind, DeviceState.Starting, "sim", "simulated; waiting for its driver");
        else if (isPath && !File.Exists(location) && !Directory.Exists(location))
            registry.Report(name, kind, DeviceState.Absent, location, "device node not found");
        else
            registry.Report(name, kind, DeviceState.Starting, location, "waiting for its driver");
    }
}
