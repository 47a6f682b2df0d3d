using Appliance.Core.Screen;
using SkiaSharp;

namespace Appliance.Ui.Composition;

internal static class SkiaConversions
{
    public static SKColor ToSk(this UiColor c) => new(c.R, c.G, c.B, c.A);
    public static SKColor ToSk(this UiColor c, float opacity) => new(c.R, c.G, c.B, (byte)Math.Round(c.A * Math.Clamp(opacity, 0, 1)));
    public static SKRect ToSk(this PixelRect r) => new(r.Left, r.Top, r.Right, r.Bottom);
    public static SKRectI ToSkI(this PixelRect r) => new(r.Left, r.Top, r.Right, r.Bottom);

    public static PixelRect ToPixelRect(this SKRect r) =>
        new((int)Math.Floor(r.Left), (int)Math.Floor(r.Top), (int)Math.Ceiling(r.Right), (int)Math.Ceiling(r.Bottom));

    /// <summary>
    /// Draws a bitmap's pixels in place. <see cref="SKCanvas.DrawBitmap(SKBitmap, SKRect, SKPaint)"/> goes through
    /// <c>SKImage.FromBitmap</c>, which copies every pixel of a mutable bitmap: for the ink layer that was a copy of
    /// the whole sign window (MBs, a fresh malloc) on every pen sample. Here the image only borrows the pixels for
    /// the one draw, so the cost is the area actually drawn (the dirty clip).
    /// </summary>
    public static void DrawPixels(this SKCanvas canvas, SKBitmap bitmap, SKRect dest, SKSamplingOptions sampling, SKPaint? paint = null)
    {
        using var pixmap = bitmap.PeekPixels();
        if (pixmap is not null) canvas.DrawPixels(pixmap, dest, sampling, paint);
    }

    /// <summary>The same for a pixmap kept by its owner (the ink layer keeps one rather than asking per pen sample).</summary>
    public static void DrawPixels(this SKCanvas canvas, SKPixmap pixmap, SKRect dest, SKSamplingOptions sampling, SKPaint? paint = null)
    {
        using var image = SKImage.FromPixels(pixmap);
        canvas.DrawImage(image, dest, sampling, paint);
    }

    /// <summary>Draws one line of text centred in <paramref name="box"/>.</summary>
    public static void DrawCentredText(this SKCanvas canvas, string text, SKRect box, SKFont font, SKPaint paint)
    {
        if (string.IsNullOrEmpty(text)) return;
        font.GetFontMetrics(out var m);
        var baseline = box.MidY - (m.Ascent + m.Descent) / 2;
        canvas.DrawText(text, box.MidX, baseline, SKTextAlign.Center, font, paint);
    }

    /// <summary>
    /// One line in <paramref name="box"/>, aligned left or centred, its size reduced so it fits the box's width
    /// (a PC's name can be 64 characters), but never under <paramref name="minSize"/>: text that still does not fit is
    /// cut at the box's edge, since a readable beginning serves the person better than an unreadable whole.
    /// </summary>
    public static void DrawFittedText(this SKCanvas canvas, string text, SKRect box, SKFont font, SKPaint paint, float minSize,
        SKTextAlign align = SKTextAlign.Center)
    {
        if (string.IsNullOrEmpty(text)) return;
        var size = font.Size;
        var width = font.MeasureText(text);
        var cut = false;
        if (width > box.Width && width > 0)
        {
            font.Size = Math.Max(Math.Min(size, minSize), size * box.Width / width);
            cut = font.MeasureText(text) > box.Width;
            if (cut)
            {
                align = SKTextAlign.Left;
                canvas.Save();
                canvas.ClipRect(box);
            }
        }
        font.GetFontMetrics(out var m);
        var baseline = box.MidY - (m.Ascent + m.Descent) / 2;
        var x = align == SKTextAlign.Left ? box.Left : align == SKTextAlign.Right ? box.Right : box.MidX;
        canvas.DrawText(text, x, baseline, align, font, paint);
        if (cut) canvas.Restore();
        font.Size = size;
    }
}
