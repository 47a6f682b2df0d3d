using Appliance.Core.Capture;
using Appliance.Devices;
using Appliance.Devices.SmartCard;

namespace Appliance.Adapters;

/// <summary>
/// The one translation of the drivers' errors into Core's failure taxonomy. The driver's message is kept; the protocol
/// puts its own words in front of it.
/// </summary>
internal static class DeviceErrors
{
    public static CaptureException ToCapture(DeviceException e) => new(e.Kind switch
    {
        DeviceErrorKind.Absent => CaptureFailure.DeviceAbsent,
        DeviceErrorKind.Timeout or DeviceErrorKind.NothingPresented => CaptureFailure.TimedOut,
        DeviceErrorKind.BadRequest => CaptureFailure.BadRequest,
        DeviceErrorKind.NotSupported => CaptureFailure.NotSupported,
        _ => CaptureFailure.DeviceFailed,
    }, e.Message, e);

    /// <summary>A PC/SC read's failure, with what it means for the person in front of the reader.</summary>
    public static CaptureException ToCapture(SmartCardException e) => e.Error switch
    {
        SmartCardError.ReaderAbsent => new(CaptureFailure.DeviceAbsent, $"读卡器未连接 / card reader not available: {e.Message}", e),
        SmartCardError.CardAbsent => new(CaptureFailure.TimedOut, $"未放卡 / no card on the reader: {e.Message}", e),
        SmartCardError.CardRemoved => new(CaptureFailure.DeviceFailed, $"读卡过程中卡被移走 / the card was removed during the read: {e.Message}", e),
        SmartCardError.UnknownCard => new(CaptureFailure.NotSupported, $"无法识别的卡 / unknown card: {e.Message}", e),
        SmartCardError.Busy => new(CaptureFailure.Busy, $"读卡器忙 / the reader is busy: {e.Message}", e),
        _ => new(CaptureFailure.DeviceFailed, $"读卡失败 / card read failed: {e.Message}", e),
    };

    /// <summary>Runs a driver call, its <see cref="DeviceException"/> translated.</summary>
    public static async Task<T> Translated<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DeviceException e)
        {
            throw ToCapture(e);
        }
    }

    /// <inheritdoc cref="Translated{T}(Func{Task{T}})"/>
    public static async Task Translated(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (DeviceException e)
        {
            throw ToCapture(e);
        }
    }
}
