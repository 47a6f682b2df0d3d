namespace Appliance.Devices.Pen;

/// <summary>One absolute axis' range (<c>struct input_absinfo</c> as EVIOCGABS reports it).</summary>
public readonly record struct AbsAxis(int Minimum, int Maximum, int Fuzz = 0, int Flat = 0, int Resolution = 0)
{
    public bool IsValid => Maximum > Minimum;

    /// <summary>0..1 along the range (clamped).</summary>
    public double Normalize(int value) => IsValid ? Math.Clamp((value - Minimum) / (double)(Maximum - Minimum), 0, 1) : 0;
}

/// <summary>The axes a pen has. Tilt is null when the device does not report it.</summary>
public sealed record PenAxes(AbsAxis X, AbsAxis Y, AbsAxis Pressure, AbsAxis? TiltX = null, AbsAxis? TiltY = null)
{
    /// <summary>
    /// The sim board's pen pipe: ABS_X/ABS_Y span the screen in pixels, pressure 0..4095, and tilt in hundredths of a
    /// degree (±9000, resolution 5730 units per radian) for the records that carry it (a stylus on the /sim/ page).
    /// </summary>
    public static PenAxes ForSimulatedScreen(int width, int height) =>
        new(new AbsAxis(0, width - 1), new AbsAxis(0, height - 1), new AbsAxis(0, 4095), SimulatedTilt, SimulatedTilt);

    /// <summary>Hundredths of a degree: 18000/π ≈ 5730 units per radian.</summary>
    public static AbsAxis SimulatedTilt { get; } = new(-9000, 9000, Resolution: 5730);

    /// <summary>Degrees as the sim pipe's tilt value.</summary>
    public static int SimulatedTiltValue(double degrees) => (int)Math.Round(Math.Clamp(degrees, -90, 90) * 100);
}
