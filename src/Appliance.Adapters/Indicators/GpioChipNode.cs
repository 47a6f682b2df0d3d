using Appliance.Devices.Gpio;

namespace Appliance.Adapters.Indicators;

/// <summary>A real board's chip: the character device <c>/dev/gpiochipN</c>.</summary>
public sealed class GpioChipNode(string path) : IIndicatorChip
{
    public static GpioChipNode Number(int chip) => new($"/dev/gpiochip{chip}");

    public string Location => path;

    public IGpioLines RequestOutputs(IReadOnlyList<GpioOutputLine> lines, string consumer) => GpioLineRequest.Open(path, lines, consumer);
}
