using System.Net.NetworkInformation;
using System.Net.Sockets;
using Appliance.Core.Audit;
using Appliance.Core.Identity;
using Appliance.Core.Pairing;
using Appliance.Core.Screen;
using Appliance.Core.Session;
using Appliance.Ui;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.Adapters.Screen;

/// <summary>
/// What the terminal shows of itself when no PC's task is on screen: the idle screen with its name, its current
/// addresses and how many PCs are paired; a pending pairing code full screen; the "paired PCs" page behind the idle
/// screen's button (list, revoke with confirmation).
/// <para>
/// A task on screen comes first: the moment one starts, the pairing code and the paired-PCs page leave the screen
/// (never covering a signature or a prompt); when it ends, a code still pending comes back until it expires. A PC
/// asking to pair while someone signs therefore sees its code appear once the signing is over.
/// </para>
/// </summary>
public sealed class HomeScreenService : IHostedService
{
    private readonly ScreenService _screen;
    private readonly PairingService _pairing;
    private readonly TerminalSession _session;
    private readonly TerminalIdentity _identity;
    private readonly AuditLog _audit;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly PairedPcsMenu _menu;
    private readonly Lock _gate = new();
    private IReadOnlyList<string> _addresses = [];
    private IdleScreenInfo? _shownIdle;
    private bool _taskOnScreen;

    public HomeScreenService(ScreenService screen, PairingService pairing, TerminalSession session, TerminalIdentity identity,
        AuditLog audit, TimeProvider clock, ILogger<HomeScreenService> log)
    {
        _screen = screen;
        _pairing = pairing;
        _session = session;
        _identity = identity;
        _audit = audit;
        _clock = clock;
        _log = log;
        _menu = new PairedPcsMenu
        {
            List = () => [.. _pairing.Store.List().Select(p => new PairedPcView(p.KeyId, p.Name, p.Address, p.PairedAt))],
            Revoke = RevokeOnTerminal,
        };
    }

    /// <summary>The idle screen's pairing line for this many paired PCs.</summary>
    public static string PairingState(int paired) =>
        paired == 0 ? "未配对 / not paired" : $"已配对 {paired} 台电脑 / {paired} PC{(paired == 1 ? "" : "s")} paired";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _addresses = LocalAddresses();
        _pairing.CodeShown += OnCodeShown;
        _pairing.CodeCleared += OnCodeCleared;
        _pairing.Store.Changed += OnPairingsChanged;
        _session.TaskChanged += OnTaskChanged;
        NetworkChange.NetworkAddressChanged += OnAddressChanged;
        NetworkChange.NetworkAvailabilityChanged += OnAvailabilityChanged;
        Guarded(Refresh);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        NetworkChange.NetworkAvailabilityChanged -= OnAvailabilityChanged;
        NetworkChange.NetworkAddressChanged -= OnAddressChanged;
        _session.TaskChanged -= OnTaskChanged;
        _pairing.Store.Changed -= OnPairingsChanged;
        _pairing.CodeCleared -= OnCodeCleared;
        _pairing.CodeShown -= OnCodeShown;
        return Task.CompletedTask;
    }

    private void OnCodeShown(PairingCodeShown _) => Guarded(Refresh);

    private void OnCodeCleared(string _) => Guarded(Refresh);

    private void OnPairingsChanged() => Guarded(() =>
    {
        Refresh();
        // Outside our lock: the page reads the list through the menu.
        _screen.RefreshPairedPcs();
    });

    private void OnTaskChanged(TerminalTask task) => Guarded(() =>
    {
        lock (_gate) _taskOnScreen = !task.State.IsFinal();
        Refresh();
    });

    private void OnAddressChanged(object? sender, EventArgs e) => Guarded(() =>
    {
        var addresses = LocalAddresses();
        lock (_gate) _addresses = addresses;
        Refresh();
    });

    private void OnAvailabilityChanged(object? sender, NetworkAvailabilityEventArgs e) => OnAddressChanged(sender, e);

    /// <summary>Brings the screen in line with the session, the pairings and the addresses. Idempotent.</summary>
    private void Refresh()
    {
        lock (_gate)
        {
            var idle = new IdleScreenInfo { TerminalName = _identity.Name, Addresses = _addresses, PairingState = PairingState(_pairing.Store.List().Count) };
            if (_shownIdle is null || _shownIdle.TerminalName != idle.TerminalName || _shownIdle.PairingState != idle.PairingState
                || !_shownIdle.Addresses.SequenceEqual(idle.Addresses))
            {
                _screen.ShowIdle(idle);
                _shownIdle = idle;
            }
            if (_taskOnScreen)
            {
                _screen.ClearPairingCode();
                _screen.SetPairedPcsMenu(null);
                return;
            }
            if (_pairing.CurrentCode is { } code)
                _screen.ShowPairingCode(new PairingCodeOptions
                {
                    RequestId = code.RequestId, Code = code.Code, PcName = code.PcName, Address = code.Address, ExpiresAt = code.ExpiresAt,
                    Cancel = () => CancelOnTerminal(code),
                });
            else
                _screen.ClearPairingCode();
            _screen.SetPairedPcsMenu(_menu);
        }
    }

    private void CancelOnTerminal(PairingCodeShown code) => Guarded(() =>
    {
        if (!_pairing.Cancel(code.RequestId)) return;
        _log.LogInformation("pairing request of {Name} ({Address}) cancelled on the terminal", code.PcName, code.Address);
        _audit.Record(new AuditEntry(_clock.GetUtcNow(), "", code.Address, "", "Terminal", "pair-cancel", "ok"));
    });

    private void RevokeOnTerminal(string keyId) => Guarded(() =>
    {
        var pc = _pairing.Store.Find(keyId);
        if (pc is null || !_pairing.Store.Revoke(keyId)) return;
        _log.LogInformation("pairing of {Name} ({Address}) revoked on the terminal", pc.Name, pc.Address);
        _audit.Record(new AuditEntry(_clock.GetUtcNow(), keyId, pc.Address, "", "Terminal", "revoke", "ok"));
    });

    /// <summary>The IPv4 addresses of the interfaces that are up, loopback left out: what a PC types to reach the terminal.</summary>
    private static List<string> LocalAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
                .Select(a => a.Address.ToString())
                .ToList();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }

    /// <summary>These run on event threads (pen, session, network): a failure is logged, never thrown into them.</summary>
    private void Guarded(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            _log.LogError(e, "the terminal's own screens could not be updated");
        }
    }
}
