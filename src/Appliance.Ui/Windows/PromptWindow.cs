using Appliance.Ui.Composition;
using Appliance.Core.Screen;
using Appliance.Ui.Text;
using SkiaSharp;

namespace Appliance.Ui.Windows;

/// <summary>A box in the middle of the screen telling the person what to do, above every other window; takes no pen input.</summary>
internal sealed class PromptWindow(int screenWidth, int screenHeight, PromptOptions prompt, FontSet fonts)
    : Window(PixelRect.FromSize(screenWidth / 6, screenHeight / 3, screenWidth * 2 / 3, screenHeight / 3))
{
    public override int Layer => 100;

    public PromptOptions Prompt { get; } = prompt;

    public override bool Hit(float x, float y) => false;

    public override void Draw(SKCanvas canvas, PixelRect dirty)
    {
        var w = Bounds.Width; var h = Bounds.Height;
        using var paint = new SKPaint { IsAntialias = true, Color = UiPalette.PromptBackground.ToSk() };
        canvas.DrawRoundRect(new SKRect(0, 0, w, h), 16, 16, paint);
        var mainSize = Math.Clamp(h / 5f, 20, 56);
        var line = new SKRect(w * 0.03f, 0, w * 0.97f, 0);
        // "请按手指 / Place your finger": Chinese on the first line, English below it, so neither is shrunk to fit.
        var split = Prompt.Text.IndexOf(" / ", StringComparison.Ordinal);
        float detailTop;
        paint.Color = UiPalette.OnColour.ToSk();
        if (split > 0)
        {
            using (var font = fonts.Font(mainSize))
                canvas.DrawFittedText(Prompt.Text[..split], line with { Top = h * 0.08f, Bottom = h * 0.40f }, font, paint, fonts.MinSize);
            using (var font = fonts.Font(mainSize * 0.6f))
                canvas.DrawFittedText(Prompt.Text[(split + 3)..], line with { Top = h * 0.40f, Bottom = h * 0.60f }, font, paint, fonts.MinSize);
            detailTop = 0.60f;
        }
        else
        {
            using var font = fonts.Font(mainSize);
            canvas.DrawFittedText(Prompt.Text, line with { Top = h * 0.12f, Bottom = h * 0.5f }, font, paint, fonts.MinSize);
            detailTop = 0.5f;
        }
        if (!string.IsNullOrEmpty(Prompt.Detail))
        {
            using var font = fonts.Font(mainSize * 0.5f);
            paint.Color = UiPalette.PromptDetail.ToSk();
            canvas.DrawFittedText(Prompt.Detail, line with { Top = h * detailTop, Bottom = h * (detailTop + 0.2f) }, font, paint, fonts.MinSize);
        }
        if (Prompt.Progress is { } progress)
        {
            var bar = new SKRect(w * 0.1f, h * 0.84f, w * 0.9f, h * 0.84f + 12);
            paint.Color = new SKColor(0x44, 0x50, 0x62);
            canvas.DrawRoundRect(bar, 6, 6, paint);
            paint.Color = UiPalette.Button.ToSk();
            canvas.DrawRoundRect(new SKRect(bar.Left, bar.Top, bar.Left + bar.Width * (float)Math.Clamp(progress, 0, 1), bar.Bottom), 6, 6, paint);
        }
    }
}
