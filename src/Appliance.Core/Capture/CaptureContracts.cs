namespace Appliance.Core.Capture;

/// <summary>A window on the terminal's screen, in screen pixels. Null fields in a request mean "the screen's default place".</summary>
public readonly record struct ScreenRect(int X, int Y, int Width, int Height);

/// <summary>What went wrong with a capture, in the terms of PROTOCOLS.md's shared codes (the protocol layer maps them).</summary>
public enum CaptureFailure
{
    /// <summary>The device is not there or not connected (code 2).</summary>
    DeviceAbsent,
    /// <summary>The device failed while working (code 3).</summary>
    DeviceFailed,
    /// <summary>The device did not answer in time, or nothing was presented (code 4).</summary>
    TimedOut,
    /// <summary>The request cannot be carried out as asked (code 1).</summary>
    BadRequest,
    /// <summary>This terminal cannot do it (code 6).</summary>
    NotSupported,
}

/// <summary>The one error type a capture backend throws; adapters translate their driver's exceptions into it.</summary>
public sealed class CaptureException(CaptureFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public CaptureFailure Failure { get; } = failure;
}
