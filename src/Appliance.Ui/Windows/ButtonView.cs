using Appliance.Ui.Composition;
using Appliance.Core.Screen;
using Appliance.Ui.Text;
using SkiaSharp;

namespace Appliance.Ui.Windows;

/// <summary>
/// A drawn button inside a window: rounded rectangle, optional icon, one line of text; darker while pressed. The label
/// is drawn in its given colour when that reads at WCAG AA on the fill (or on <see cref="Backdrop"/> when transparent),
/// else in black or white (<see cref="UiContrast.Readable"/>).
/// </summary>
internal sealed class ButtonView(string id, PixelRect rect, string text, float fontSize, UiColor textColor, UiColor buttonColor)
{
    public string Id { get; } = id;
    public PixelRect Rect { get; } = rect;
    public string Text { get; } = text;
    public bool Pressed { get; set; }
    /// <summary>Drawn with no fill (seed: a button the colour of its window's background is transparent).</summary>
    public bool TransparentFill { get; init; }
    /// <summary>What a transparent button's label stands on (its window's background); null when unknown (a picture).</summary>
    public UiColor? Backdrop { get; init; }
    public float Opacity { get; init; } = 1;
    /// <summary>Draws an icon into the given square above (or left of) the text; null for none.</summary>
    public Action<SKCanvas, SKRect>? Icon { get; init; }
    public bool IconAbove { get; init; }

    /// <summary>The label's colour, settled once (the colours and <see cref="Backdrop"/> do not change after construction).</summary>
    private UiColor LabelColour => _label ??= (TransparentFill ? Backdrop : buttonColor) is { } under ? UiContrast.Readable(textColor, under, fontSize) : textColor;

    private UiColor? _label;

    public void Draw(SKCanvas canvas, FontSet fonts)
    {
        var box = Rect.ToSk();
        using var paint = new SKPaint { IsAntialias = true };
        if (!TransparentFill)
        {
            var fill = buttonColor;
            if (Pressed) fill = new UiColor((byte)(fill.R * 3 / 4), (byte)(fill.G * 3 / 4), (byte)(fill.B * 3 / 4), fill.A);
            paint.Color = fill.ToSk(Opacity);
            canvas.DrawRoundRect(box, 8, 8, paint);
        }
        else if (Pressed)
        {
            paint.Color = new SKColor(0, 0, 0, 40);
            canvas.DrawRoundRect(box, 8, 8, paint);
        }
        using var font = fonts.Font(fontSize);
        paint.Color = LabelColour.ToSk(Opacity);
        if (Icon is null)
        {
            // Fitted: large-text mode may ask for more than a button the page sized can hold.
            canvas.DrawFittedText(Text, new SKRect(box.Left + 6, box.Top, box.Right - 6, box.Bottom), font, paint, fonts.MinSize);
            return;
        }
        if (IconAbove)
        {
            var textHeight = fonts.SizeOf(fontSize) * 1.4f;
            var iconSize = Math.Max(8, Math.Min(box.Width - 8, box.Height - textHeight - 8));
            var icon = SKRect.Create(box.MidX - iconSize / 2, box.Top + (box.Height - textHeight - iconSize) / 2, iconSize, iconSize);
            Icon(canvas, icon);
            canvas.DrawCentredText(Text, new SKRect(box.Left, box.Bottom - textHeight - 2, box.Right, box.Bottom - 2), font, paint);
        }
        else
        {
            var iconSize = Math.Min(box.Height - 8, fonts.SizeOf(fontSize) * 1.4f);
            var textWidth = font.MeasureText(Text);
            var left = box.MidX - (iconSize + 6 + textWidth) / 2;
            Icon(canvas, SKRect.Create(left, box.MidY - iconSize / 2, iconSize, iconSize));
            canvas.DrawText(Text, left + iconSize + 6, box.MidY - (font.Metrics.Ascent + font.Metrics.Descent) / 2, SKTextAlign.Left, font, paint);
        }
    }
}

/// <summary>Press on a button, lift on the same button = a click; moving off cancels it.</summary>
internal sealed class ButtonTracker
{
    private ButtonView? _pressed;

    /// <returns>The clicked button when this input completed a click; otherwise null. <paramref name="changed"/> is what to redraw.</returns>
    public ButtonView? Track(IReadOnlyList<ButtonView> buttons, float x, float y, bool touching, out PixelRect changed)
    {
        changed = default;
        var under = buttons.FirstOrDefault(b => b.Rect.Contains(x, y));
        if (touching)
        {
            if (_pressed is null && under is not null && !WasTouching)
            {
                _pressed = under;
                under.Pressed = true;
                changed = under.Rect;
            }
            else if (_pressed is not null && _pressed.Pressed != (under == _pressed))
            {
                _pressed.Pressed = under == _pressed;
                changed = _pressed.Rect;
            }
            WasTouching = true;
            return null;
        }
        WasTouching = false;
        var pressed = _pressed;
        _pressed = null;
        if (pressed is null) return null;
        pressed.Pressed = false;
        changed = pressed.Rect;
        return under == pressed ? pressed : null;
    }

    /// <summary>True while the current touch started on a button (it must not become ink).</summary>
    public bool Holding => _pressed is not null;

    public bool WasTouching { get; private set; }
}
