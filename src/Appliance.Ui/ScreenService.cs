using Appliance.Devices.Display;
using Appliance.Devices.Pen;
using Appliance.Ui.Composition;
using Appliance.Ui.Images;
using Appliance.Ui.Options;
using Appliance.Ui.Text;
using Appliance.Ui.Windows;
using SkiaSharp;

namespace Appliance.Ui;

/// <summary>
/// The terminal's screen, one façade for everything the tasks show: the signature window, the evaluation window,
/// the floating button group, the advertising carousel, prompts and the idle screen. Feed it the pen with
/// <see cref="HandlePen"/>; it draws through a compositor onto the framebuffer. Thread-safe.
/// </summary>
public sealed class ScreenService : IDisposable
{
    private readonly Compositor _compositor;
    private readonly FontSet _fonts;
    private readonly ImageLoader _images;
    private readonly IdleScreen _idle;
    private SignatureWindow? _signature;
    private EvaluationWindow? _evaluation;
    private FloatingButtonGroupWindow? _floating;
    private PromptWindow? _prompt;
    private Carousel? _carousel;

    /// <exception cref="FontLoadException">when the CJK font cannot be loaded: the screen cannot start.</exception>
    public ScreenService(IFramebuffer framebuffer, ScreenSettings settings, ImageLoader? images = null)
    {
        _fonts = FontSet.Load(settings.CjkFontPath);
        _images = images ?? new ImageLoader();
        var presenter = new FramebufferPresenter(framebuffer, settings.Rotation);
        _idle = new IdleScreen(presenter.Width, presenter.Height, _fonts);
        _compositor = new Compositor(presenter, _idle);
        Framebuffer = framebuffer;
        lock (_compositor.Gate) _compositor.Render();
    }

    public IFramebuffer Framebuffer { get; }

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
    public void HandlePen(PenPoint point)
    {
        lock (_compositor.Gate) _compositor.HandlePen(point);
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
                throw new ArgumentException($"the sign window's pos lies outside the {Width}x{Height} screen", nameof(options));
            }
            window = new SignatureWindow(bounds, options, _fonts, background);
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
        var icons = await LoadIconsAsync(options.Buttons.Select(b => b.Icon), cancellationToken).ConfigureAwait(false);
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
        var icons = await LoadIconsAsync(options.Buttons.Select(b => b.Icon), cancellationToken).ConfigureAwait(false);
        lock (_compositor.Gate)
        {
            if (_floating is not null) _compositor.Remove(_floating);
            var group = new FloatingButtonGroup();
            _floating = new FloatingButtonGroupWindow(Resolve(options.Pos), options, _fonts, icons, group);
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
                catch (UiImageException e) { throw new UiImageException($"piclist[{i}]: {e.Message}", e); }
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

    /// <summary>Sets what the idle screen shows (name, addresses, pairing state and code); visible whenever no carousel runs.</summary>
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

    /// <summary>Updates just the pairing line and code of the idle screen (e.g. a 6-digit code while pairing; null code when done).</summary>
    public void SetPairing(string state, string? code)
    {
        IdleScreenInfo info;
        lock (_compositor.Gate) info = _idle.Info;
        ShowIdle(info with { PairingState = state, PairingCode = code });
    }

    public IdleScreenInfo IdleInfo { get { lock (_compositor.Gate) return _idle.Info; } }

    // ---------------------------------------------------------------- capture

    /// <summary>What the panel shows now, read back from the framebuffer, as a PNG in the person's orientation.</summary>
    public byte[] CapturePng()
    {
        lock (_compositor.Gate) return _compositor.CaptureFramebufferPng();
    }

    private Geometry.PixelRect Resolve(Geometry.UiPos pos)
    {
        var r = pos.Resolve(Width, Height).Intersect(_compositor.Screen);
        return r.IsEmpty ? throw new ArgumentException($"pos lies outside the {Width}x{Height} screen") : r;
    }

    private async Task<Dictionary<string, SKBitmap>> LoadIconsAsync(IEnumerable<string> icons, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, SKBitmap>(StringComparer.Ordinal);
        foreach (var icon in icons.Distinct())
        {
            if (string.IsNullOrWhiteSpace(icon) || EvaluationIcons.IsBuiltIn(icon)) continue;
            result[icon] = await _images.LoadAsync(UiImageSource.FromFile(icon), cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    public void Dispose()
    {
        lock (_compositor.Gate)
        {
            _carousel?.Dispose();
            foreach (var w in _compositor.Windows.ToList()) _compositor.Remove(w);
        }
        _compositor.Dispose();
        _fonts.Dispose();
    }
}
