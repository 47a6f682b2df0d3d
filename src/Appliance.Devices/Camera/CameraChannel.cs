namespace Appliance.Devices.Camera;

/// <summary>How a camera is doing, as <c>video=status</c> words it: "no", "ok", "run".</summary>
public enum CameraChannelState
{
    /// <summary>Not connected (or failed to open).</summary>
    Absent,
    /// <summary>Connected, not capturing.</summary>
    Ready,
    /// <summary>Capturing.</summary>
    Running,
}

/// <summary>Settings of one camera index.</summary>
public sealed class CameraChannelOptions
{
    public int Width { get; set; } = 1280;
    public int Height { get; set; } = 720;
    /// <summary>Frame rate asked of the device (S_PARM).</summary>
    public int FrameRate { get; set; } = 15;
    public int BufferCount { get; set; } = 4;
    /// <summary>Most frames per second sent to each stream client (<c>param=set framerate</c>); 0 = as the camera delivers. Read per frame: a change applies to running streams.</summary>
    public int StreamFrameRate { get; set; }
    /// <summary>The box stream frames are fitted into (<c>param=set preview_resolution</c>); 0 = the camera's own size.</summary>
    public int StreamMaxWidth { get; set; }
    public int StreamMaxHeight { get; set; }
    /// <summary>Quality when a YUYV camera's frames are encoded for streams.</summary>
    public int StreamJpegQuality { get; set; } = 80;
    /// <summary>How long a grab waits for a frame from a camera it had to open.</summary>
    public TimeSpan GrabTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// One camera index (<c>camidx</c>): the open/close reference count of seed 003 §3.9-3.10, the capture
/// loop, and the frame hub every stream client and grab share. MJPEG frames are published as they came
/// from the device; YUYV frames are encoded once, whatever the number of clients.
/// </summary>
public sealed class CameraChannel : IAsyncDisposable
{
    private readonly Func<V4l2Camera> _open;
    private readonly IYuyvEncoder _encoder;
    // _gate serialises open/close/start/stop; _subscribersGate only guards the client lists, so the capture
    // loop can publish while a stop holds _gate and waits for the loop to end (order: _gate, then _subscribersGate).
    private readonly Lock _gate = new();
    private readonly Lock _subscribersGate = new();
    private readonly List<FrameSubscription> _subscribers = [];
    private readonly List<TaskCompletionSource<CameraFrame>> _grabWaiters = [];
    private V4l2Camera? _camera;
    private Thread? _loop;
    private volatile bool _stopRequested;
    private int _openCount;
    private bool _implicitOpen;

    public CameraChannel(int index, string role, Func<V4l2Camera> open, IYuyvEncoder encoder, CameraChannelOptions? options = null)
    {
        Index = index;
        Role = role;
        _open = open;
        _encoder = encoder;
        Options = options ?? new CameraChannelOptions();
    }

    public int Index { get; }
    public string Role { get; }
    public CameraChannelOptions Options { get; }
    public CameraChannelState State { get; private set; } = CameraChannelState.Absent;
    public string Detail { get; private set; } = "not probed yet";
    public CameraMode? CurrentMode { get; private set; }
    public IReadOnlyList<CameraMode> Modes { get; private set; } = [];
    public int OpenCount { get { lock (_gate) return _openCount; } }

    /// <summary>Raised on every state change (the host forwards it to the health registry).</summary>
    public event Action<CameraChannel>? StateChanged;

    /// <summary>Opens the device once to learn whether it is there and what it offers.</summary>
    public void Probe()
    {
        lock (_gate)
        {
            if (_camera is not null) return;
            try
            {
                using var camera = _open();
                Modes = camera.Modes;
                SetState(CameraChannelState.Ready, $"{camera.Info.Card} ({camera.Info.Driver}), {camera.Modes.Count} modes");
            }
            catch (CameraException e)
            {
                SetState(CameraChannelState.Absent, e.Message);
            }
        }
    }

    /// <summary><c>video=open</c>: one more reference; the first starts capturing.</summary>
    public void Open()
    {
        lock (_gate)
        {
            if (_openCount > 0 && _implicitOpen) _implicitOpen = false; // an explicit open adopts the stream's implicit one
            else
            {
                StartLocked();
                _openCount++;
            }
        }
    }

    /// <summary><c>video=close</c>: one reference fewer; at zero the camera stops and every stream ends with "closed".</summary>
    /// <returns>The count after closing.</returns>
    public int Close()
    {
        lock (_gate)
        {
            if (_openCount == 0) return 0;
            _openCount--;
            if (_openCount == 0) StopLocked(StreamEndReason.Closed, "设备被关闭 / camera closed");
            return _openCount;
        }
    }

    /// <summary>
    /// A stream client. A stream on a closed camera opens it as <c>video=open</c> would (the seed's pages
    /// stream without calling open); that implicit reference goes when the last stream client leaves.
    /// </summary>
    public FrameSubscription Subscribe()
    {
        lock (_gate)
        {
            if (_openCount == 0)
            {
                StartLocked();
                _openCount = 1;
                _implicitOpen = true;
            }
            var subscription = new FrameSubscription(Unsubscribe);
            lock (_subscribersGate) _subscribers.Add(subscription);
            return subscription;
        }
    }

    private void Unsubscribe(FrameSubscription subscription)
    {
        lock (_gate)
        {
            int left;
            lock (_subscribersGate)
            {
                if (!_subscribers.Remove(subscription)) return;
                left = _subscribers.Count;
            }
            if (left == 0 && _implicitOpen && _openCount == 1)
            {
                _openCount = 0;
                _implicitOpen = false;
                StopLocked(StreamEndReason.Closed, "no viewers");
            }
        }
    }

    /// <summary>The next frame as JPEG; opens the camera for the grab if nobody has it open.</summary>
    public async Task<CameraFrame> GrabAsync(CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<CameraFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool opened;
        lock (_gate)
        {
            opened = _openCount == 0;
            if (opened) { StartLocked(); _openCount++; }
            lock (_subscribersGate) _grabWaiters.Add(waiter);
        }
        try
        {
            return await waiter.Task.WaitAsync(Options.GrabTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new CameraException(CameraError.TimedOut, $"camera {Index}: no frame within {Options.GrabTimeout.TotalSeconds:0} s");
        }
        finally
        {
            lock (_subscribersGate) _grabWaiters.Remove(waiter);
            if (opened) Close();
        }
    }

    /// <summary>Runs <paramref name="action"/> on the device: the open one, or opened just for this.</summary>
    public T WithCamera<T>(Func<V4l2Camera, T> action)
    {
        lock (_gate)
        {
            if (_camera is not null) return action(_camera);
            using var camera = _open();
            Modes = camera.Modes;
            return action(camera);
        }
    }

    /// <summary>Changes the capture size; a running camera restarts in the new mode and streams carry on.</summary>
    public CameraMode Resize(int width, int height)
    {
        lock (_gate)
        {
            Options.Width = width;
            Options.Height = height;
            if (_camera is null)
            {
                using var probe = _open();
                Modes = probe.Modes;
                return probe.Configure(width, height);
            }
            StopCaptureLocked();
            StartCaptureLocked();
            return CurrentMode!.Value;
        }
    }

    private void StartLocked()
    {
        if (_camera is not null) return;
        StartCaptureLocked();
    }

    private void StartCaptureLocked()
    {
        V4l2Camera? camera = null;
        try
        {
            camera = _open();
            Modes = camera.Modes;
            CurrentMode = camera.Configure(Options.Width, Options.Height);
            camera.SetFrameRate(Options.FrameRate);
            camera.Start(Options.BufferCount);
        }
        catch (CameraException e)
        {
            camera?.Dispose();
            SetState(CameraChannelState.Absent, e.Message);
            throw;
        }
        _camera = camera;
        _stopRequested = false;
        _loop = new Thread(() => CaptureLoop(camera)) { IsBackground = true, Name = $"camera{Index}" };
        _loop.Start();
        SetState(CameraChannelState.Running, $"{camera.Info.Card}: {CurrentMode}");
    }

    private void StopLocked(StreamEndReason reason, string message)
    {
        StopCaptureLocked();
        lock (_subscribersGate)
        {
            foreach (var s in _subscribers) s.End(reason, message);
            _subscribers.Clear();
            foreach (var w in _grabWaiters) w.TrySetException(new CameraException(reason == StreamEndReason.Removed ? CameraError.Removed : CameraError.Failed, message));
        }
        if (State == CameraChannelState.Running) SetState(CameraChannelState.Ready, "closed");
    }

    private void StopCaptureLocked()
    {
        if (_camera is null) return;
        _stopRequested = true;
        var loop = _loop;
        // The loop polls with a short timeout, so it notices within one period; it never takes _gate while stopping.
        if (loop is not null && loop != Thread.CurrentThread) loop.Join();
        _camera.Dispose();
        _camera = null;
        _loop = null;
    }

    private void CaptureLoop(V4l2Camera camera)
    {
        while (!_stopRequested)
        {
            CameraFrame? frame;
            try
            {
                frame = camera.ReadFrame(200);
            }
            catch (CameraException e)
            {
                ThreadPool.QueueUserWorkItem(_ => OnCaptureFailed(camera, e));
                return;
            }
            if (frame is null) continue;
            if (frame.Format == CameraPixelFormat.Yuyv)
                frame = new CameraFrame(_encoder.EncodeYuyv(frame.Data, frame.Width, frame.Height, Options.StreamJpegQuality, camera.YuyvRange),
                    CameraPixelFormat.Mjpeg, frame.Width, frame.Height, frame.Sequence, frame.CapturedAt);
            Publish(frame);
        }
    }

    private void Publish(CameraFrame frame)
    {
        lock (_subscribersGate)
        {
            foreach (var s in _subscribers) s.Publish(frame);
            foreach (var w in _grabWaiters) w.TrySetResult(frame);
        }
    }

    private void OnCaptureFailed(V4l2Camera camera, CameraException e)
    {
        lock (_gate)
        {
            if (_camera != camera) return; // already stopped or restarted
            var removed = e.Error == CameraError.Removed;
            _openCount = 0;
            _implicitOpen = false;
            StopLocked(removed ? StreamEndReason.Removed : StreamEndReason.Failed, removed ? "设备被移除 / camera removed" : "设备异常 / camera failed");
            SetState(CameraChannelState.Absent, e.Message);
        }
    }

    private void SetState(CameraChannelState state, string detail)
    {
        State = state;
        Detail = detail;
        StateChanged?.Invoke(this);
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _openCount = 0;
            StopLocked(StreamEndReason.Closed, "设备被关闭 / terminal stopping");
        }
        return ValueTask.CompletedTask;
    }
}
