using Appliance.Devices.Display;
using Appliance.Devices.Pen;
using Appliance.Ui.Composition;
using Appliance.Ui.Images;
using Appliance.Core.Documents;
using Appliance.Core.Screen;
using Appliance.Documents.Pdf.Rendering;
using Appliance.Ui.Text;
using Appliance.Ui.Windows;
using SkiaSharp;

namespace Appliance.Ui;

/// <summary>
/// The terminal's screen, one façade for everything the tasks show: the signature window, the evaluation window,
/// the floating button group, the advertising carousel, prompts and the idle screen (the document window and pairing in
/// their own files). Feed it the pen with
/// <see cref="HandlePen"/>; it draws through a compositor onto the framebuffer. Thread-safe.
/// </summary>
public sealed partial class ScreenService : IDisposable
{
    private readonly Compositor _compositor;
    private readonly FontSet _fonts;
    private readonly ImageLoader _images;
    private readonly int _minTarget;
    private readonly double _pixelsPerMm;
    private readonly IdleScreen _idle;
    private long _lastPenMilliseconds;
    private SignatureWindow? _signature;
    private EvaluationWindow? _evaluation;
    private FloatingButtonGroupWindow? _floating;
    private PromptWindow? _prompt;
    private Carousel? _carousel;
    /// <summary>Work a tap asked for that calls outside the screen (revoke, cancel a code): run after the lock is released.</summary>
    private readonly List<Action> _afterPen = [];

    /// <exception cref="FontLoadException">when the CJK font cannot be loaded: the screen cannot start.</exception>
    public ScreenService(IFramebuffer framebuffer, ScreenSettings settings, ImageLoader? images = null)
    {
        _fonts = FontSet.Load(settings.CjkFontPath);
        _minTarget = settings.MinTargetPx;
        _pixelsPerMm = settings.PixelsPerMm;
        _fonts.Scale = Math.Clamp(settings.TextScale, 1f, 2f);
        _fonts.MinSize = settings.MinTextPx;
        _images = images ?? new ImageLoader();
        var presenter = new FramebufferPresenter(framebuffer, settings.Rotation);
        _idle = new IdleScreen(presenter.Width, presenter.Height, _fonts);
        _compositor = new Compositor(presenter, _idle);
        Framebuffer = framebuffer;
        lock (_compositor.Gate) _compositor.Render();
    }

    public IFramebuffer Framebuffer { get; }

    /// <summary>Large-text mode (issue 23): every window's text at this multiple of its size, 1 to 2 (1 = normal).</summary>
    /// <remarks>Windows opened afterwards are laid out for it; what is on screen is redrawn with it at once.</remarks>
    public float TextScale
    {
        get { lock (_compositor.Gate) return _fonts.Scale; }
        set
        {
            lock (_compositor.Gate)
            {
                var scale = Math.Clamp(value, 1f, 2f);
                if (scale == _fonts.Scale) return;
                _fonts.Scale = scale;
                _compositor.Invalidate(_compositor.Screen);
                _compositor.Render();
            }
        }
    }

    /// <summary>The screen's CJK typeface (board profile <c>fonts.cjk</c>), for pictures drawn elsewhere that show its text (stream notices).</summary>
    public SkiaSharp.SKTypeface Typeface => _fonts.Typeface;

    /// <summary>Logical size, as the person sees the screen.</summary>
    public int Width => _compositor.Width;
    public int Height => _compositor.Height;

    /// <summary>Increases each time pixels reach the framebuffer (for viewers: "has the screen changed?").</summary>
    public long FrameVersion => _compositor.Frames;

    /// <summary>True while a signature window is on screen.</summary>
    public bool IsSigning { get { lock (_compositor.Gate) return _signature is not null; } }

    // ---------------------------------------------------------------- pen

    /// <summary>One pen sample in screen pixels (from <see cref="PenReader.Sample"/>); routed to the window under the pen.</summary>
    /// <summary>How long since the pen last sent a sample (<see cref="TimeSpan.MaxValue"/> before the first one).</summary>
    public TimeSpan PenQuietFor
    {
        get
        {
            var last = Interlocked.Read(ref _lastPenMilliseconds);
            return last == 0 ? TimeSpan.MaxValue : TimeSpan.FromMilliseconds(Environment.TickCount64 - last);
        }
    }

    public void HandlePen(PenPoint point)
    {
        Interlocked.Exchange(ref _lastPenMilliseconds, Environment.TickCount64);
        Action[] after;
        lock (_compositor.Gate)
        {
            _compositor.HandlePen(point);
            if (_afterPen.Count == 0) return;
            after = [.. _afterPen];
            _afterPen.Clear();
        }
        foreach (var action in after) action();
    }

    /// <summary>The buttons the pen can tap now (each the topmost window at its centre), in logical screen pixels, top first.</summary>
    public IReadOnlyList<ScreenButton> Buttons()
    {
        lock (_compositor.Gate)
        {
            var result = new List<ScreenButton>();
            foreach (var w in _compositor.Windows.Reverse())
                foreach (var b in w.Buttons)
                {
                    var r = b.Rect.Offset(w.Bounds.Left, w.Bounds.Top);
                    if (_compositor.WindowAt((r.Left + r.Right) / 2f, (r.Top + r.Bottom) / 2f) == w) result.Add(new ScreenButton(b.Id, b.Text, r));
                }
            return result;
        }
    }

    // ---------------------------------------------------------------- signature (§9.1)

    /// <summary>
    /// Shows the sign window and waits for the person: <see cref="SignatureOutcome.Confirmed"/> (OK pressed with ink on
    /// the pad) or <see cref="SignatureOutcome.Cancelled"/> (return button). Reset clears and keeps waiting.
    /// Cancelling <paramref name="cancellationToken"/> closes the window (<c>sign=stop</c>) and throws
    /// <see cref="OperationCanceledException"/>. The window is closed when this returns.
    /// </summary>
    /// <exception cref="ScreenBusyException">a signature window is already on screen.</exception>
    /// <exception cref="UiImageException">the background image cannot be loaded.</exception>
    public async Task<SignatureOutcome> ShowSignatureAsync(SignatureWindowOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (IsSigning) throw new ScreenBusyException("a signature window is already on screen");
        var background = options.BackgroundImage is { } source ? await _images.LoadAsync(source, cancellationToken).ConfigureAwait(false) : null;
        SignatureWindow window;
        lock (_compositor.Gate)
        {
            if (_signature is not null)
            {
                background?.Dispose();
                throw new ScreenBusyException("a signature window is already on screen");
            }
            var bounds = options.Pos.Resolve(Width, Height).Intersect(_compositor.Screen);
            if (bounds.IsEmpty)
            {
                background?.Dispose();
                throw new ScreenPlacementException($"签名窗口位置超出 {Width}x{Height} 屏幕 / the sign window's pos lies outside the {Width}x{Height} screen");
            }
            window = new SignatureWindow(bounds, options, _fonts, background, _minTarget);
            _signature = window;
            _compositor.Add(window);
            _compositor.Render();
        }
        try
        {
            using var _ = cancellationToken.Register(() => { lock (_compositor.Gate) window.Cancel(); });
            return await window.Outcome.ConfigureAwait(false);
        }
        finally
        {
            lock (_compositor.Gate)
            {
                if (_signature == window) _signature = null;
                _compositor.Remove(window);
                _compositor.Render();
            }
        }
    }

    /// <summary>Clears the ink of the sign window on screen (as its reset button does). False when none is shown.</summary>
    public bool ResetSignature()
    {
        lock (_compositor.Gate)
        {
            if (_signature is null) return false;
            _signature.Reset();
            _compositor.Render();
            return true;
        }
    }

    // ---------------------------------------------------------------- evaluation (§9.8)

    /// <summary>
    /// Shows the evaluation window and returns the <c>content</c> of the button the person taps; the window closes then.
    /// Cancelling (<c>sign=closeevaluator</c>) closes it and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <exception cref="ScreenBusyException">an evaluation window is already on screen.</exception>
    public async Task<string> ShowEvaluationAsync(EvaluationWindowOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var icons = await LoadIconsAsync(options.Buttons.Select(b => (b.Icon, b.IconImage)), cancellationToken).ConfigureAwait(false);
        EvaluationWindow window;
        lock (_compositor.Gate)
        {
            if (_evaluation is not null) throw new ScreenBusyException("an evaluation window is already on screen");
            window = new EvaluationWindow(Resolve(options.Pos), options, _fonts, icons);
            _evaluation = window;
            _compositor.Add(window);
            _compositor.Render();
        }
        try
        {
            using var _ = cancellationToken.Register(() => { lock (_compositor.Gate) window.Cancel(); });
            return await window.FirstChoice.ConfigureAwait(false);
        }
        finally
        {
            lock (_compositor.Gate)
            {
                if (_evaluation == window) _evaluation = null;
                _compositor.Remove(window);
                _compositor.Render();
            }
        }
    }

    // ---------------------------------------------------------------- floating buttons (§9.15-9.17)

    /// <summary>
    /// Shows the floating button group (replacing one already shown). It stays until <see cref="CloseFloatingButtons"/>;
    /// the returned handle reports clicks.
    /// </summary>
    /// <exception cref="UiImageException">a button's icon file cannot be loaded.</exception>
    public async Task<FloatingButtonGroup> ShowFloatingButtonsAsync(FloatingButtonGroupOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var icons = await LoadIconsAsync(options.Buttons.Select(b => (b.Icon, b.IconImage)), cancellationToken).ConfigureAwait(false);
        lock (_compositor.Gate)
        {
            if (_floating is not null) _compositor.Remove(_floating);
            var group = new FloatingButtonGroup();
            _floating = new FloatingButtonGroupWindow(Resolve(options.Pos), options, _fonts, icons, group, _minTarget);
            _compositor.Add(_floating);
            _compositor.Render();
            return group;
        }
    }

    /// <summary>Closes the floating button group. False when none is shown.</summary>
    public bool CloseFloatingButtons()
    {
        lock (_compositor.Gate)
        {
            if (_floating is null) return false;
            _compositor.Remove(_floating);
            _floating = null;
            _compositor.Render();
            return true;
        }
    }

    // ---------------------------------------------------------------- carousel (§9.18-9.19)

    /// <summary>
    /// Loads every picture (all must load; the error names the first that did not), then shows them full screen
    /// under any window, one after another every <see cref="CarouselOptions.Interval"/>, until <see cref="StopCarousel"/>.
    /// Replaces a carousel already running.
    /// </summary>
    /// <exception cref="UiImageException">a picture cannot be loaded.</exception>
    public async Task StartCarouselAsync(CarouselOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Pictures.Count == 0) throw new ArgumentException("the carousel needs at least one picture", nameof(options));
        if (options.Interval <= TimeSpan.Zero) throw new ArgumentException("the carousel interval must be positive", nameof(options));
        var bitmaps = new List<SKBitmap>();
        try
        {
            for (var i = 0; i < options.Pictures.Count; i++)
            {
                try { bitmaps.Add(await _images.LoadAsync(options.Pictures[i], cancellationToken).ConfigureAwait(false)); }
                catch (UiImageException e) { throw new UiImageException($"piclist[{i}]: {e.Message}", e.Failure, e); }
            }
        }
        catch
        {
            foreach (var b in bitmaps) b.Dispose();
            throw;
        }
        lock (_compositor.Gate)
        {
            _carousel?.Dispose();
            _carousel = new Carousel(Width, Height, bitmaps, options.Interval, _compositor);
            _compositor.BaseLayer = _carousel;
            UpdatePairedPcsButton();
            _compositor.Render();
        }
    }

    /// <summary>Stops the carousel and shows the idle screen again. False when none runs.</summary>
    public bool StopCarousel()
    {
        lock (_compositor.Gate)
        {
            if (_carousel is null) return false;
            _carousel.Dispose();
            _carousel = null;
            _compositor.BaseLayer = _idle;
            UpdatePairedPcsButton();
            _compositor.Render();
            return true;
        }
    }

    public bool IsCarouselRunning { get { lock (_compositor.Gate) return _carousel is not null; } }

    // ---------------------------------------------------------------- prompt, idle

    /// <summary>Shows (or replaces) the prompt box above every window: "请按手指 / place your finger".</summary>
    public void ShowPrompt(PromptOptions prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        lock (_compositor.Gate)
        {
            if (_prompt is not null) _compositor.Remove(_prompt);
            _prompt = new PromptWindow(Width, Height, prompt, _fonts);
            _compositor.Add(_prompt);
            _compositor.Render();
        }
    }

    /// <summary>Shows text only, as <see cref="ShowPrompt(PromptOptions)"/>.</summary>
    public void ShowPrompt(string text, string? detail = null) => ShowPrompt(new PromptOptions { Text = text, Detail = detail });

    public void ClearPrompt()
    {
        lock (_compositor.Gate)
        {
            if (_prompt is null) return;
            _compositor.Remove(_prompt);
            _prompt = null;
            _compositor.Render();
        }
    }

    /// <summary>Sets what the idle screen shows (name, addresses, pairing state); visible whenever no carousel runs.</summary>
    public void ShowIdle(IdleScreenInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        lock (_compositor.Gate)
        {
            _idle.Info = info;
            if (_carousel is null) _compositor.Invalidate(_compositor.Screen);
            _compositor.Render();
        }
    }

    /// <summary>Updates just the pairing line of the idle screen ("已配对 2 台电脑 / 2 PCs paired").</summary>
    public void SetPairingState(string state)
    {
        IdleScreenInfo info;
        lock (_compositor.Gate) info = _idle.Info;
        ShowIdle(info with { PairingState = state });
    }

    public IdleScreenInfo IdleInfo { get { lock (_compositor.Gate) return _idle.Info; } }

    // ---------------------------------------------------------------- capture

    /// <summary>What the panel shows now, read back from the framebuffer, as a PNG in the person's orientation.</summary>
    public byte[] CapturePng()
    {
        lock (_compositor.Gate) return _compositor.CaptureFramebufferPng();
    }

    /// <summary>What the panel shows now as BGRA pixels, <see cref="Width"/> × <see cref="Height"/>, rows top to bottom (for encoders that take raw pixels).</summary>
    public byte[] CaptureBgra()
    {
        lock (_compositor.Gate) return _compositor.CaptureFramebufferBgra();
    }

    private PixelRect Resolve(UiPos pos)
    {
        var r = pos.Resolve(Width, Height).Intersect(_compositor.Screen);
        return r.IsEmpty ? throw new ScreenPlacementException($"窗口位置超出 {Width}x{Height} 屏幕 / pos lies outside the {Width}x{Height} screen") : r;
    }

    /// <summary>Icons by their key (<see cref="EvaluationButton.Icon"/>): only those with a picture, built-in faces are drawn.</summary>
    private async Task<Dictionary<string, SKBitmap>> LoadIconsAsync(IEnumerable<(string Key, UiImageSource? Image)> icons, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, SKBitmap>(StringComparer.Ordinal);
        foreach (var (key, image) in icons)
        {
            if (image is null || result.ContainsKey(key)) continue;
            result[key] = await _images.LoadAsync(image, cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    public void Dispose()
    {
        lock (_compositor.Gate)
        {
            _carousel?.Dispose();
            foreach (var w in _compositor.Windows.ToList()) _compositor.Remove(w);
            // Under the gate: the tasks of the windows just closed render once more as they finish (their finally).
            _compositor.Dispose();
        }
        _fonts.Dispose();
    }
}
