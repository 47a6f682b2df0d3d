using Appliance.Devices.Display;
using Appliance.Devices.Pen;
using Appliance.TestSupport;

namespace Appliance.Ui.Tests;

/// <summary>
/// A screen on an in-memory framebuffer whose pen is the real driver reading a real FIFO, as on the sim board.
/// Tests write recorded strokes into the FIFO and wait until the driver has delivered them to the screen.
/// </summary>
internal sealed class SignPad : IAsyncDisposable
{
    public const string FontPath = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
    private readonly TempDir _dir = new("signpad-");
    private readonly CancellationTokenSource _stop = new();
    private readonly Stream _writer;
    private readonly PenReader _reader;
    private readonly Task _reading;
    private long _delivered;
    private long _written;
    private readonly Lock _waitGate = new();
    private readonly List<(long Count, TaskCompletionSource Done)> _waiters = [];
    private long _clockMicroseconds = 1_700_000_000_000_000;
    private readonly int _rotation;

    /// <param name="pixelsPerMm">The panel's density (a 10.1-inch 1280x800 panel's by default).</param>
    public SignPad(int panelWidth = 1280, int panelHeight = 800, int rotation = 0, FramebufferPixelFormat format = FramebufferPixelFormat.Xrgb8888, int stride = 0,
        double pixelsPerMm = 5.91)
    {
        _rotation = rotation;
        Framebuffer = new MemoryFramebuffer(panelWidth, panelHeight, format, stride);
        Screen = new ScreenService(Framebuffer, new ScreenSettings { CjkFontPath = FontPath, Rotation = rotation, PixelsPerMm = pixelsPerMm });
        PipePath = Path.Combine(_dir.Path, "sim", "pen");
        PenPipe.Create(PipePath);
        var mapper = new PenCoordinateMapper(PenAxes.ForSimulatedScreen(panelWidth, panelHeight),
            new PenMapping { PanelWidth = panelWidth, PanelHeight = panelHeight, Rotation = rotation });
        _reader = new PenReader(PenPipe.OpenForReading(PipePath), mapper);
        _reader.Sample += Screen.HandlePen;
        _reader.Sample += _ => Delivered();
        _writer = PenPipe.OpenForWriting(PipePath);
        _reading = _reader.RunAsync(_stop.Token);
    }

    public MemoryFramebuffer Framebuffer { get; }
    public ScreenService Screen { get; }
    public string PipePath { get; }
    public PenReader Reader => _reader;

    /// <summary>Writes pen samples as evdev does (ABS_X, ABS_Y, ABS_PRESSURE, BTN_TOUCH on change, SYN_REPORT) in panel pixels.</summary>
    public async Task DrawAsync(params (double X, double Y, double Pressure)[] points)
    {
        var events = new List<InputEvent>();
        for (var i = 0; i < points.Length; i++)
        {
            var (x, y, p) = points[i];
            _clockMicroseconds += 5_000;
            events.Add(InputEvent.At(_clockMicroseconds, InputCodes.EV_ABS, InputCodes.ABS_X, (int)Math.Round(x)));
            events.Add(InputEvent.At(_clockMicroseconds, InputCodes.EV_ABS, InputCodes.ABS_Y, (int)Math.Round(y)));
            events.Add(InputEvent.At(_clockMicroseconds, InputCodes.EV_ABS, InputCodes.ABS_PRESSURE, (int)Math.Round(p * 4095)));
            if (i == 0)
            {
                events.Add(InputEvent.At(_clockMicroseconds, InputCodes.EV_KEY, InputCodes.BTN_TOOL_PEN, 1));
                events.Add(InputEvent.At(_clockMicroseconds, InputCodes.EV_KEY, InputCodes.BTN_TOUCH, 1));
            }
            events.Add(InputEvent.At(_clockMicroseconds, InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0));
        }
        _clockMicroseconds += 5_000;
        events.Add(InputEvent.At(_clockMicroseconds, InputCodes.EV_ABS, InputCodes.ABS_PRESSURE, 0));
        events.Add(InputEvent.At(_clockMicroseconds, InputCodes.EV_KEY, InputCodes.BTN_TOUCH, 0));
        events.Add(InputEvent.At(_clockMicroseconds, InputCodes.EV_KEY, InputCodes.BTN_TOOL_PEN, 0));
        events.Add(InputEvent.At(_clockMicroseconds, InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0));
        await WriteAsync(events, points.Length + 1);
    }

    /// <summary>A straight stroke sampled every <paramref name="step"/> pixels.</summary>
    public Task LineAsync(double x0, double y0, double x1, double y1, double pressure = 0.5, double step = 4)
    {
        var n = Math.Max(2, (int)Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)) / step) + 1);
        var pts = Enumerable.Range(0, n).Select(i => (x0 + (x1 - x0) * i / (n - 1), y0 + (y1 - y0) * i / (n - 1), pressure)).ToArray();
        return DrawAsync(pts);
    }

    /// <summary>One stroke through the given points, sampled every <paramref name="step"/> pixels as a real pen reports it.</summary>
    public Task PolylineAsync(double step, params (double X, double Y, double Pressure)[] corners)
    {
        var pts = new List<(double, double, double)>();
        for (var i = 0; i + 1 < corners.Length; i++)
        {
            var (a, b) = (corners[i], corners[i + 1]);
            var n = Math.Max(1, (int)Math.Ceiling(Math.Max(Math.Abs(b.X - a.X), Math.Abs(b.Y - a.Y)) / step));
            for (var k = 0; k < n; k++)
                pts.Add((a.X + (b.X - a.X) * k / n, a.Y + (b.Y - a.Y) * k / n, a.Pressure + (b.Pressure - a.Pressure) * k / n));
        }
        pts.Add(corners[^1]);
        return DrawAsync([.. pts]);
    }

    public Task TapAsync(double x, double y) => DrawAsync((x, y, 0.5));

    /// <summary>A tap where the person sees (<paramref name="x"/>, <paramref name="y"/>) on a panel mounted turned: the pen reports panel coordinates.</summary>
    public Task TapOnScreenAsync(double x, double y)
    {
        var (px, py) = Appliance.Devices.Display.ScreenRotation.LogicalToPhysical((int)Math.Round(x), (int)Math.Round(y), Framebuffer.Width, Framebuffer.Height, _rotation);
        return TapAsync(px, py);
    }

    /// <summary>Writes raw records and waits until the driver delivered <paramref name="samples"/> more samples to the screen.</summary>
    public async Task WriteAsync(IReadOnlyList<InputEvent> events, int samples)
    {
        var target = Interlocked.Add(ref _written, samples);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitGate)
        {
            if (Interlocked.Read(ref _delivered) >= target) done.TrySetResult();
            else _waiters.Add((target, done));
        }
        // PIPE_BUF atomicity is per write; large strokes go in chunks of whole records.
        for (var i = 0; i < events.Count; i += 150)
            PenPipe.Write(_writer, events.Skip(i).Take(150).ToArray());
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private void Delivered()
    {
        var n = Interlocked.Increment(ref _delivered);
        lock (_waitGate)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
                if (_waiters[i].Count <= n) { _waiters[i].Done.TrySetResult(); _waiters.RemoveAt(i); }
        }
    }

    /// <summary>Opens a signature window (the seed's defaults) and waits until it is on screen; disposing the handle closes it.</summary>
    public async Task<IAsyncDisposable> OpenSignatureWindowAsync(CancellationToken ct)
    {
        var close = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var window = Screen.ShowSignatureAsync(new Core.Screen.SignatureWindowOptions(), close.Token);
        await WaitUntilAsync(() => Screen.IsSigning || window.IsCompleted, "the signature window");
        if (window.IsCompleted) await window; // failed to open: its exception
        return new OpenSignatureWindow(close, window);
    }

    private sealed class OpenSignatureWindow(CancellationTokenSource close, Task<Core.Screen.SignatureOutcome> window) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await close.CancelAsync();
            try { await window; }
            catch (OperationCanceledException) { } // closed, as asked
            close.Dispose();
        }
    }

    /// <summary>What the panel's memory holds, as a PNG in the panel's own orientation (not the screen's logical one).</summary>
    public byte[] PanelPng()
    {
        using var bitmap = new SkiaSharp.SKBitmap(Framebuffer.Width, Framebuffer.Height, SkiaSharp.SKColorType.Bgra8888, SkiaSharp.SKAlphaType.Opaque);
        for (var y = 0; y < Framebuffer.Height; y++)
            for (var x = 0; x < Framebuffer.Width; x++)
                bitmap.SetPixel(x, y, new SkiaSharp.SKColor(PanelPixel(x, y) | 0xFF000000));
        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The framebuffer pixel at panel coordinates as 0xRRGGBB.</summary>
    public unsafe uint PanelPixel(int x, int y)
    {
        var fb = Framebuffer;
        var row = (byte*)fb.Address + y * fb.Stride;
        if (fb.Format == FramebufferPixelFormat.Rgb565)
        {
            uint v = *(ushort*)(row + x * 2);
            uint r = (v >> 11) & 0x1F, g = (v >> 5) & 0x3F, b = v & 0x1F;
            return (((r << 3) | (r >> 2)) << 16) | (((g << 2) | (g >> 4)) << 8) | ((b << 3) | (b >> 2));
        }
        return *(uint*)(row + x * 4) & 0xFFFFFF;
    }

    public uint Pixel(int x, int y) => PanelPixel(x, y);

    public static bool IsDark(uint rgb) => ((rgb >> 16) & 0xFF) < 100 && ((rgb >> 8) & 0xFF) < 100 && (rgb & 0xFF) < 100;

    /// <summary>Waits for a condition on the screen that a timer (carousel) brings about.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _reading.WaitAsync(TimeSpan.FromSeconds(10)); } catch (OperationCanceledException) { }
        _writer.Dispose();
        _reader.Dispose();
        Screen.Dispose();
        Framebuffer.Dispose();
        _stop.Dispose();
        _dir.Dispose();
    }
}
