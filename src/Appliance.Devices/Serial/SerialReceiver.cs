namespace Appliance.Devices.Serial;

/// <summary>
/// For devices that only talk (scanners, stripe readers): keeps reading the link, hands bytes to a framer,
/// reports a quiet gap (so a half-sent frame can be dropped) and a disconnect (so waiting callers fail).
/// </summary>
internal sealed class SerialReceiver : IAsyncDisposable
{
    private readonly SerialLink _link;
    private readonly Action<ReadOnlySpan<byte>> _onBytes;
    private readonly Action _onGap;
    private readonly Action<Exception> _onDisconnect;
    private readonly TimeSpan _gap;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public SerialReceiver(SerialLink link, TimeSpan gap, Action<ReadOnlySpan<byte>> onBytes, Action onGap, Action<Exception> onDisconnect)
    {
        _link = link;
        _gap = gap;
        _onBytes = onBytes;
        _onGap = onGap;
        _onDisconnect = onDisconnect;
    }

    public SerialLink Link => _link;

    public void Start()
    {
        _link.Start();
        _loop ??= Task.Run(() => RunAsync(_stop.Token));
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var buffer = new byte[256];
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _link.WaitReadyAsync(stop).ConfigureAwait(false);
                await _link.RunAsync<bool>(async (s, ct) =>
                {
                    while (true)
                    {
                        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
                        quiet.CancelAfter(_gap);
                        int n;
                        try
                        {
                            n = await s.ReadAsync(buffer, quiet.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                        {
                            _onGap();
                            continue;
                        }
                        if (n == 0) throw new TtyHangupException(_link.Name, "end of stream");
                        _onBytes(buffer.AsSpan(0, n));
                    }
                }, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (DeviceException e)
            {
                _onGap();
                _onDisconnect(e);
            }
        }
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _link.DisposeAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try { await _loop.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        _stop.Dispose();
    }
}
