using Appliance.Ui.Composition;
using Appliance.Core.Screen;
using Appliance.Ui.Text;
using SkiaSharp;

namespace Appliance.Ui.Windows;

/// <summary>
/// The floating button group (§9.15): buttons in a row centred in <c>pos</c>, each sized by its width/height or fitted to
/// its font size; a button the colour of the group's background is drawn transparent. Transparent gaps between buttons
/// let the pen through to what lies beneath.
/// </summary>
internal sealed class FloatingButtonGroupWindow : Window
{
    private const int Gap = 12;
    private readonly FontSet _fonts;
    private readonly FloatingButtonGroupOptions _options;
    private readonly FloatingButtonGroup _group;
    private readonly List<ButtonView> _buttons = [];
    private readonly ButtonTracker _tracker = new();
    private readonly Dictionary<string, SKBitmap> _icons;

    /// <param name="minTarget">The smallest button side in pixels (9 mm on this panel): fitted buttons grow to it, within the group.</param>
    public FloatingButtonGroupWindow(PixelRect bounds, FloatingButtonGroupOptions options, FontSet fonts, Dictionary<string, SKBitmap> icons, FloatingButtonGroup group,
        int minTarget = 0)
        : base(bounds)
    {
        _fonts = fonts;
        _options = options;
        _group = group;
        _icons = icons;
        var sizes = options.Buttons.Select(b =>
        {
            using var font = fonts.Font(b.FontSize);
            var iconRoom = string.IsNullOrEmpty(b.Icon) ? 0 : b.FontSize * 1.4f + 6;
            var w = b.Width ?? Math.Max(minTarget, (int)Math.Ceiling(font.MeasureText(b.Content) + iconRoom + b.FontSize * 2));
            var h = b.Height ?? Math.Max(minTarget, (int)Math.Ceiling(b.FontSize * 2.4f));
            return (W: Math.Max(1, w), H: Math.Max(1, h));
        }).ToList();
        var total = sizes.Sum(s => s.W) + Gap * Math.Max(0, sizes.Count - 1);
        // Fitted buttons wider than the group shrink to share its width.
        var scale = total > bounds.Width ? bounds.Width / (double)total : 1;
        var x = (bounds.Width - total * scale) / 2;
        for (var i = 0; i < sizes.Count; i++)
        {
            var b = options.Buttons[i];
            var w = (int)(sizes[i].W * scale);
            var h = Math.Min(sizes[i].H, bounds.Height);
            var rect = PixelRect.FromSize((int)x, (bounds.Height - h) / 2, w, h);
            x += (sizes[i].W + Gap) * scale;
            Action<SKCanvas, SKRect>? icon = _icons.TryGetValue(b.Icon, out var bitmap) ? (c, r) => c.DrawPixels(bitmap, r, new SKSamplingOptions(SKFilterMode.Linear)) : null;
            _buttons.Add(new ButtonView(i.ToString(System.Globalization.CultureInfo.InvariantCulture), rect, b.Content, b.FontSize, b.TextColor, b.ButtonColor)
            {
                TransparentFill = options.BackgroundColor.A != 0 ? b.ButtonColor.SameRgb(options.BackgroundColor) : b.ButtonColor.A == 0,
                Icon = icon,
            });
        }
    }

    public override int Layer => 30;

    public override IReadOnlyList<ButtonView> Buttons => _buttons;

    public override bool Hit(float x, float y) => _options.BackgroundColor.A != 0 || _buttons.Any(b => b.Rect.Contains(x, y));

    public override void Draw(SKCanvas canvas, PixelRect dirty)
    {
        if (_options.BackgroundColor.A != 0)
        {
            using var paint = new SKPaint { Color = _options.BackgroundColor.ToSk(), IsAntialias = true };
            canvas.DrawRoundRect(new SKRect(0, 0, Bounds.Width, Bounds.Height), 10, 10, paint);
        }
        foreach (var b in _buttons) b.Draw(canvas, _fonts);
    }

    public override void OnPen(in PenInput input)
    {
        var clicked = _tracker.Track(_buttons, input.X, input.Y, input.Touching, out var changed);
        if (!changed.IsEmpty) Invalidate(changed);
        if (clicked is not null) _group.Raise(clicked.Text);
    }

    public override void OnClosed()
    {
        foreach (var b in _icons.Values) b.Dispose();
    }
}
