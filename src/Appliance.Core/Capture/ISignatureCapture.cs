namespace Appliance.Core.Capture;

/// <summary>
/// Opens the signature window on the terminal's screen, lets the person sign with the pen, and returns when they
/// press OK (a signature) or return/cancel (none). Cancelling the token closes the window at once (timeout, the PC
/// cancelled, shutdown). Bound to the screen's signature window by an adapter; in-memory fakes stand in for tests.
/// </summary>
public interface ISignatureCapture
{
    Task<SignatureOutcome> CaptureAsync(SignatureRequest request, CancellationToken cancel);
}

/// <param name="Window">Where the window goes; null for the screen's default.</param>
/// <param name="PenWidth">Nominal ink width in pixels (pressure varies it around this).</param>
public sealed record SignatureRequest(ScreenRect? Window, float PenWidth);

/// <summary>
/// One raw pen sample in window pixels: pressure 0..1, <paramref name="Millis"/> since the first touch, tilt in degrees
/// when the pen reports it, and whether the pen was down. A stroke is a run of <paramref name="PenDown"/> samples; the
/// sample that ends it (pen lifted, or left the area where ink is drawn) has <paramref name="PenDown"/> false.
/// </summary>
public readonly record struct PenSample(float X, float Y, float Pressure, long Millis, float? TiltX = null, float? TiltY = null, bool PenDown = true);

/// <summary>The person's answer: <see cref="Confirmed"/> with a PNG (transparent background), or cancelled.</summary>
public sealed record SignatureOutcome(bool Confirmed, byte[] Png, IReadOnlyList<PenSample> Samples)
{
    public static SignatureOutcome CancelledByPerson { get; } = new(false, [], []);

    public static SignatureOutcome Signed(byte[] png, IReadOnlyList<PenSample> samples) => new(true, png, samples);
}
