namespace Appliance.Devices.Pen;

/// <summary>
/// One complete pen report (everything between two SYN_REPORTs) in device units.
/// <see cref="Touching"/> is BTN_TOUCH (tip on the glass); <see cref="InRange"/> is BTN_TOOL_PEN (hovering or touching).
/// </summary>
public readonly record struct PenSample(int X, int Y, int Pressure, int? TiltX, int? TiltY, bool Touching, bool InRange, long TimestampMicroseconds);

/// <summary>A pen sample mapped to screen pixels as the person sees the screen (after rotation and calibration).</summary>
public readonly record struct PenPoint(float X, float Y, float Pressure, float? TiltX, float? TiltY, bool Touching, long TimestampMicroseconds)
{
    /// <summary>Monotonic receive time (<see cref="System.Diagnostics.Stopwatch"/> ticks) when the driver decoded the sample; for latency measurement.</summary>
    public long ReceivedTicks { get; init; }
}
