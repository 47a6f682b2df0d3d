namespace Appliance.Devices.Camera;

/// <summary>The two pixel formats the firmware takes from a camera: JPEG frames it can pass through, and raw 4:2:2 it must encode.</summary>
public enum CameraPixelFormat
{
    Mjpeg,
    Yuyv,
}

/// <summary>
/// How a YUYV camera codes its samples. V4L2's default for YUV formats, and what USB cameras send, is limited
/// ("studio") range: Y 16-235, Cb/Cr 16-240. JPEG's YCbCr is full range (0-255), so limited samples must be stretched.
/// </summary>
public enum YuvRange
{
    Limited,
    Full,
}

/// <summary>One format + frame size the camera offers.</summary>
public readonly record struct CameraMode(CameraPixelFormat Format, int Width, int Height)
{
    public override string ToString() => $"{Width}x{Height} {Format}";
}

/// <summary>What QUERYCAP says about the node.</summary>
public sealed record CameraInfo(string Driver, string Card, string BusInfo);

/// <summary>
/// One captured frame, copied out of the driver's mmap buffer so the buffer goes straight back to the
/// device. Immutable once published: every stream client shares the same instance.
/// </summary>
public sealed class CameraFrame(byte[] data, CameraPixelFormat format, int width, int height, long sequence, DateTimeOffset capturedAt)
{
    public byte[] Data { get; } = data;
    public CameraPixelFormat Format { get; } = format;
    public int Width { get; } = width;
    public int Height { get; } = height;
    public long Sequence { get; } = sequence;
    public DateTimeOffset CapturedAt { get; } = capturedAt;
}

/// <summary>A V4L2 control as QUERYCTRL describes it, with its current value.</summary>
public sealed record CameraControl(uint Id, string Name, int Minimum, int Maximum, int Step, int Default, int Current, bool IsBoolean);
