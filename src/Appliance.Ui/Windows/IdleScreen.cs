using Appliance.Ui.Composition;
using Appliance.Ui.Geometry;
using Appliance.Ui.Options;
using Appliance.Ui.Text;
using SkiaSharp;

namespace Appliance.Ui.Windows;

/// <summary>The base layer when nothing else is shown: the terminal's name, its addresses, pairing state and code.</summary>
internal sealed class IdleScreen(int width, int height, FontSet fonts) : IBaseLayer
{
    public IdleScreenInfo Info { get; set; } = new();

    public void Draw(SKCanvas canvas, PixelRect dirty)
    {
        using var paint = new SKPaint { IsAntialias = true, Color = new SKColor(0xF4, 0xF6, 0xF9) };
        canvas.DrawRect(dirty.ToSk(), paint);
        // Everything below is a few text lines; drawing them whole under the clip is cheap.
        paint.Color = UiColor.SeedBlue.ToSk();
        canvas.DrawRect(new SKRect(0, 0, width, height * 0.12f), paint);
        using (var font = fonts.Font(height * 0.045f))
        {
            paint.Color = SKColors.White;
            canvas.DrawCentredText("电子签批终端 · Signing terminal", new SKRect(0, 0, width, height * 0.12f), font, paint);
        }
        var y = height * 0.3f;
        using (var font = fonts.Font(height * 0.06f))
        {
            paint.Color = new SKColor(0x22, 0x2B, 0x38);
            canvas.DrawCentredText(Info.TerminalName, new SKRect(0, y - height * 0.06f, width, y + height * 0.06f), font, paint);
        }
        y += height * 0.11f;
        using (var font = fonts.Font(height * 0.032f))
        {
            paint.Color = new SKColor(0x4A, 0x55, 0x66);
            foreach (var address in Info.Addresses.Take(4))
            {
                canvas.DrawCentredText(address, new SKRect(0, y - height * 0.03f, width, y + height * 0.03f), font, paint);
                y += height * 0.05f;
            }
            y += height * 0.03f;
            if (!string.IsNullOrEmpty(Info.PairingState))
                canvas.DrawCentredText(Info.PairingState, new SKRect(0, y - height * 0.03f, width, y + height * 0.03f), font, paint);
        }
        if (!string.IsNullOrEmpty(Info.PairingCode))
        {
            y += height * 0.13f;
            using var font = fonts.Font(height * 0.12f);
            paint.Color = new SKColor(0x1F, 0x4E, 0x9A);
            // Digits spaced so a person reads them off the glass easily.
            canvas.DrawCentredText(string.Join(' ', Info.PairingCode.ToCharArray()), new SKRect(0, y - height * 0.08f, width, y + height * 0.08f), font, paint);
        }
    }
}
