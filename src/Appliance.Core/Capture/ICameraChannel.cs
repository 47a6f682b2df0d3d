namespace Appliance.Core.Capture;

/// <summary>
/// One camera index: the open/close reference count of seed 003 §3.9-3.10, grabs, and the frame hub every stream
/// client shares. Frames are JPEG. Failures are <see cref="CaptureException"/>: absent or removed →
/// <see cref="CaptureFailure.DeviceAbsent"/>, not supported → <see cref="CaptureFailure.NotSupported"/>, no frame in
/// time → <see cref="CaptureFailure.TimedOut"/>, anything else → <see cref="CaptureFailure.DeviceFailed"/>.
/// </summary>
public interface ICameraChannel
{
    int Index { get; }

    /// <summary>The board profile's role: <c>document</c>, <c>face</c>, <c>face-ir</c>, ….</summary>
    string Role { get; }

    CameraChannelState State { get; }

    /// <summary>What the last look at the device found (its name and modes, or why it is absent).</summary>
    string Detail { get; }

    int OpenCount { get; }

    /// <summary>The mode the camera captures in while running; null before it first ran.</summary>
    CameraMode? CurrentMode { get; }

    /// <summary>What the camera offers, as last seen; empty until it was probed or opened.</summary>
    IReadOnlyList<CameraMode> Modes { get; }

    /// <summary>The capture size asked of the device (<c>param=set resolution</c>); the device may pick the nearest mode.</summary>
    (int Width, int Height) CaptureSize { get; }

    /// <summary>What <c>param=set</c> asked of this camera's streams. Read per frame: a change applies to running streams.</summary>
    CameraStreamOptions StreamOptions { get; }

    void SetStreamFrameRate(int framesPerSecond);

    /// <summary>Stream frames are fitted inside this box, keeping their aspect ratio, never enlarged.</summary>
    void SetStreamMaxSize(int width, int height);

    /// <summary>Opens the device once to learn whether it is there and what it offers (<see cref="State"/>, <see cref="Modes"/>); never throws.</summary>
    void Probe();

    /// <summary><c>video=open</c>: one more reference; the first starts capturing.</summary>
    /// <returns>The count after opening.</returns>
    int Open();

    /// <summary><c>video=close</c>: one reference fewer; at zero the camera stops and every stream ends with <see cref="CameraStreamEnd.Closed"/>.</summary>
    /// <returns>The count after closing.</returns>
    int Close();

    /// <summary>The next frame; opens the camera for the grab if nobody has it open.</summary>
    Task<CameraPicture> GrabAsync(CancellationToken cancel);

    /// <summary>
    /// A stream client; a stream on a closed camera opens it until its last client leaves. Never throws for the
    /// device: when the camera cannot start, the frames are over before the first (<see cref="ICameraFrames.StartFailure"/>).
    /// </summary>
    ICameraFrames Subscribe();

    /// <summary>Changes the capture size; a running camera restarts in the new mode and its streams carry on.</summary>
    /// <returns>The mode the device chose.</returns>
    CameraMode Resize(int width, int height);

    /// <summary>Null when this camera cannot set <paramref name="name"/> (one of <see cref="ICameraSet.PropertyNames"/>).</summary>
    CameraPropertyInfo? GetProperty(string name);

    /// <summary>
    /// Sets a property by the seed's rule: in range → by hand; out of range → automatic when the camera can, else its
    /// default. <see cref="CaptureFailure.NotSupported"/> when the camera has no such control.
    /// </summary>
    CameraPropertyOutcome SetProperty(string name, int value);
}

/// <summary>How a camera is doing, as <c>video=status</c> words it: "no", "ok", "run".</summary>
public enum CameraChannelState
{
    /// <summary>Not connected (or failed to open).</summary>
    Absent,
    /// <summary>Connected, not capturing.</summary>
    Ready,
    /// <summary>Capturing.</summary>
    Running,
}

/// <summary>What the camera sends: JPEG frames passed through, or raw 4:2:2 the terminal encodes.</summary>
public enum CameraPixelFormat
{
    Mjpeg,
    Yuyv,
}

/// <summary>One format + frame size the camera offers.</summary>
public readonly record struct CameraMode(CameraPixelFormat Format, int Width, int Height);

/// <param name="FrameRate">Most frames per second sent to each stream client; 0 = as the camera delivers.</param>
/// <param name="MaxWidth">The box stream frames are fitted into; 0 (with <paramref name="MaxHeight"/>) = the camera's own size.</param>
/// <param name="JpegQuality">Quality of frames the terminal encodes or re-encodes for streams.</param>
public sealed record CameraStreamOptions(int FrameRate, int MaxWidth, int MaxHeight, int JpegQuality);

/// <summary>One JPEG frame and when it was taken. Shared by every stream client: never changed once handed out.</summary>
public sealed record CameraPicture(byte[] Jpeg, int Width, int Height, DateTimeOffset CapturedAt);

/// <summary>A property as <c>video=getproperty</c> reports it (seed 003 §3.8).</summary>
public sealed record CameraPropertyInfo(int Minimum, int Maximum, int Step, int Default, int Current, bool IsAuto);

/// <summary>What <see cref="ICameraChannel.SetProperty"/> did with the value it was given.</summary>
public enum CameraPropertyOutcome
{
    /// <summary>In range: set by hand (its automatic control, if any, switched off).</summary>
    Manual,
    /// <summary>Out of range and the camera can control it automatically: switched to automatic.</summary>
    Automatic,
    /// <summary>Out of range and no automatic control: set to the camera's default.</summary>
    Default,
}
