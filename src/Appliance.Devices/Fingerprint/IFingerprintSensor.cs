namespace Appliance.Devices.Fingerprint;

/// <summary>
/// A fingerprint module that captures, extracts features and matches on the module itself (R30x/AS608 UART
/// family). Calls are serialised by the implementation; each fails with <see cref="FingerprintException"/>.
/// </summary>
public interface IFingerprintSensor
{
    /// <summary>
    /// Waits up to <see cref="FingerprintCaptureOptions.FingerWait"/> for a finger, captures it, and returns the
    /// image and/or the feature template of that one press.
    /// </summary>
    Task<FingerprintCapture> CaptureAsync(FingerprintCaptureOptions options, CancellationToken cancellationToken);

    /// <summary>Downloads both templates to the module and lets it match them: confidence 0..100 (seed 003 §8.2).</summary>
    Task<int> MatchAsync(ReadOnlyMemory<byte> feature1, ReadOnlyMemory<byte> feature2, CancellationToken cancellationToken);

    /// <summary>Captures a live finger, downloads <paramref name="feature"/> and lets the module match: confidence 0..100.</summary>
    Task<int> VerifyLiveAsync(ReadOnlyMemory<byte> feature, TimeSpan fingerWait, CancellationToken cancellationToken);

    /// <summary>One GenImg poll: true when a finger lies on the window now.</summary>
    Task<bool> IsFingerPresentAsync(CancellationToken cancellationToken);
}

public sealed record FingerprintCaptureOptions
{
    public bool WithImage { get; init; } = true;
    public bool WithFeature { get; init; } = true;
    public TimeSpan FingerWait { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>One press: its image (null when not asked for) and its feature template (empty when not asked for).</summary>
public sealed record FingerprintCapture(FingerprintImage? Image, byte[] Feature);

/// <summary>An 8-bit grey image, row-major, top row first; 0 = black ridge, 255 = white background.</summary>
public sealed class FingerprintImage(int width, int height, byte[] pixels)
{
    public const int ModuleWidth = 256;
    public const int ModuleHeight = 288;

    public int Width { get; } = width;
    public int Height { get; } = height;
    public byte[] Pixels { get; } = pixels.Length == width * height
        ? pixels
        : throw new ArgumentException($"expected {width * height} pixels, got {pixels.Length}", nameof(pixels));
}

/// <summary>A fingerprint module error; <see cref="ConfirmationCode"/> is the module's ack code when it answered with one.</summary>
public sealed class FingerprintException(DeviceErrorKind kind, string message, byte? confirmationCode = null, Exception? inner = null)
    : DeviceException("fingerprint", kind, message, inner)
{
    public byte? ConfirmationCode { get; } = confirmationCode;
}
