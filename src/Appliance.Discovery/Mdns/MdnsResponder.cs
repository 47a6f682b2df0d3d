using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using Appliance.Discovery.Dns;

namespace Appliance.Discovery.Mdns;

/// <summary>
/// A Multicast DNS responder (RFC 6762) advertising DNS-SD services (RFC 6763): probes its names,
/// announces, defends and renames on conflicts, answers queries (known-answer suppression, QU and legacy
/// unicast, delayed shared answers), re-announces on address changes and says goodbye on stop.
/// </summary>
public sealed partial class MdnsResponder : IAsyncDisposable
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan AnnounceInterval = TimeSpan.FromSeconds(1);

    private readonly MdnsResponderOptions _options;
    private readonly IMdnsTransport _transport;
    private readonly Func<IReadOnlyList<MdnsInterface>> _interfaceSource;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _sentHistory = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0);

    private IReadOnlyList<MdnsInterface> _interfaces = [];
    private string _hostLabel;
    private string _instanceLabel;
    private int _hostRenames = 1;
    private int _instanceRenames = 1;
    private Phase _phase = Phase.Stopped;
    private RestartReason _restart = RestartReason.None;
    private CancellationTokenSource _cycle = new();
    private Task? _receiveLoop;
    private Task? _lifecycle;

    private enum Phase { Stopped, Probing, Announcing, Announced }

    private enum RestartReason { None, Conflict, LostTieBreak, NetworkChanged }

    public MdnsResponder(MdnsResponderOptions options, IMdnsTransport? transport = null, Func<IReadOnlyList<MdnsInterface>>? interfaces = null)
    {
        _options = options;
        _hostLabel = options.HostName;
        _instanceLabel = options.InstanceName;
        _transport = transport ?? new UdpMdnsTransport();
        _interfaceSource = interfaces ?? (() => UdpMdnsTransport.CurrentInterfaces(options.Interfaces));
    }

    /// <summary>The host name now in use, e.g. <c>signterm-1234.local</c>.</summary>
    public string HostName { get { lock (_gate) return _hostLabel + ".local"; } }

    /// <summary>The instance name now in use (after any conflict renaming).</summary>
    public string InstanceName { get { lock (_gate) return _instanceLabel; } }

    /// <summary>True once the names are probed and announced.</summary>
    public bool IsAnnounced { get { lock (_gate) return _phase == Phase.Announced; } }

    /// <summary>Raised after every rename, with the new instance and host names.</summary>
    public event Action<string, string>? Renamed;

    /// <summary>Raised when the first announcement of a name set has gone out.</summary>
    public event Action? Announced;

    public void Start()
    {
        _interfaces = _interfaceSource();
        _transport.Join(_interfaces);
        NetworkChange.NetworkAddressChanged += OnNetworkAddressChanged;
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(_stop.Token));
        _lifecycle = Task.Run(() => LifecycleAsync(_stop.Token));
    }

    /// <summary>Re-reads every TXT (the live state changed) and announces the new records if they differ.</summary>
    public void RefreshTxt() => _wake.Release();

    /// <summary>Sends goodbyes (TTL 0) for everything announced and stops.</summary>
    public async Task StopAsync()
    {
        if (_stop.IsCancellationRequested) return;
        NetworkChange.NetworkAddressChanged -= OnNetworkAddressChanged;
        bool announced;
        lock (_gate) announced = _phase is Phase.Announcing or Phase.Announced;
        await _stop.CancelAsync().ConfigureAwait(false);
        try { if (_lifecycle is not null) await _lifecycle.ConfigureAwait(false); } catch (OperationCanceledException) { }
        if (announced)
        {
            foreach (var i in _interfaces)
            {
                var goodbye = DnsMessage.Response();
                goodbye.Answers.AddRange(RecordsFor(i).Records.Where(r => r.Type != DnsType.Nsec).Select(r => r.WithTtl(0)));
                await SendAsync(goodbye, i, CancellationToken.None).ConfigureAwait(false);
            }
            Log("goodbye sent");
        }
        lock (_gate) _phase = Phase.Stopped;
        _transport.Dispose();
        try { if (_receiveLoop is not null) await _receiveLoop.ConfigureAwait(false); } catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
        _cycle.Dispose();
        _wake.Dispose();
    }

    /// <summary>Where the responder reports; defaults to <see cref="MdnsResponderOptions.Log"/>.</summary>
    public Action<string>? LogSink { get; set; }

    private void Log(string message) => (LogSink ?? _options.Log)?.Invoke(message);

    private MdnsRecordSet RecordsFor(MdnsInterface i)
    {
        lock (_gate) return MdnsRecordSet.Build(_hostLabel, _instanceLabel, _options.Services, i.Addresses);
    }

    private MdnsRecordSet AllRecords()
    {
        lock (_gate) return MdnsRecordSet.Build(_hostLabel, _instanceLabel, _options.Services, _interfaces.SelectMany(i => i.Addresses));
    }

    private async Task LifecycleAsync(CancellationToken stop)
    {
        var poll = Task.Delay(_options.AddressPollInterval, stop);
        while (!stop.IsCancellationRequested)
        {
            CancellationTokenSource cycle;
            lock (_gate)
            {
                _cycle.Dispose();
                cycle = _cycle = CancellationTokenSource.CreateLinkedTokenSource(stop);
                _phase = Phase.Probing;
                _restart = RestartReason.None;
            }
            try
            {
                await ProbeAsync(cycle.Token).ConfigureAwait(false);
                lock (_gate) _phase = Phase.Announcing;
                await AnnounceAsync(cycle.Token).ConfigureAwait(false);
                lock (_gate) _phase = Phase.Announced;
                Announced?.Invoke();
                Log($"announced {InstanceName} on {HostName}");
                var lastTxt = TxtFingerprint();
                while (true)
                {
                    var wake = _wake.WaitAsync(cycle.Token);
                    if (await Task.WhenAny(wake, poll).ConfigureAwait(false) == poll)
                    {
                        poll = Task.Delay(_options.AddressPollInterval, stop);
                        if (InterfacesChanged()) Restart(RestartReason.NetworkChanged);
                        continue;
                    }
                    await wake.ConfigureAwait(false);
                    var txt = TxtFingerprint();
                    if (txt != lastTxt)
                    {
                        lastTxt = txt;
                        Log("TXT changed: announcing");
                        await AnnounceAsync(cycle.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                RestartReason reason;
                lock (_gate) reason = _restart;
                // A lost simultaneous-probe tie-break waits one second before probing again (RFC 6762 §8.2).
                if (reason == RestartReason.LostTieBreak)
                    await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
            }
        }
    }

    private string TxtFingerprint() =>
        string.Join("|", _options.Services.SelectMany(s => s.Txt()).Select(p => p.Key + "=" + p.Value));

    private bool InterfacesChanged()
    {
        var now = _interfaceSource();
        static string Describe(IEnumerable<MdnsInterface> list) => string.Join(";", list.Select(i => i.Index + ":" + string.Join(",", i.Addresses)));
        if (Describe(now) == Describe(_interfaces)) return false;
        Log($"interfaces changed: {Describe(now)}");
        _interfaces = now;
        _transport.Join(now);
        return true;
    }

    private void OnNetworkAddressChanged(object? sender, EventArgs e)
    {
        if (!_stop.IsCancellationRequested && InterfacesChanged()) Restart(RestartReason.NetworkChanged);
    }

    private void Restart(RestartReason reason)
    {
        lock (_gate)
        {
            if (_restart != RestartReason.None) return;
            _restart = reason;
            _cycle.Cancel();
        }
    }

    /// <summary>Three probes 250 ms apart, after a random 0-250 ms start delay (RFC 6762 §8.1).</summary>
    private async Task ProbeAsync(CancellationToken cancel)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(0, 250)), cancel).ConfigureAwait(false);
        for (var n = 0; n < 3; n++)
        {
            foreach (var i in _interfaces)
            {
                var set = RecordsFor(i);
                var probe = new DnsMessage();
                foreach (var name in set.InstanceNames.Prepend(set.HostName))
                    probe.Questions.Add(new DnsQuestion(name, DnsType.Any, DnsClass.In, UnicastResponse: n == 0));
                probe.Authorities.AddRange(set.ProbeRecords.Select(r => r.WithTtl(r.Ttl, cacheFlush: false)));
                await SendAsync(probe, i, cancel).ConfigureAwait(false);
            }
            Log($"probe {n + 1} for {InstanceName} / {HostName}");
            await Task.Delay(ProbeInterval, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>Unsolicited responses with every record, twice, a second apart (RFC 6762 §8.3).</summary>
    private async Task AnnounceAsync(CancellationToken cancel)
    {
        for (var n = 0; n < 2; n++)
        {
            if (n > 0) await Task.Delay(AnnounceInterval, cancel).ConfigureAwait(false);
            foreach (var i in _interfaces)
            {
                var message = DnsMessage.Response();
                var set = RecordsFor(i);
                message.Answers.AddRange(set.Records.Where(r => r.Type != DnsType.Nsec));
                message.Additionals.AddRange(set.Records.Where(r => r.Type == DnsType.Nsec));
                await SendAsync(message, i, cancel).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Multicast on <paramref name="on"/>: to both groups, or only to <paramref name="family"/>'s (an answer goes back the way its query came).</summary>
    private async ValueTask SendAsync(DnsMessage message, MdnsInterface on, CancellationToken cancel, System.Net.Sockets.AddressFamily? family = null)
    {
        Remember(message);
        try { await _transport.SendMulticastAsync(message.Encode(), on, family, cancel).ConfigureAwait(false); }
        catch (System.Net.Sockets.SocketException e) { Log($"send on {on.Name} failed: {e.Message}"); }
        catch (ObjectDisposedException) { }
    }

    private async ValueTask SendUnicastAsync(DnsMessage message, IPEndPoint to, CancellationToken cancel)
    {
        Remember(message);
        try { await _transport.SendUnicastAsync(message.Encode(), to, cancel).ConfigureAwait(false); }
        catch (System.Net.Sockets.SocketException e) { Log($"unicast to {to} failed: {e.Message}"); }
        catch (ObjectDisposedException) { }
    }

    /// <summary>Our own packets come back through multicast loopback; what we sent is never a conflict.</summary>
    private void Remember(DnsMessage message)
    {
        lock (_gate)
            foreach (var r in message.AllRecords) _sentHistory.Add(MdnsRecordSet.Key(r));
    }

    private bool SentByUs(DnsRecord r)
    {
        lock (_gate) return _sentHistory.Contains(MdnsRecordSet.Key(r));
    }
}
