using System.Text;
using Appliance.Devices.Serial;

namespace Appliance.Devices.Barcode;

public sealed class SerialBarcodeScannerSettings
{
    /// <summary>A code whose terminator does not follow within this time is dropped as truncated.</summary>
    public TimeSpan InterCharacterTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Longest code kept; longer frames are line noise.</summary>
    public int MaxCodeLength { get; set; } = 4096;
}

/// <summary>
/// The real serial barcode-scanner driver: reads the port at the requested baud rate, frames codes on CR, LF or
/// CR LF, keeps the last complete one until it is taken. A frame that is not clean UTF-8 text (line noise, a baud
/// mismatch) or that stops before its terminator is dropped and counted, never reported as a code.
/// </summary>
public sealed class SerialBarcodeScanner : IBarcodeScanner, IAsyncDisposable
{
    private readonly Func<int, Stream> _open;
    private readonly SerialBarcodeScannerSettings _settings;
    private readonly Lock _gate = new();
    private readonly List<byte> _partial = [];
    private SerialReceiver? _receiver;
    private readonly LatestValueMailbox<string> _codes =
        new(() => new BarcodeScannerException(DeviceErrorKind.NothingPresented, "no barcode was scanned in time"));

    /// <param name="open">Opens the transport at a baud rate (a <see cref="TtyStream"/> on the device, or a test stream).</param>
    public SerialBarcodeScanner(Func<int, Stream> open, SerialBarcodeScannerSettings? settings = null)
    {
        _open = open;
        _settings = settings ?? new();
    }

    public static SerialBarcodeScanner ForPort(string portPath, SerialBarcodeScannerSettings? settings = null) =>
        new(baud => TtyStream.Open(portPath, baud), settings);

    /// <summary>Raised with the link's state changes (for the health registry).</summary>
    public event Action<SerialLinkState, string>? StateChanged;

    public SerialLink? Link => _receiver?.Link;

    public bool IsOpen => _receiver is not null;

    /// <summary>Frames dropped as corrupt or truncated since start.</summary>
    public int DroppedFrames { get; private set; }

    public async Task OpenAsync(int baudRate, CancellationToken cancellationToken)
    {
        if (Array.IndexOf(IBarcodeScanner.SupportedBaudRates, baudRate) < 0)
            throw new BarcodeScannerException(DeviceErrorKind.BadRequest,
                $"baud_rate {baudRate} is not one of {string.Join(", ", IBarcodeScanner.SupportedBaudRates)}");
        await CloseAsync().ConfigureAwait(false);
        var link = new SerialLink("barcode", () => _open(baudRate), null,
            (kind, message, inner) => new BarcodeScannerException(kind, message, inner));
        link.StateChanged += (s, d) => StateChanged?.Invoke(s, d);
        var receiver = new SerialReceiver(link, _settings.InterCharacterTimeout, OnBytes, OnGap, OnDisconnect);
        lock (_gate) _receiver = receiver;
        _codes.Clear();
        receiver.Start();
        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromSeconds(3));
            await link.WaitReadyAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var detail = link.Detail;
            await CloseAsync().ConfigureAwait(false);
            throw new BarcodeScannerException(DeviceErrorKind.Absent, $"barcode scanner cannot be opened: {detail}");
        }
    }

    public string? TakeLastCode()
    {
        var link = OpenReceiver().Link;
        // A code read before the scanner went away is still the person's scan; with none, say why none can come.
        return _codes.TakeLast() ?? (link.State == SerialLinkState.Ready ? null
            : throw new BarcodeScannerException(DeviceErrorKind.Absent, $"barcode scanner is not connected ({link.Detail})"));
    }

    public async Task<string> WaitForCodeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        OpenReceiver();
        return await _codes.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    private SerialReceiver OpenReceiver()
    {
        lock (_gate) return _receiver ?? throw new BarcodeScannerException(DeviceErrorKind.Absent, "扫描枪未启用 / the scanner is not open");
    }

    public async Task CloseAsync()
    {
        SerialReceiver? receiver;
        lock (_gate)
        {
            receiver = _receiver;
            _receiver = null;
            _partial.Clear();
        }
        _codes.Clear();
        if (receiver is not null) await receiver.DisposeAsync().ConfigureAwait(false);
    }

    private void OnBytes(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is (byte)'\r' or (byte)'\n')
            {
                EndFrame();
                continue;
            }
            lock (_gate)
            {
                if (_partial.Count < _settings.MaxCodeLength) _partial.Add(b);
                else
                {
                    _partial.Clear();
                    DroppedFrames++;
                }
            }
        }
    }

    private void EndFrame()
    {
        string? code;
        lock (_gate)
        {
            if (_partial.Count == 0) return; // the LF of a CR LF
            code = Decode(_partial);
            _partial.Clear();
            if (code is null)
            {
                DroppedFrames++;
                return;
            }
        }
        _codes.Deliver(code);
    }

    private static string? Decode(List<byte> frame)
    {
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(frame.ToArray());
            return text.Any(char.IsControl) ? null : text;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private void OnGap()
    {
        lock (_gate)
        {
            if (_partial.Count == 0) return;
            _partial.Clear();
            DroppedFrames++;
        }
    }

    // A code already read stays: it was scanned whole before the scanner went away.
    private void OnDisconnect(Exception e) =>
        _codes.Fail(new BarcodeScannerException(DeviceErrorKind.Disconnected, "barcode scanner was unplugged", e), forgetLast: false);

    public ValueTask DisposeAsync() => new(CloseAsync());
}
