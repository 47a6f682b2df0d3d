namespace Appliance.Core.Capture;

/// <summary>
/// Waits for a finger on the sensor and returns its image as PNG (dark ridges; transparent or white where no ridge).
/// The session bounds the wait (5 s on the UOS port) by cancelling the token; a backend whose module reports
/// "no finger" itself throws <see cref="CaptureException"/> with <see cref="CaptureFailure.TimedOut"/>.
/// </summary>
public interface IFingerprintCapture
{
    Task<FingerprintPicture> CaptureAsync(CancellationToken cancel);
}

public sealed record FingerprintPicture(byte[] Png, int Width, int Height);
