namespace Appliance.Devices.Camera;

/// <summary>What went wrong with a camera, so the wire can say it with its own code.</summary>
public enum CameraError
{
    /// <summary>No such camera index, or its node is missing.</summary>
    Absent,
    /// <summary>The camera disappeared while streaming (unplugged, ENODEV).</summary>
    Removed,
    /// <summary>The camera cannot do what was asked (no MJPEG/YUYV, no such control).</summary>
    NotSupported,
    /// <summary>Any other failure of the device.</summary>
    Failed,
    /// <summary>No frame arrived in time.</summary>
    TimedOut,
}

public sealed class CameraException(CameraError error, string message) : Exception(message)
{
    public CameraError Error { get; } = error;
}
