using Appliance.Adapters.Indicators;
using Appliance.Core.Board;
using Appliance.Devices.Gpio;
using Appliance.Simulators.Gpio;

namespace Appliance.SimBoard;

/// <summary>The sim board's indicator chip (<c>gpio.chip: -1</c>): the real line driver on the simulated chip, which <c>GET /sim/gpio</c> shows.</summary>
public sealed class SimulatedIndicatorChip(SimulatedGpioChip chip) : IIndicatorChip
{
    public string Location => BoardProfile.Simulated;

    public IGpioLines RequestOutputs(IReadOnlyList<GpioOutputLine> lines, string consumer) => chip.RequestOutputs(lines, consumer);
}
