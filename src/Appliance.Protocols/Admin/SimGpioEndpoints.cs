using Appliance.Protocols.Http;

namespace Appliance.Protocols.Admin;

/// <summary>The sim board's GPIO lines as the chip sees them (implemented by the host over the simulated chip).</summary>
public interface ISimGpio
{
    SimGpioState Read();
}

/// <param name="Function"><c>led</c>, <c>buzzer</c> or <c>backlight</c>, from the board profile.</param>
/// <param name="Value">The line's level: 1 active, 0 inactive.</param>
/// <param name="Changes">How often the level changed since the terminal started (a blinking LED counts up).</param>
/// <param name="Consumer">Who holds the line (<c>appliance</c>), or null when it is released.</param>
public sealed record SimGpioLine(string Function, int Line, int Value, int Changes, string? Consumer);

/// <param name="Beeps">How often the buzzer line went active: a beep counts one, a double beep two.</param>
public sealed record SimGpioState(string Chip, IReadOnlyList<SimGpioLine> Lines, int Beeps);

/// <summary><c>GET /sim/gpio</c>: the LED, buzzer and backlight lines of the sim board and the beeps so far.</summary>
public sealed class SimGpioEndpoints(ISimGpio gpio) : IAdminRoutes
{
    public void Map(Router router) => router
        .MapGet("/sim/gpio", context => AdminResults.Json(context, gpio.Read(), SimDeviceJson.Default.SimGpioState));
}
