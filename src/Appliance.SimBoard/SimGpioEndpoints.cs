using Appliance.Adapters.Indicators;
using Appliance.Core.Board;
using Appliance.Protocols.Admin;
using Appliance.Protocols.Http;
using Appliance.Simulators.Gpio;

namespace Appliance.SimBoard;

/// <param name="Function"><c>led</c>, <c>buzzer</c> or <c>backlight</c>, from the board profile.</param>
/// <param name="Value">The line's level: 1 active, 0 inactive.</param>
/// <param name="Changes">How often the level changed since the terminal started (a blinking LED counts up).</param>
/// <param name="Consumer">Who holds the line (<c>appliance</c>), or null when it is released.</param>
public sealed record SimGpioLine(string Function, int Line, int Value, int Changes, string? Consumer);

/// <param name="Beeps">How often the buzzer line went active: a beep counts one, a double beep two.</param>
public sealed record SimGpioState(string Chip, IReadOnlyList<SimGpioLine> Lines, int Beeps);

/// <summary><c>GET /sim/gpio</c>: the LED, buzzer and backlight lines of the sim board and the beeps so far.</summary>
public sealed class SimGpioEndpoints(SimulatedGpioChip chip, GpioProfile gpio) : IAdminRoutes
{
    public void Map(Router router) => router
        .MapGet("/sim/gpio", context => AdminResults.Json(context, Read(), SimDeviceJson.Default.SimGpioState));

    /// <summary>The simulated chip's lines under their profile names.</summary>
    private SimGpioState Read()
    {
        var lines = IndicatorLines.Functions(gpio).Select(f => (f.Function, State: chip.Line(f.Line)))
            .Select(l => new SimGpioLine(l.Function, l.State.Offset, l.State.Value ? 1 : 0, l.State.Changes, l.State.Consumer))
            .ToList();
        return new SimGpioState(chip.Path, lines, gpio.Buzzer is { } buzzer ? chip.Line(buzzer).Rises : 0);
    }
}
