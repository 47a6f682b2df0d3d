using System.Globalization;
using Appliance.Devices;
using Appliance.Devices.Barcode;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.CameraService.Scanner;

/// <summary>
/// <c>barcode_scanner=</c> (seed 003 §11): open at one of the §11.1 baud rates (default 115200), get the last code
/// (cleared once read: "" afterwards), close. A terminal without a scanner answers 2 (device absent).
/// </summary>
/// <param name="scanner">Resolved per call (the serial devices start with the host, after the routes are built); null = none fitted.</param>
public sealed class BarcodeScannerGroup(Func<IBarcodeScanner?> scanner) : ICameraServiceGroup
{
    public const int DefaultBaudRate = 115200;

    public void Map(CameraServiceRoutes routes)
    {
        routes.Map("barcode_scanner", "open", OpenAsync)
            .Map("barcode_scanner", "get", (_, _) => ValueTask.FromResult(Get()))
            .Map("barcode_scanner", "close", CloseAsync);
    }

    private IBarcodeScanner Scanner => scanner()
        ?? throw new CameraServiceException(ErrorCode.DeviceAbsent, "此终端没有扫描枪 / this terminal has no barcode scanner");

    private async ValueTask<CameraServiceAnswer> OpenAsync(CameraServiceRequest request, CancellationToken ct)
    {
        var baud = request.Int("baud_rate", DefaultBaudRate);
        if (!IBarcodeScanner.SupportedBaudRates.Contains(baud))
            return CameraServiceAnswer.Error(ErrorCode.BadRequest,
                $"不支持的波特率 / baud_rate must be one of {string.Join(", ", IBarcodeScanner.SupportedBaudRates.Select(b => b.ToString(CultureInfo.InvariantCulture)))}, got {baud}");
        await Guard(() => Scanner.OpenAsync(baud, ct)).ConfigureAwait(false);
        return CameraServiceAnswer.Ok();
    }

    private CameraServiceAnswer Get()
    {
        var s = Scanner;
        if (!s.IsOpen) return CameraServiceAnswer.Error(ErrorCode.DeviceAbsent, "扫描枪未启用 / the scanner is not open: call barcode_scanner=open first");
        var code = s.TakeLastCode() ?? "";
        return CameraServiceAnswer.Ok(w => w.WriteString("barcode", code));
    }

    private async ValueTask<CameraServiceAnswer> CloseAsync(CameraServiceRequest request, CancellationToken ct)
    {
        await Guard(() => Scanner.CloseAsync()).ConfigureAwait(false);
        return CameraServiceAnswer.Ok();
    }

    private static async Task Guard(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (DeviceException e)
        {
            throw new CameraServiceException(e.Kind switch
            {
                DeviceErrorKind.Absent => ErrorCode.DeviceAbsent,
                DeviceErrorKind.Timeout => ErrorCode.TimedOut,
                _ => ErrorCode.DeviceFailed,
            }, $"扫描枪错误 / barcode scanner: {e.Message}");
        }
    }
}
