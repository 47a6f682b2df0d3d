using Appliance.Ui.Composition;
using Appliance.Core.Screen;
using Appliance.Ui.Text;
using SkiaSharp;

namespace Appliance.Ui.Windows;

/// <summary>
/// The evaluation window (§9.8): the tip across the top on the window's background colour, the buttons in a row
/// below it with their icons above their text. A button the colour of the background is drawn transparent.
/// </summary>
internal sealed class EvaluationWindow : Window
{
    private readonly EvaluationWindowOptions _options;
    private readonly FontSet _fonts;
    private readonly Dictionary<string, SKBitmap> _icons;
    private readonly List<ButtonView> _buttons = [];
    private readonly ButtonTracker _tracker = new();
    private readonly TaskCompletionSource<string> _choice = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EvaluationWindow(PixelRect bounds, EvaluationWindowOptions options, FontSet fonts, Dictionary<string, SKBitmap> icons) : base(bounds)
    {
        _options = options;
        _fonts = fonts;
        _icons = icons;
        var tipHeight = TipHeight;
        var count = Math.Max(1, options.Buttons.Count);
        const int pad = 10;
        var cellW = (bounds.Width - pad) / (float)count;
        var top = tipHeight + pad / 2;
        var height = Math.Max(1, bounds.Height - top - pad);
        for (var i = 0; i < options.Buttons.Count; i++)
        {
            var b = options.Buttons[i];
            var rect = new PixelRect((int)(pad + i * cellW), top, (int)(pad + (i + 1) * cellW) - pad, top + height);
            Action<SKCanvas, SKRect>? icon = null;
            if (EvaluationIcons.IsBuiltIn(b.Icon)) { var level = b.Icon[0] - '0'; icon = (c, r) => EvaluationIcons.Draw(c, r, level); }
            else if (_icons.TryGetValue(b.Icon, out var bitmap)) icon = (c, r) => c.DrawPixels(bitmap, r, new SKSamplingOptions(SKFilterMode.Linear));
            _buttons.Add(new ButtonView(i.ToString(System.Globalization.CultureInfo.InvariantCulture), rect, b.Content, b.FontSize, b.TextColor, b.ButtonColor)
            {
                TransparentFill = b.ButtonColor.SameRgb(options.BackgroundColor),
                Backdrop = options.BackgroundColor,
                Icon = icon,
                IconAbove = true,
            });
        }
    }

    private int TipHeight => (int)Math.Min(Bounds.Height * 0.45f, _options.TipMessage.FontSize * 2.2f);

    public override int Layer => 20;

    public override IReadOnlyList<ButtonView> Buttons => _buttons;

    public Task<string> FirstChoice => _choice.Task;

    public override void Draw(SKCanvas canvas, PixelRect dirty)
    {
        using var paint = new SKPaint { Color = _options.BackgroundColor.ToSk(), IsAntialias = true };
        canvas.DrawRect(new SKRect(0, 0, Bounds.Width, Bounds.Height), paint);
        var tip = _options.TipMessage;
        using (var font = _fonts.Font(tip.FontSize))
        {
            paint.Color = UiContrast.Readable(tip.TextColor, _options.BackgroundColor, tip.FontSize).ToSk();
            canvas.DrawCentredText(tip.Content, new SKRect(0, 0, Bounds.Width, TipHeight), font, paint);
        }
        foreach (var b in _buttons) b.Draw(canvas, _fonts);
    }

    public override void OnPen(in PenInput input)
    {
        var clicked = _tracker.Track(_buttons, input.X, input.Y, input.Touching, out var changed);
        if (!changed.IsEmpty) Invalidate(changed);
        if (clicked is not null) _choice.TrySetResult(clicked.Text);
    }

    public void Cancel() => _choice.TrySetCanceled();

    public override void OnClosed()
    {
        _choice.TrySetCanceled();
        foreach (var b in _icons.Values) b.Dispose();
    }
}
