namespace Appliance.Core.Capture;

/// <summary>A window on the terminal's screen, in screen pixels. Null fields in a request mean "the screen's default place".</summary>
public readonly record struct ScreenRect(int X, int Y, int Width, int Height);

/// <summary>
/// The one failure taxonomy of the terminal: every port (capture, screen, image work) and every task outcome says
/// what went wrong in these words, and each protocol maps them to its wire codes in one place
/// (docs/PROTOCOLS.md, "Shared error codes"), so the same failure means the same thing on every port.
/// </summary>
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
    /// <summary>Another interactive task holds the screen or the device (code 9).</summary>
    Busy,
    /// <summary>The person cancelled on the terminal, or the task was closed before it ended (code 5).</summary>
    Cancelled,
    /// <summary>What was sent or asked for is larger than the terminal accepts (code 8).</summary>
    TooLarge,
}

/// <summary>The one error type a port throws; adapters translate their driver's exceptions into it.</summary>
public sealed class CaptureException(CaptureFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// What a PC is told of a failure that is the terminal's own (a bug): the exception's text goes to the log only, as
    /// the AOT build's runtime texts are resource keys and may carry paths.
    /// </summary>
    public const string InternalErrorMessage = "内部错误，详见终端日志 / internal error; the terminal's log has the details";

    public CaptureFailure Failure { get; } = failure;
}
