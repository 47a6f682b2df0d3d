using Appliance.Core.Capture;
using Appliance.Protocols.Wire;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.Shell;

/// <summary>What a handler's exception answers, the same on every port (docs/PROTOCOLS.md: every error is an answer).</summary>
public static class HandlerFailure
{
    /// <summary>
    /// A <see cref="CaptureException"/> answers its failure's code (<see cref="ErrorCodes.For"/>) and message; a cancelled
    /// request "cancelled"; anything else is a fault of the terminal, logged, and answered "device failed".
    /// </summary>
    /// <param name="cancel">The request's token: an <see cref="OperationCanceledException"/> counts as cancelled only when it fired.</param>
    public static (ErrorCode Code, string Message) Describe(Exception e, CancellationToken cancel, ILogger log, string command) => e switch
    {
        CaptureException failure => (ErrorCodes.For(failure.Failure), failure.Message),
        OperationCanceledException when cancel.IsCancellationRequested => (ErrorCode.Cancelled, "请求被取消 / request cancelled"),
        _ => Unexpected(e, log, command),
    };

    private static (ErrorCode, string) Unexpected(Exception e, ILogger log, string command)
    {
        log.LogError(e, "{Command} failed", command);
        return (ErrorCode.DeviceFailed, CaptureException.InternalErrorMessage);
    }
}
