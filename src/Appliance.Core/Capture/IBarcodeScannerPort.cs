namespace Appliance.Core.Capture;

/// <summary>
/// The serial barcode scanner, opened and closed by the PC (seed 003 §11): while open it keeps the last code scanned
/// until it is taken. Every failure is a <see cref="CaptureException"/>.
/// </summary>
public interface IBarcodeScannerPort
{
    /// <summary>The baud rates the scanner's line may be opened at (known without the scanner).</summary>
    IReadOnlyList<int> SupportedBaudRates { get; }

    /// <summary>True once the scanner's driver runs (it starts with the host); before that every call fails as absent.</summary>
    bool IsAvailable { get; }

    /// <summary>True while the scanner is open: after open, before close.</summary>
    bool IsOpen { get; }

    /// <summary>Opens (or reopens) the line at <paramref name="baudRate"/> and starts collecting codes.</summary>
    Task OpenAsync(int baudRate, CancellationToken cancel);

    /// <summary>The last complete code since the previous call, then forgets it; null when none arrived.</summary>
    string? TakeLastCode();

    Task CloseAsync();
}
