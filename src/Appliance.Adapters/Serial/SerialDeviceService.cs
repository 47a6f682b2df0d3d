using Appliance.Core.Board;
using Appliance.Core.Health;
using Appliance.Devices.Barcode;
using Appliance.Devices.Fingerprint;
using Appliance.Devices.IdCard;
using Appliance.Devices.MagStripe;
using Appliance.Devices.Serial;

namespace Appliance.Adapters.Serial;

/// <summary>
/// The ID-card module, fingerprint module, barcode scanner and stripe reader the board profile names: opens their
/// drivers once (a keyboard-wedge stripe reader, <c>"kind": "evdev"</c>, by its input device name), puts each in the
/// slot its adapter reads, and keeps their <c>/health</c> entries true as they connect, vanish and come back (the
/// drivers retry on their own).
/// </summary>
public sealed class SerialDeviceService(BoardProfile board, ISerialPortPlacement ports, DeviceHealthRegistry health) : IAsyncDisposable
{
    private readonly Lock _startGate = new();
    private readonly List<IAsyncDisposable> _drivers = [];
    private bool _started;

    public DeviceSlot<IIdCardReader> IdCard { get; } = new("身份证阅读器未就绪 / the ID-card reader is not running");
    public DeviceSlot<IFingerprintSensor> Fingerprint { get; } = new("指纹仪未就绪 / the fingerprint sensor is not running");
    public DeviceSlot<IBarcodeScanner> Barcode { get; } = new("扫描枪未就绪 / the barcode scanner is not running");
    /// <summary>The serial or the keyboard-wedge reader, whichever the profile names.</summary>
    public DeviceSlot<IMagStripeReader> MagStripe { get; } = new("磁条卡读卡器未就绪 / the magnetic-stripe reader is not running");

    /// <summary>
    /// Places the ports and opens the drivers, once. Called when the host starts, and by whoever needs a driver
    /// before that (tests resolve the drivers themselves).
    /// </summary>
    public void EnsureStarted()
    {
        lock (_startGate)
        {
            if (_started) return;
            _started = true;
            Start();
        }
    }

    private void Start()
    {
        var serial = board.Serial;
        if (serial.IdCard is { } id)
        {
            var path = ports.Place(SerialRoles.IdCard, id);
            var reader = SamIdCardReader.Open(path, id.Baud, decoderLibrary: id.DecoderLibrary);
            Own(reader, IdCard);
            Watch(SerialRoles.IdCard, "serial", Location(id.Port, path), reader.Link);
        }
        if (serial.Fingerprint is { } fp)
        {
            var path = ports.Place(SerialRoles.Fingerprint, fp);
            var sensor = UartFingerprintSensor.Open(path, fp.Baud);
            Own(sensor, Fingerprint);
            Watch(SerialRoles.Fingerprint, "serial", Location(fp.Port, path), sensor.Link);
        }
        if (serial.Barcode is { } bc)
        {
            var path = ports.Place(SerialRoles.Barcode, bc);
            var location = Location(bc.Port, path);
            var scanner = SerialBarcodeScanner.ForPort(path);
            Own(scanner, Barcode);
            // The scanner's line is opened by barcode_scanner=open: until then only its node can be checked.
            scanner.StateChanged += (s, d) => Report(SerialRoles.Barcode, "serial", location, s, d);
            health.Report(SerialRoles.Barcode, "serial", File.Exists(path) ? DeviceState.Ready : DeviceState.Absent, location,
                File.Exists(path) ? "closed; opened by barcode_scanner=open" : "device node not found");
        }
        if (serial.MagStripe is { IsEvdev: true, Device: { } wedgeDevice })
        {
            var wedge = KeyboardWedgeMagStripeReader.Open(wedgeDevice);
            Own(wedge, MagStripe);
            Watch(SerialRoles.MagStripe, "evdev", wedgeDevice, wedge.Link);
        }
        else if (serial.MagStripe?.SerialPort is { } ms)
        {
            var path = ports.Place(SerialRoles.MagStripe, ms);
            var reader = SerialMagStripeReader.Open(path, ms.Baud);
            Own(reader, MagStripe);
            Watch(SerialRoles.MagStripe, "serial", Location(ms.Port, path), reader.Link);
        }
    }

    private void Own<TDriver, TPort>(TDriver driver, DeviceSlot<TPort> slot) where TDriver : TPort, IAsyncDisposable where TPort : class
    {
        _drivers.Add(driver);
        slot.Fill(driver);
    }

    private static string Location(string configured, string path) => configured == BoardProfile.Simulated ? $"sim ({path})" : path;

    /// <param name="location">Where /health says the device is: its port (<c>sim (pty)</c> when simulated), or the evdev reader's device name.</param>
    private void Watch(string role, string kind, string location, SerialLink link)
    {
        link.StateChanged += (s, d) => Report(role, kind, location, s, d);
        Report(role, kind, location, link.State, link.Detail.Length > 0 ? link.Detail : "connecting");
    }

    private void Report(string role, string kind, string location, SerialLinkState state, string detail) =>
        health.Report(role, kind, state switch
        {
            SerialLinkState.Ready => DeviceState.Ready,
            SerialLinkState.Absent => DeviceState.Absent,
            SerialLinkState.Faulted => DeviceState.Faulted,
            _ => DeviceState.Starting,
        }, location, detail);

    public async ValueTask DisposeAsync()
    {
        IAsyncDisposable[] drivers;
        lock (_startGate)
        {
            drivers = [.. _drivers];
            _drivers.Clear();
        }
        IdCard.Clear();
        Fingerprint.Clear();
        Barcode.Clear();
        MagStripe.Clear();
        foreach (var driver in drivers) await driver.DisposeAsync().ConfigureAwait(false);
    }
}
