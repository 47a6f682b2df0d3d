using SkiaSharp;

namespace Appliance.Ui.Windows;

/// <summary>
/// The evaluation window's four built-in icons (§9.8 <c>icon</c> "0".."3"): faces from very satisfied to
/// dissatisfied, drawn as vectors so they stay sharp at any button size.
/// </summary>
internal static class EvaluationIcons
{
    public static bool IsBuiltIn(string icon) => icon is "0" or "1" or "2" or "3";

    /// <summary>Face colour per level: green, light green, amber, red.</summary>
    private static readonly SKColor[] Colours = [new(0x2E, 0xB8, 0x4B), new(0x8B, 0xC3, 0x4A), new(0xF5, 0xA6, 0x23), new(0xE5, 0x39, 0x35)];

    public static void Draw(SKCanvas canvas, SKRect box, int level)
    {
        var r = Math.Min(box.Width, box.Height) / 2 - 1;
        var cx = box.MidX; var cy = box.MidY;
        using var fill = new SKPaint { Color = Colours[level], IsAntialias = true };
        canvas.DrawCircle(cx, cy, r, fill);
        using var ring = new SKPaint { Color = SKColors.White, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(1.5f, r * 0.08f) };
        canvas.DrawCircle(cx, cy, r, ring);
        using var feature = new SKPaint { Color = SKColors.White, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(2f, r * 0.12f), StrokeCap = SKStrokeCap.Round };
        using var eye = new SKPaint { Color = SKColors.White, IsAntialias = true };
        canvas.DrawCircle(cx - r * 0.35f, cy - r * 0.25f, r * 0.1f, eye);
        canvas.DrawCircle(cx + r * 0.35f, cy - r * 0.25f, r * 0.1f, eye);
        using var mouth = new SKPathBuilder();
        var left = cx - r * 0.45f; var right = cx + r * 0.45f; var y = cy + r * 0.3f;
        // Mouth curvature: broad smile, smile, straight, frown.
        var bend = level switch { 0 => r * 0.45f, 1 => r * 0.22f, 2 => 0f, _ => -r * 0.3f };
        var baseY = level == 3 ? y + r * 0.12f : y - (level == 0 ? r * 0.08f : 0);
        mouth.MoveTo(left, baseY);
        mouth.QuadTo(cx, baseY + bend, right, baseY);
        if (level == 0)
        {
            mouth.Close();
            using var filled = mouth.Snapshot();
            canvas.DrawPath(filled, eye);
        }
        using var stroke = mouth.Snapshot();
        canvas.DrawPath(stroke, feature);
    }
}
