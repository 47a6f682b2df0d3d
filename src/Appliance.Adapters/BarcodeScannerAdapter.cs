using Appliance.Core.Capture;
using Appliance.Devices;
using Appliance.Devices.Barcode;

namespace Appliance.Adapters;

/// <summary>Binds <see cref="IBarcodeScannerPort"/> to the serial barcode scanner driver.</summary>
public sealed class BarcodeScannerAdapter(DeviceSlot<IBarcodeScanner> scanner) : IBarcodeScannerPort
{
    public IReadOnlyList<int> SupportedBaudRates => IBarcodeScanner.SupportedBaudRates;

    public bool IsAvailable => scanner.Current is not null;

    public bool IsOpen => scanner.Current is { IsOpen: true };

    public Task OpenAsync(int baudRate, CancellationToken cancel) => DeviceErrors.Translated(() => scanner.Device.OpenAsync(baudRate, cancel));

    public string? TakeLastCode()
    {
        try
        {
            return scanner.Device.TakeLastCode();
        }
        catch (DeviceException e)
        {
            throw DeviceErrors.ToCapture(e);
        }
    }

    public Task CloseAsync() => DeviceErrors.Translated(() => scanner.Device.CloseAsync());
}
