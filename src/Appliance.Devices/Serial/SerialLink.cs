namespace Appliance.Devices.Serial;

/// <summary>Where a serial device is: the states a link moves through, as the health registry shows them.</summary>
public enum SerialLinkState
{
    Connecting,
    Ready,
    Absent,
    Faulted,
    Closed,
}

/// <summary>
/// Keeps one serial device connected: opens it through the injected transport factory, checks it answers
/// (the driver's probe), serialises the driver's operations on it, and when it hangs up (unplugged) drops
/// it and keeps retrying until it comes back. State changes are reported through <see cref="StateChanged"/>.
/// </summary>
public sealed class SerialLink : IAsyncDisposable
{
    private readonly Func<Stream> _open;
    private readonly Func<Stream, CancellationToken, Task>? _probe;
    private readonly Func<DeviceErrorKind, string, Exception?, Exception> _error;
    private readonly TimeSpan _retryInterval;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _stateLock = new();
    private Stream? _stream;
    private Task? _loop;
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _dropped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="name">Device name for messages (<c>idCard</c>).</param>
    /// <param name="open">Opens the transport; throws <see cref="FileNotFoundException"/> when the device is not there.</param>
    /// <param name="probe">Checks a freshly opened device answers; throws when it does not.</param>
    /// <param name="error">Makes the module's typed exception.</param>
    public SerialLink(string name, Func<Stream> open, Func<Stream, CancellationToken, Task>? probe,
        Func<DeviceErrorKind, string, Exception?, Exception> error, TimeSpan? retryInterval = null)
    {
        Name = name;
        _open = open;
        _probe = probe;
        _error = error;
        _retryInterval = retryInterval ?? TimeSpan.FromSeconds(1);
    }

    public string Name { get; }
    public SerialLinkState State { get; private set; } = SerialLinkState.Connecting;
    public string Detail { get; private set; } = "";

    /// <summary>Raised from the link's loop on every state change (state, human-readable detail).</summary>
    public event Action<SerialLinkState, string>? StateChanged;

    /// <summary>Starts the connect/watch loop. Idempotent.</summary>
    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Completes when the link is (or next becomes) ready.</summary>
    public Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        lock (_stateLock) return _ready.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Runs one operation with exclusive use of the device. Fails at once with <see cref="DeviceErrorKind.Absent"/>
    /// when the device is not connected; a hang-up during the operation fails it with
    /// <see cref="DeviceErrorKind.Disconnected"/> and sends the link back to reconnecting.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<Stream, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = _stream ?? throw _error(DeviceErrorKind.Absent, $"{Name} is not connected ({Detail})", null);
            try
            {
                return await operation(stream, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TtyHangupException or ObjectDisposedException || (e is IOException && IsHungUp(stream)))
            {
                DropLocked($"unplugged: {e.Message}");
                throw _error(DeviceErrorKind.Disconnected, $"{Name} was unplugged during the operation", e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static bool IsHungUp(Stream stream) => stream is TtyStream tty && tty.HasHungUp();

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (_stream is null)
            {
                await TryConnectAsync(stop).ConfigureAwait(false);
                if (_stream is null)
                {
                    await Delay(_retryInterval, stop).ConfigureAwait(false);
                    continue;
                }
            }
            // Connected: wake on a drop reported by an operation, or look for a hang-up every half second.
            Task dropped;
            lock (_stateLock) dropped = _dropped.Task;
            await Task.WhenAny(dropped, Task.Delay(TimeSpan.FromMilliseconds(500), stop)).ConfigureAwait(false);
            if (_stream is { } s && IsHungUp(s))
            {
                await _gate.WaitAsync(stop).ConfigureAwait(false);
                try { if (_stream == s) DropLocked("unplugged (hang-up)"); }
                finally { _gate.Release(); }
            }
        }
    }

    private async Task TryConnectAsync(CancellationToken stop)
    {
        Stream stream;
        try
        {
            stream = _open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            SetState(e is FileNotFoundException ? SerialLinkState.Absent : SerialLinkState.Faulted, e.Message);
            return;
        }
        await _gate.WaitAsync(stop).ConfigureAwait(false);
        try
        {
            if (_probe is not null)
            {
                using var probeTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                probeTimeout.CancelAfter(TimeSpan.FromSeconds(5));
                await _probe(stream, probeTimeout.Token).ConfigureAwait(false);
            }
            _stream = stream;
            lock (_stateLock) _dropped = new(TaskCreationOptions.RunContinuationsAsynchronously);
            SetState(SerialLinkState.Ready, "connected");
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            SetState(SerialLinkState.Faulted, $"opened but does not answer: {e.Message}");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Called with the gate held.</summary>
    private void DropLocked(string why)
    {
        var s = _stream;
        _stream = null;
        s?.Dispose();
        SetState(SerialLinkState.Absent, why);
        lock (_stateLock) _dropped.TrySetResult();
    }

    private void SetState(SerialLinkState state, string detail)
    {
        lock (_stateLock)
        {
            if (State == state && Detail == detail) return;
            State = state;
            Detail = detail;
            if (state == SerialLinkState.Ready) _ready.TrySetResult();
            else if (_ready.Task.IsCompleted) _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        StateChanged?.Invoke(state, detail);
    }

    private static async Task Delay(TimeSpan delay, CancellationToken stop)
    {
        try { await Task.Delay(delay, stop).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try { await _loop.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _stream?.Dispose();
            _stream = null;
        }
        finally
        {
            _gate.Release();
        }
        SetState(SerialLinkState.Closed, "closed");
        _stop.Dispose();
    }
}
