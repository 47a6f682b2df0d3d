using Appliance.Core.Capture;

namespace Appliance.Protocols.Wire;

/// <summary>The shared error codes of docs/PROTOCOLS.md, used where a seed gives none.</summary>
public enum ErrorCode
{
    BadRequest = 1,
    DeviceAbsent = 2,
    DeviceFailed = 3,
    TimedOut = 4,
    Cancelled = 5,
    NotSupported = 6,
    NotPermitted = 7,
    TooLarge = 8,
    Busy = 9,
}

public static class ErrorCodes
{
    /// <summary>The code as it goes on the wire: a decimal string.</summary>
    public static string Wire(this ErrorCode code) => ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The one map from Core's failure taxonomy to the shared codes: UOS and CameraService both answer through it, so a
    /// busy screen, an absent device, a timeout or a cancel reads the same on both ports.
    /// </summary>
    public static ErrorCode For(CaptureFailure? failure) => failure switch
    {
        CaptureFailure.BadRequest => ErrorCode.BadRequest,
        CaptureFailure.DeviceAbsent => ErrorCode.DeviceAbsent,
        CaptureFailure.TimedOut => ErrorCode.TimedOut,
        CaptureFailure.Cancelled => ErrorCode.Cancelled,
        CaptureFailure.NotSupported => ErrorCode.NotSupported,
        CaptureFailure.TooLarge => ErrorCode.TooLarge,
        CaptureFailure.Busy => ErrorCode.Busy,
        _ => ErrorCode.DeviceFailed,
    };
}
