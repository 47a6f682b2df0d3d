using Appliance.Core.Capture;
using Appliance.Core.Screen;
using Appliance.Ui.Composition;
using Appliance.Ui.Ink;
using Appliance.Ui.Text;
using SkiaSharp;

namespace Appliance.Ui.Windows;

/// <summary>
/// The sign window (seed 003 §9.1): background (colour or image) at the requested opacity, optional tip, ink allowed
/// only inside <c>valid_sign_rect</c> (and never on a button), and the OK / reset / return buttons.
/// OK with ink completes <see cref="Outcome"/> with the PNG and samples; return completes it as cancelled; reset clears.
/// A window whose page gave neither tip nor picture says "请在此签名 / Please sign here" in the pad until the first ink,
/// so the person never faces a blank box; it is drawn under the ink layer and never part of the signature's PNG.
/// </summary>
internal sealed class SignatureWindow : Window
{
    private const int DefaultButtonWidth = 140, DefaultButtonHeight = 56, ButtonMargin = 20;
    public const string SignHereHint = "请在此签名 / Please sign here";
    private readonly SignatureWindowOptions _options;
    private readonly FontSet _fonts;
    private readonly SKBitmap? _background;
    private readonly InkLayer _ink;
    // Reused on every draw (a sample redraws the window's dirty part): one SKPaint per draw was garbage per pen sample.
    private readonly SKPaint _backgroundPaint = new();
    private readonly SKPaint _tipPaint = new() { IsAntialias = true };
    private readonly List<ButtonView> _buttons = [];
    private readonly ButtonTracker _tracker = new();
    private readonly List<PenSample> _samples = [];
    private readonly TaskCompletionSource<SignatureOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long? _firstTouchMicroseconds;
    private bool _stroking;
    /// <summary>The samples end in a pen-down one: the stroke they record has not been closed by a pen-up yet.</summary>
    private bool _recording;
    private readonly bool _hint;

    /// <param name="minTarget">The smallest button side in pixels (9 mm on this panel): default buttons grow to it.</param>
    public SignatureWindow(PixelRect bounds, SignatureWindowOptions options, FontSet fonts, SKBitmap? background, int minTarget = 0) : base(bounds)
    {
        _options = options;
        _fonts = fonts;
        _background = background;
        var opacity = Math.Clamp(options.Opacity, 0, 100) / 100f;
        var w = bounds.Width;
        var h = bounds.Height;
        ValidRect = options.ValidSignRect.Resolve(w, h).Intersect(new PixelRect(0, 0, w, h));

        // Default places, right to left along the bottom edge: OK, reset, return; 140x56 (the seed's) or 9 mm if larger.
        var (bw, bh) = (Math.Max(DefaultButtonWidth, minTarget), Math.Max(DefaultButtonHeight, minTarget));
        var slots = new[] { (SignButtonOptions.OkName, options.OkButton), (SignButtonOptions.ResetName, options.ResetButton), (SignButtonOptions.ReturnName, options.ReturnButton) };
        for (var i = 0; i < slots.Length; i++)
        {
            var (id, b) = slots[i];
            if (!b.Visible) continue;
            var rect = b.Rect?.Resolve(w, h) ?? PixelRect.FromSize(
                w - (i + 1) * (bw + ButtonMargin), h - bh - ButtonMargin, bw, bh);
            _buttons.Add(new ButtonView(id, rect, b.Text, b.FontSize, b.TextColor, b.ButtonColor) { Opacity = Math.Max(opacity, 0.01f) });
        }

        using var allowed = new SKRegion(ValidRect.ToSkI());
        foreach (var b in _buttons) allowed.Op(b.Rect.ToSkI(), SKRegionOperation.Difference);
        _ink = new InkLayer(w, h, options.PenWidth, options.InkColor.ToSk(), allowed);
        _hint = options.TipMessage is not { Content.Length: > 0 } && background is null;
    }

    public override int Layer => 10;

    /// <summary>Window-local rectangle where ink is drawn.</summary>
    public PixelRect ValidRect { get; }

    public override IReadOnlyList<ButtonView> Buttons => _buttons;

    public Task<SignatureOutcome> Outcome => _outcome.Task;

    public bool HasInk => !_ink.IsEmpty;

    public override void Draw(SKCanvas canvas, PixelRect dirty)
    {
        var opacity = Math.Clamp(_options.Opacity, 0, 100) / 100f;
        var box = new SKRect(0, 0, Bounds.Width, Bounds.Height);
        if (opacity > 0)
        {
            var paint = _backgroundPaint;
            if (_background is not null)
            {
                paint.Color = SKColors.White.WithAlpha((byte)Math.Round(255 * opacity));
                canvas.DrawPixels(_background, box, new SKSamplingOptions(SKFilterMode.Linear), paint);
            }
            else
            {
                paint.Color = _options.BackgroundColor.ToSk(opacity);
                canvas.DrawRect(box, paint);
            }
        }
        var tipBox = new SKRect(0, 8, Bounds.Width, 8 + _fonts.SizeOf(_options.TipMessage?.FontSize ?? 0) * 1.6f);
        if (_options.TipMessage is { Content.Length: > 0 } tip && dirty.Intersect(tipBox.ToPixelRect()) is { IsEmpty: false })
        {
            using var font = _fonts.Font(tip.FontSize);
            // On the window's own colour the tip is kept readable; over a page's picture its colour is the page's choice.
            _tipPaint.Color = (_background is null ? UiContrast.Readable(tip.TextColor, _options.BackgroundColor, tip.FontSize) : tip.TextColor).ToSk();
            canvas.DrawCentredText(tip.Content, tipBox, font, _tipPaint);
        }
        if (_hint && _ink.IsEmpty) DrawHint(canvas, opacity);
        _ink.DrawTo(canvas);
        foreach (var b in _buttons)
            if (dirty.Intersect(b.Rect) is { IsEmpty: false }) b.Draw(canvas, _fonts);
    }

    public override void OnPen(in PenInput input)
    {
        if (_outcome.Task.IsCompleted) return;
        var (x, y) = (input.X, input.Y);
        var startsOnButton = input.Touching && !_tracker.WasTouching && !_stroking && OnButton(x, y);
        if (_tracker.Holding || startsOnButton || (!input.Touching && _tracker.WasTouching && !_stroking))
        {
            var clicked = _tracker.Track(_buttons, input.X, input.Y, input.Touching, out var changed);
            if (!changed.IsEmpty) Invalidate(changed);
            if (clicked is not null) Click(clicked.Id);
            return;
        }

        if (input.Touching)
        {
            _firstTouchMicroseconds ??= input.TimestampMicroseconds;
            if (_hint && _ink.IsEmpty && !_stroking) InvalidateAll(); // the hint goes with the first ink
            var changed = _stroking ? _ink.Add(input.X, input.Y, input.Pressure) : _ink.Begin(input.X, input.Y, input.Pressure);
            _stroking = true;
            Invalidate(changed.Intersect(ValidRect));
            Record(input, penDown: true);
        }
        else if (_stroking)
        {
            Invalidate(_ink.End().Intersect(ValidRect));
            _stroking = false;
            if (_recording) Record(input, penDown: false);
        }
    }

    private void DrawHint(SKCanvas canvas, float opacity)
    {
        var pad = ValidRect.ToSk();
        using var font = _fonts.Font(Math.Clamp(pad.Height / 10f, 20, 36));
        _tipPaint.Color = UiContrast.Readable(UiPalette.PageSecondary, _options.BackgroundColor, font.Size).ToSk(opacity);
        canvas.DrawFittedText(SignHereHint, pad with { Top = pad.MidY - font.Size, Bottom = pad.MidY + font.Size }, font, _tipPaint, _fonts.MinSize);
    }

    /// <summary>
    /// Keeps the samples that ink (inside the valid rectangle, off the buttons). Every recorded stroke ends with a
    /// pen-up sample — where the pen lifted, or the first point outside where ink is drawn — so strokes never merge,
    /// also when one leaves the rectangle and lifts outside it; coming back in starts a new stroke.
    /// </summary>
    /// <summary>A loop, not <c>Any</c> with a lambda: it runs for every pen sample, and a closure per sample is garbage.</summary>
    private bool OnButton(float x, float y)
    {
        foreach (var b in _buttons)
            if (b.Rect.Contains(x, y)) return true;
        return false;
    }

    private void Record(in PenInput input, bool penDown)
    {
        var (x, y) = (input.X, input.Y);
        var inks = ValidRect.Contains(x, y) && !OnButton(x, y);
        if (penDown && !inks && !_recording) return;
        _recording = penDown && inks;
        var ms = (input.TimestampMicroseconds - (_firstTouchMicroseconds ?? input.TimestampMicroseconds)) / 1000;
        var sample = new PenSample(input.X, input.Y, input.Pressure, ms, input.TiltX, input.TiltY, _recording);
        _samples.Add(sample);
        _options.SampleObserver?.Invoke(sample);
    }

    /// <summary>Acts as if the person pressed the button (also used by <c>sign=reset_status</c>-like calls).</summary>
    public void Click(string buttonId)
    {
        switch (buttonId)
        {
            case SignButtonOptions.OkName when HasInk:
                _outcome.TrySetResult(new SignatureOutcome.Confirmed(_ink.EncodePng(), Bounds.Width, Bounds.Height, [.. _samples], _options.Remark));
                break;
            case SignButtonOptions.ResetName:
                Reset();
                break;
            case SignButtonOptions.ReturnName:
                _outcome.TrySetResult(new SignatureOutcome.Cancelled(_options.Remark));
                break;
        }
    }

    public void Reset()
    {
        _ink.Clear();
        _samples.Clear();
        _firstTouchMicroseconds = null;
        _stroking = false;
        _recording = false;
        InvalidateAll();
    }

    public void Cancel() => _outcome.TrySetCanceled();

    public override void OnClosed()
    {
        _outcome.TrySetCanceled();
        _ink.Dispose();
        _background?.Dispose();
        _backgroundPaint.Dispose();
        _tipPaint.Dispose();
    }
}
