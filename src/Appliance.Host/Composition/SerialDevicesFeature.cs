using Appliance.Core.Board;
using Appliance.Core.Health;
using Appliance.Devices.Barcode;
using Appliance.Devices.Fingerprint;
using Appliance.Devices.IdCard;
using Appliance.Devices.MagStripe;
using Appliance.Devices.Serial;
using Appliance.Simulators.Barcode;
using Appliance.Simulators.Fingerprint;
using Appliance.Simulators.IdCard;
using Appliance.Simulators.MagStripe;
using Appliance.Simulators.Serial;
using Appliance.SimBoard;

namespace Appliance.Host.Composition;

/// <summary>
/// The ID-card module, fingerprint module, barcode scanner and stripe reader. On a real board the drivers open
/// the profile's ports; where the profile says <c>sim</c>, a pty simulator is started first under
/// <c>STATE/sim/</c> and the same drivers open its slave (through a stable symlink, as udev would name it).
/// A keyboard-wedge stripe reader (<c>"kind": "evdev"</c>) is opened by its input device name instead.
/// </summary>
public static class SerialDevicesFeature
{
    public static IServiceCollection AddSerialDevices(this IServiceCollection services, BoardProfile board, string stateDir)
    {
        services.AddSingleton(sp => new SerialDevices(board, stateDir, sp.GetRequiredService<DeviceHealthRegistry>()));
        // Only what the board fits is registered: consumers ask GetService and answer "not supported" for the rest.
        if (board.Serial.IdCard is not null)
            services.AddSingleton<IIdCardReader>(sp => Started(sp).IdCard!);
        if (board.Serial.Fingerprint is not null)
            services.AddSingleton<IFingerprintSensor>(sp => Started(sp).Fingerprint!);
        if (board.Serial.Barcode is not null)
            services.AddSingleton<IBarcodeScanner>(sp => Started(sp).Barcode!);
        if (board.Serial.MagStripe is not null)
            services.AddSingleton<IMagStripeReader>(sp => Started(sp).MagStripe!);
        services.AddHostedService<SerialDevicesService>();

        static SerialDevices Started(IServiceProvider sp)
        {
            var devices = sp.GetRequiredService<SerialDevices>();
            devices.EnsureStarted();
            return devices;
        }
        if (board.Serial.All().Any(p => p.Port.Port == BoardProfile.Simulated))
        {
            services.AddSingleton<ISimPeripherals>(sp => sp.GetRequiredService<SerialDevices>());
        }
        return services;
    }

    /// <summary>Starts everything with the host, so the devices connect (and /health shows them) before the first request.</summary>
    private sealed class SerialDevicesService(SerialDevices devices) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => devices.StartAsync();
        public Task StopAsync(CancellationToken cancellationToken) => devices.DisposeAsync().AsTask();
    }
}

/// <summary>Owns the serial drivers and, on the sim board, their simulators.</summary>
public sealed class SerialDevices(BoardProfile board, string stateDir, DeviceHealthRegistry health) : ISimPeripherals, IAsyncDisposable
{
    private readonly Dictionary<string, PtySimulator> _simulators = new(StringComparer.OrdinalIgnoreCase);
    private SamModuleSimulator? _samSim;
    private FingerprintModuleSimulator? _fpSim;
    private BarcodeScannerSimulator? _barcodeSim;
    private MagStripeReaderSimulator? _msrSim;
    private readonly Lock _startGate = new();
    private bool _started;

    public SamIdCardReader? IdCard { get; private set; }
    public UartFingerprintSensor? Fingerprint { get; private set; }
    public SerialBarcodeScanner? Barcode { get; private set; }
    /// <summary>The serial or the keyboard-wedge reader, whichever the profile names.</summary>
    public IMagStripeReader? MagStripe { get; private set; }
    private IAsyncDisposable? _magStripeDriver;

    public Task StartAsync()
    {
        EnsureStarted();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Plugs the simulators and opens the drivers, once. Called by the hosted service at start-up, and by whoever
    /// resolves a driver first (the session binds its capture backends while the host is still being built).
    /// </summary>
    public void EnsureStarted()
    {
        lock (_startGate)
        {
            if (_started) return;
            _started = true;
            StartDevices();
        }
    }

    private void StartDevices()
    {
        var serial = board.Serial;
        if (serial.IdCard is { } id)
        {
            var path = Place("idCard", id, p => _samSim = new SamModuleSimulator(p));
            IdCard = SamIdCardReader.Open(path, id.Baud, decoderLibrary: id.DecoderLibrary);
            Watch("idCard", "serial", id.Port, IdCard.Link);
        }
        if (serial.Fingerprint is { } fp)
        {
            var path = Place("fingerprint", fp, p => _fpSim = new FingerprintModuleSimulator(p));
            Fingerprint = UartFingerprintSensor.Open(path, fp.Baud);
            Watch("fingerprint", "serial", fp.Port, Fingerprint.Link);
        }
        if (serial.Barcode is { } bc)
        {
            var path = Place("barcode", bc, p => _barcodeSim = new BarcodeScannerSimulator(p));
            Barcode = SerialBarcodeScanner.ForPort(path);
            Barcode.StateChanged += (s, d) => Report("barcode", "serial", bc.Port, s, d);
            health.Report("barcode", "serial", File.Exists(path) ? DeviceState.Ready : DeviceState.Absent, Location(bc.Port, path),
                File.Exists(path) ? "closed; opened by barcode_scanner=open" : "device node not found");
        }
        if (serial.MagStripe is { IsEvdev: true, Device: { } wedgeDevice })
        {
            var wedge = KeyboardWedgeMagStripeReader.Open(wedgeDevice);
            (MagStripe, _magStripeDriver) = (wedge, wedge);
            Watch("magStripe", "evdev", wedgeDevice, wedge.Link);
        }
        else if (serial.MagStripe?.SerialPort is { } ms)
        {
            var path = Place("magStripe", ms, p => _msrSim = new MagStripeReaderSimulator(p));
            var reader = SerialMagStripeReader.Open(path, ms.Baud);
            (MagStripe, _magStripeDriver) = (reader, reader);
            Watch("magStripe", "serial", ms.Port, reader.Link);
        }
    }

    /// <summary>The path the driver opens: the profile's port, or a freshly plugged simulator's link.</summary>
    private string Place(string role, SerialPortProfile port, Func<string, PtySimulator> make)
    {
        if (port.Port != BoardProfile.Simulated) return port.Port;
        var simulator = make(Path.Combine(stateDir, "sim", role));
        _simulators[role] = simulator;
        simulator.Plug();
        return simulator.PortPath;
    }

    private static string Location(string configured, string path) => configured == BoardProfile.Simulated ? $"sim ({path})" : path;

    /// <param name="configured">The profile's port, or the evdev reader's device name.</param>
    private void Watch(string role, string kind, string configured, SerialLink link)
    {
        link.StateChanged += (s, d) => Report(role, kind, configured, s, d);
        Report(role, kind, configured, link.State, link.Detail.Length > 0 ? link.Detail : "connecting");
    }

    private void Report(string role, string kind, string configured, SerialLinkState state, string detail)
    {
        var path = _simulators.TryGetValue(role, out var sim) ? sim.PortPath : configured;
        health.Report(role, kind, state switch
        {
            SerialLinkState.Ready => DeviceState.Ready,
            SerialLinkState.Absent => DeviceState.Absent,
            SerialLinkState.Faulted => DeviceState.Faulted,
            _ => DeviceState.Starting,
        }, Location(configured, path), detail);
    }

    // ISimPeripherals: what POST /sim/... does.
    public IReadOnlyList<string> CardPresets => FictionalCard.PresetNames;
    public void PlaceCard(string preset) => Sim(_samSim, "idCard").PlaceCard(FictionalCard.FromPreset(preset));
    public void RemoveCard() => Sim(_samSim, "idCard").RemoveCard();
    public void PlaceFinger(int person, int finger) => Sim(_fpSim, "fingerprint").PlaceFinger(SimulatedFinger.Of(person, finger));
    public void RemoveFinger() => Sim(_fpSim, "fingerprint").RemoveFinger();
    public void Scan(string code) => Sim(_barcodeSim, "barcode").Scan(code);

    public void Swipe(string track1, string track2, string track3)
    {
        var swipe = track1.Length + track2.Length + track3.Length == 0
            ? MagStripeReaderSimulator.SampleCard
            : new MagStripeSwipe(track1, track2, track3);
        Sim(_msrSim, "magStripe").Swipe(swipe);
    }

    public bool SetPlugged(string device, bool plugged)
    {
        if (!_simulators.TryGetValue(device, out var sim)) return false;
        if (plugged) sim.Plug();
        else sim.Unplug();
        return true;
    }

    /// <summary>The baud rate the driver set on a simulated device's line (<c>barcode</c>, …); 0 when not simulated or unplugged.</summary>
    public int LineBaudRate(string device) => _simulators.TryGetValue(device, out var sim) ? sim.LineBaudRate : 0;

    private static T Sim<T>(T? simulator, string role) where T : class =>
        simulator ?? throw new ArgumentException($"the board's {role} is not simulated");

    public async ValueTask DisposeAsync()
    {
        if (IdCard is not null) await IdCard.DisposeAsync().ConfigureAwait(false);
        if (Fingerprint is not null) await Fingerprint.DisposeAsync().ConfigureAwait(false);
        if (Barcode is not null) await Barcode.DisposeAsync().ConfigureAwait(false);
        if (_magStripeDriver is not null) await _magStripeDriver.DisposeAsync().ConfigureAwait(false);
        foreach (var sim in _simulators.Values) await sim.DisposeAsync().ConfigureAwait(false);
        _simulators.Clear();
        IdCard = null;
        Fingerprint = null;
        Barcode = null;
        MagStripe = null;
        _magStripeDriver = null;
    }
}
