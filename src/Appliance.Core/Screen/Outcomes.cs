namespace Appliance.Core.Screen;

/// <summary>
/// One pen sample kept with a signature: screen pixels relative to the sign window's top-left, pressure 0..1,
/// tilt in degrees when the pen reports it, milliseconds since the first touch of this signature.
/// </summary>
public readonly record struct InkSample(float X, float Y, float Pressure, float? TiltX, float? TiltY, long Milliseconds, bool PenDown)
{
    /// <summary>The window's ink samples as the capture contract keeps them (nothing dropped: tilt and pen-up travel too).</summary>
    public static Capture.PenSample[] ToPenSamples(IReadOnlyList<InkSample> samples) =>
        [.. samples.Select(s => new Capture.PenSample(s.X, s.Y, s.Pressure, s.Milliseconds, s.TiltX, s.TiltY, s.PenDown))];
}

/// <summary>How a signature window ended.</summary>
public abstract record SignatureOutcome
{
    private SignatureOutcome() { }

    /// <summary>The person pressed OK: <paramref name="Png"/> is the ink on a transparent background, window-sized.</summary>
    public sealed record Confirmed(byte[] Png, int Width, int Height, IReadOnlyList<InkSample> Samples, string? Remark) : SignatureOutcome;

    /// <summary>The person pressed the return button.</summary>
    public sealed record Cancelled(string? Remark) : SignatureOutcome;
}

/// <summary>A second window of a kind that allows only one (signature, evaluation) was asked for.</summary>
public sealed class ScreenBusyException(string message) : InvalidOperationException(message);
