using Appliance.Devices.Gpio;

namespace Appliance.Adapters.Indicators;

/// <summary>The GPIO chip the LED, buzzer and backlight lines are requested from: a <c>/dev/gpiochipN</c>, or the sim board's chip.</summary>
public interface IIndicatorChip
{
    /// <summary>Where the lines are, as <c>/health</c> shows it.</summary>
    string Location { get; }

    /// <exception cref="GpioException">the chip is absent or refuses the lines.</exception>
    IGpioLines RequestOutputs(IReadOnlyList<GpioOutputLine> lines, string consumer);
}
