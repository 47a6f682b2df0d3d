using Appliance.Ui.Composition;
using Appliance.Core.Screen;
using Appliance.Ui.Text;
using SkiaSharp;

namespace Appliance.Ui.Windows;

/// <summary>The look shared by the terminal's own full-screen pages (idle, pairing code, paired PCs): the title band; colours from <see cref="UiPalette"/>.</summary>
internal static class PageChrome
{
    public static readonly SKColor Background = UiPalette.PageBackground.ToSk();
    public static readonly SKColor Text = UiPalette.PageText.ToSk();
    public static readonly SKColor Secondary = UiPalette.PageSecondary.ToSk();
    /// <summary>The pairing code's digits (and the idle screen's own button).</summary>
    public static readonly UiColor Accent = UiPalette.Accent;
    public static readonly UiColor Neutral = UiPalette.Neutral;
    public static readonly UiColor Danger = UiPalette.Danger;

    /// <summary>Fills <paramref name="dirty"/> with the page background and draws the title band across the top 12 %.</summary>
    public static void Draw(SKCanvas canvas, PixelRect dirty, int width, int height, string title, FontSet fonts)
    {
        using var paint = new SKPaint { IsAntialias = true, Color = Background };
        canvas.DrawRect(dirty.ToSk(), paint);
        paint.Color = UiPalette.Button.ToSk();
        var band = new SKRect(0, 0, width, height * 0.12f);
        canvas.DrawRect(band, paint);
        using var font = fonts.Font(height * 0.045f);
        paint.Color = UiPalette.OnColour.ToSk();
        canvas.DrawFittedText(title, new SKRect(width * 0.03f, 0, width * 0.97f, band.Bottom), font, paint, fonts.MinSize);
    }

    /// <summary>One line of text centred across the page at <paramref name="centreY"/>.</summary>
    public static void Line(SKCanvas canvas, FontSet fonts, string text, int width, float centreY, float size, SKColor color)
    {
        using var font = fonts.Font(size);
        using var paint = new SKPaint { IsAntialias = true, Color = color };
        canvas.DrawFittedText(text, new SKRect(width * 0.04f, centreY - size, width * 0.96f, centreY + size), font, paint, fonts.MinSize);
    }
}
