using Appliance.Core.Board;

namespace Appliance.Adapters.Indicators;

/// <summary>The terminal's indicator lines as the board profile's <c>gpio</c> section names them.</summary>
public static class IndicatorLines
{
    /// <summary>The consumer label the lines carry (what <c>gpioinfo</c> shows on the terminal).</summary>
    public const string Consumer = "appliance";

    /// <summary>The lines the profile names, by function.</summary>
    public static IEnumerable<(string Function, int Line)> Functions(GpioProfile gpio)
    {
        if (gpio.Led is { } led) yield return ("led", led);
        if (gpio.Buzzer is { } buzzer) yield return ("buzzer", buzzer);
        if (gpio.Backlight is { } backlight) yield return ("backlight", backlight);
    }
}
