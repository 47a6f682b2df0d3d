using Appliance.Ui.Composition;
using Appliance.Core.Screen;
using Appliance.Ui.Text;
using SkiaSharp;

namespace Appliance.Ui.Windows;

/// <summary>The look shared by the terminal's own full-screen pages (idle, pairing code, paired PCs): colours and the title band.</summary>
internal static class PageChrome
{
    public static readonly SKColor Background = new(0xF4, 0xF6, 0xF9);
    public static readonly SKColor Text = new(0x22, 0x2B, 0x38);
    public static readonly SKColor Secondary = new(0x4A, 0x55, 0x66);
    /// <summary>The pairing code's digits (and the idle screen's own button).</summary>
    public static readonly UiColor Accent = new(0x1F, 0x4E, 0x9A);
    public static readonly UiColor Neutral = new(0x5A, 0x65, 0x77);
    public static readonly UiColor Danger = new(0xC6, 0x28, 0x28);

    /// <summary>Fills <paramref name="dirty"/> with the page background and draws the title band across the top 12 %.</summary>
    public static void Draw(SKCanvas canvas, PixelRect dirty, int width, int height, string title, FontSet fonts)
    {
        using var paint = new SKPaint { IsAntialias = true, Color = Background };
        canvas.DrawRect(dirty.ToSk(), paint);
        paint.Color = UiColor.SeedBlue.ToSk();
        var band = new SKRect(0, 0, width, height * 0.12f);
        canvas.DrawRect(band, paint);
        using var font = fonts.Font(height * 0.045f);
        paint.Color = SKColors.White;
        canvas.DrawFittedText(title, new SKRect(width * 0.03f, 0, width * 0.97f, band.Bottom), font, paint);
    }

    /// <summary>One line of text centred across the page at <paramref name="centreY"/>.</summary>
    public static void Line(SKCanvas canvas, FontSet fonts, string text, int width, float centreY, float size, SKColor color)
    {
        using var font = fonts.Font(size);
        using var paint = new SKPaint { IsAntialias = true, Color = color };
        canvas.DrawFittedText(text, new SKRect(width * 0.04f, centreY - size, width * 0.96f, centreY + size), font, paint);
    }
}
