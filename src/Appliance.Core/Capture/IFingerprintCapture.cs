namespace Appliance.Core.Capture;

/// <summary>
/// The fingerprint module: captures a finger (image and/or feature template) and lets the module match templates.
/// A wait for the finger is bounded either by the session cancelling the token (UOS) or by the module's own wait
/// (CameraService); a module that reports "no finger" throws <see cref="CaptureException"/> with
/// <see cref="CaptureFailure.TimedOut"/>. Every failure is a <see cref="CaptureException"/>.
/// </summary>
public interface IFingerprintCapture
{
    /// <summary>True once the module's driver runs (it starts with the host); before that every call fails as absent.</summary>
    bool IsAvailable { get; }

    /// <summary>Waits for a finger until cancelled and returns its image as PNG (dark ridges on white).</summary>
    Task<FingerprintPicture> CaptureAsync(CancellationToken cancel);

    /// <summary>One press within <see cref="FingerprintReadRequest.FingerWait"/>: its image in the form asked for, and its feature template.</summary>
    Task<FingerprintRead> ReadAsync(FingerprintReadRequest request, CancellationToken cancel);

    /// <summary>Captures a live finger and lets the module match it against <paramref name="feature"/>: confidence 0..100.</summary>
    Task<int> VerifyLiveAsync(byte[] feature, TimeSpan fingerWait, CancellationToken cancel);

    /// <summary>Lets the module match two feature templates: confidence 0..100.</summary>
    Task<int> MatchAsync(byte[] first, byte[] second, CancellationToken cancel);
}

public sealed record FingerprintPicture(byte[] Png, int Width, int Height);

/// <summary>How a read returns the finger's image (seed 003 §8.1): none (the feature alone), BMP, raw 24-bit RGB without header, or PNG with the paper transparent.</summary>
public enum FingerprintImageFormat
{
    None,
    Bmp,
    Raw,
    Png,
}

public sealed record FingerprintReadRequest(FingerprintImageFormat Image, TimeSpan FingerWait);

/// <summary>One press: the encoded image (null when <see cref="FingerprintImageFormat.None"/> was asked) and the feature template.</summary>
public sealed record FingerprintRead(byte[]? Image, byte[] Feature);
