using System.Globalization;
using Appliance.Core.Capture;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.CameraService.Scanner;

/// <summary>
/// <c>barcode_scanner=</c> (seed 003 §11): open at one of the §11.1 baud rates (default 115200), get the last code
/// (cleared once read: "" afterwards), close. A terminal without a scanner answers 2 (device absent).
/// </summary>
public sealed class BarcodeScannerGroup(IBarcodeScannerPort scanner) : ICameraServiceGroup
{
    public const int DefaultBaudRate = 115200;
    private const string Failed = "扫描枪错误 / barcode scanner";

    public void Map(CameraServiceRoutes routes)
    {
        routes.Map("barcode_scanner", "open", OpenAsync)
            .Map("barcode_scanner", "get", (_, _) => ValueTask.FromResult(Get()))
            .Map("barcode_scanner", "close", CloseAsync);
    }

    private IBarcodeScannerPort Scanner => scanner.IsAvailable
        ? scanner
        : throw new CameraServiceException(ErrorCode.DeviceAbsent, "此终端没有扫描枪 / this terminal has no barcode scanner");

    private async ValueTask<CameraServiceAnswer> OpenAsync(CameraServiceRequest request, CancellationToken ct)
    {
        var baud = request.Int("baud_rate", DefaultBaudRate);
        if (!scanner.SupportedBaudRates.Contains(baud))
            return CameraServiceAnswer.Error(ErrorCode.BadRequest,
                $"不支持的波特率 / baud_rate must be one of {string.Join(", ", scanner.SupportedBaudRates.Select(b => b.ToString(CultureInfo.InvariantCulture)))}, got {baud}");
        await DeviceTasks.CallAsync(() => Scanner.OpenAsync(baud, ct), Failed).ConfigureAwait(false);
        return CameraServiceAnswer.Ok();
    }

    private CameraServiceAnswer Get()
    {
        var s = Scanner;
        if (!s.IsOpen) return CameraServiceAnswer.Error(ErrorCode.DeviceAbsent, "扫描枪未启用 / the scanner is not open: call barcode_scanner=open first");
        string code;
        try
        {
            code = s.TakeLastCode() ?? "";
        }
        catch (CaptureException e)
        {
            throw DeviceTasks.Answer(e, Failed);
        }
        return CameraServiceAnswer.Ok(w => w.WriteString("barcode", code));
    }

    private async ValueTask<CameraServiceAnswer> CloseAsync(CameraServiceRequest request, CancellationToken ct)
    {
        await DeviceTasks.CallAsync(() => Scanner.CloseAsync(), Failed).ConfigureAwait(false);
        return CameraServiceAnswer.Ok();
    }
}
