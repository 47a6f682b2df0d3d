namespace Appliance.Devices.Barcode;

/// <summary>
/// A serial barcode scanner that sends each decoded code followed by a terminator (CR, LF or CR LF).
/// Seed 003 §11: open at a baud rate, fetch the last code (fetching clears it), close.
/// </summary>
public interface IBarcodeScanner
{
    /// <summary>The rates §11.1 allows.</summary>
    static readonly int[] SupportedBaudRates = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

    bool IsOpen { get; }

    /// <summary>Opens (or reopens) the port at <paramref name="baudRate"/> and starts collecting codes.</summary>
    Task OpenAsync(int baudRate, CancellationToken cancellationToken);

    /// <summary>The last complete code since the previous call, then forgets it; null when none arrived.</summary>
    /// <exception cref="BarcodeScannerException">Not open, or the scanner was unplugged.</exception>
    string? TakeLastCode();

    /// <summary>Waits for the next complete code (and consumes it).</summary>
    Task<string> WaitForCodeAsync(TimeSpan timeout, CancellationToken cancellationToken);

    Task CloseAsync();
}

public sealed class BarcodeScannerException(DeviceErrorKind kind, string message, Exception? inner = null)
    : DeviceException("barcode", kind, message, inner);
