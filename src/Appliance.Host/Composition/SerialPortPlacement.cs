using Appliance.Adapters.Serial;
using Appliance.Core.Board;
using Appliance.Devices.MagStripe;
using Appliance.SimBoard;
using Appliance.Simulators.Barcode;
using Appliance.Simulators.Fingerprint;
using Appliance.Simulators.IdCard;
using Appliance.Simulators.MagStripe;
using Appliance.Simulators.Serial;

namespace Appliance.Host.Composition;

/// <summary>
/// The one place that picks a serial device's port, real or simulated: the profile's path on a real board; where the
/// profile says <c>sim</c>, a pty simulator plugged under <c>STATE/sim/ROLE</c> whose slave the same real driver opens
/// (through a stable symlink, as udev would name it). It also drives those simulators for <c>POST /sim/...</c>.
/// </summary>
public sealed class SerialPortPlacement(string stateDir) : ISerialPortPlacement, ISimPeripherals, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PtySimulator> _simulators = new(StringComparer.OrdinalIgnoreCase);
    private SamModuleSimulator? _samSim;
    private FingerprintModuleSimulator? _fpSim;
    private BarcodeScannerSimulator? _barcodeSim;
    private MagStripeReaderSimulator? _msrSim;

    public string Place(string role, SerialPortProfile port)
    {
        if (port.Port != BoardProfile.Simulated) return port.Port;
        var link = Path.Combine(stateDir, "sim", role);
        PtySimulator simulator = role switch
        {
            SerialRoles.IdCard => _samSim = new SamModuleSimulator(link),
            SerialRoles.Fingerprint => _fpSim = new FingerprintModuleSimulator(link),
            SerialRoles.Barcode => _barcodeSim = new BarcodeScannerSimulator(link),
            SerialRoles.MagStripe => _msrSim = new MagStripeReaderSimulator(link),
            _ => throw new ArgumentException($"no simulator for the serial device \"{role}\"", nameof(role)),
        };
        lock (_gate) _simulators[role] = simulator;
        simulator.Plug();
        return simulator.PortPath;
    }

    // ISimPeripherals: what POST /sim/... does.
    public IReadOnlyList<string> CardPresets => FictionalCard.PresetNames;
    public void PlaceCard(string preset) => Sim(_samSim, SerialRoles.IdCard).PlaceCard(FictionalCard.FromPreset(preset));
    public void RemoveCard() => Sim(_samSim, SerialRoles.IdCard).RemoveCard();
    public void PlaceFinger(int person, int finger) => Sim(_fpSim, SerialRoles.Fingerprint).PlaceFinger(SimulatedFinger.Of(person, finger));
    public void RemoveFinger() => Sim(_fpSim, SerialRoles.Fingerprint).RemoveFinger();
    public void Scan(string code) => Sim(_barcodeSim, SerialRoles.Barcode).Scan(code);

    public void Swipe(string track1, string track2, string track3)
    {
        var swipe = track1.Length + track2.Length + track3.Length == 0
            ? MagStripeReaderSimulator.SampleCard
            : new MagStripeSwipe(track1, track2, track3);
        Sim(_msrSim, SerialRoles.MagStripe).Swipe(swipe);
    }

    public bool SetPlugged(string device, bool plugged)
    {
        if (Simulator(device) is not { } sim) return false;
        if (plugged) sim.Plug();
        else sim.Unplug();
        return true;
    }

    /// <summary>The baud rate the driver set on a simulated device's line (<c>barcode</c>, …); 0 when not simulated or unplugged.</summary>
    public int LineBaudRate(string device) => Simulator(device)?.LineBaudRate ?? 0;

    private PtySimulator? Simulator(string device)
    {
        lock (_gate) return _simulators.GetValueOrDefault(device);
    }

    private static T Sim<T>(T? simulator, string role) where T : class =>
        simulator ?? throw new ArgumentException($"the board's {role} is not simulated");

    public async ValueTask DisposeAsync()
    {
        PtySimulator[] simulators;
        lock (_gate)
        {
            simulators = [.. _simulators.Values];
            _simulators.Clear();
        }
        foreach (var sim in simulators) await sim.DisposeAsync().ConfigureAwait(false);
    }
}
