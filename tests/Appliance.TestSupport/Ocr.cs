using System.Diagnostics;
using SkiaSharp;

namespace Appliance.TestSupport;

/// <summary>
/// Reads a box of the panel as a person would, with an OCR engine (Debian's tesseract, chi_sim + eng): the box is cut
/// out of the panel's PNG, enlarged to about 80 px high (as a person leans closer) and turned to dark on light grey
/// levels, read as one line.
/// <c>OCR_KEEP=DIR</c> keeps every cut (and the upright panel) there, to see what the engine saw.
/// </summary>
public static class Ocr
{
    /// <param name="panelPng">The framebuffer as the panel holds it.</param>
    /// <param name="rotation">How the panel is mounted (board profile <c>screen.rotation</c>): undone first, so
    /// <paramref name="box"/> is where the person sees the label.</param>
    public static async Task<string> ReadLineAsync(byte[] panelPng, int rotation, SKRectI box, CancellationToken ct)
    {
        using var stored = SKBitmap.Decode(panelPng);
        using var panel = Upright(stored, rotation);
        if (Environment.GetEnvironmentVariable("OCR_KEEP") is { Length: > 0 } keepPanel)
            await File.WriteAllBytesAsync(Path.Combine(keepPanel, $"panel-{rotation}.png"), panel.Encode(SKEncodedImageFormat.Png, 100).ToArray(), ct);
        // Enlarged to about 80 px high: tesseract misreads letters much smaller, and much larger ones too.
        var scale = Math.Clamp(80f / box.Height, 1, 4);
        using var cut = new SKBitmap((int)(box.Width * scale), (int)(box.Height * scale));
        using (var canvas = new SKCanvas(cut))
        using (var image = SKImage.FromBitmap(panel))
            canvas.DrawImage(image, box, new SKRect(0, 0, cut.Width, cut.Height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        DarkOnLight(cut);
        using var framed = Framed(cut);
        var file = Path.Combine(Path.GetTempPath(), $"ocr-{Guid.NewGuid():N}.png");
        try
        {
            await using (var output = File.Create(file))
                framed.Encode(output, SKEncodedImageFormat.Png, 100);
            var start = new ProcessStartInfo("tesseract", [file, "stdout", "-l", "chi_sim+eng", "--psm", "7"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("tesseract did not start (tools/install-deps.sh installs it)");
            var text = await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("OCR_KEEP") is { Length: > 0 } keep) File.Copy(file, Path.Combine(keep, Path.GetFileName(file)));
            File.Delete(file);
        }
    }

    /// <summary>
    /// Grey levels, dark text on a light ground, as tesseract is trained on: a label that is light on a dark or coloured
    /// button is turned over (its luminance inverted); its contrast, which the contrast tests check, is kept.
    /// </summary>
    private static void DarkOnLight(SKBitmap cut)
    {
        var pixels = cut.Pixels;
        var luminance = pixels.Select(p => (0.2126 * p.Red + 0.7152 * p.Green + 0.0722 * p.Blue) / 255).ToArray();
        if (luminance.Average() >= 0.5) return;
        // Stretched so the button's fill is white and the label black (the antialiased edges keep their greys).
        var (ink, fill) = (1 - luminance.Max(), 1 - luminance.Min());
        for (var i = 0; i < pixels.Length; i++)
        {
            var level = Math.Clamp((1 - luminance[i] - ink) / Math.Max(1e-6, fill - ink), 0, 1);
            var grey = (byte)Math.Round(255 * level);
            pixels[i] = new SKColor(grey, grey, grey);
        }
        cut.Pixels = pixels;
    }

    /// <summary>A margin of the cut's own ground colour around it: tesseract misreads glyphs that touch the image's edge.</summary>
    private static SKBitmap Framed(SKBitmap cut)
    {
        const int margin = 20;
        var framed = new SKBitmap(cut.Width + 2 * margin, cut.Height + 2 * margin);
        using var canvas = new SKCanvas(framed);
        canvas.Clear(cut.GetPixel(0, 0));
        using var image = SKImage.FromBitmap(cut);
        canvas.DrawImage(image, margin, margin, SKSamplingOptions.Default);
        return framed;
    }

    /// <summary>The panel's pixels turned as the mounted panel shows them to the person.</summary>
    public static SKBitmap Upright(SKBitmap panel, int rotation)
    {
        var quarter = ((rotation % 360) + 360) % 360 / 90;
        var (w, h) = quarter % 2 == 0 ? (panel.Width, panel.Height) : (panel.Height, panel.Width);
        var upright = new SKBitmap(w, h);
        using var canvas = new SKCanvas(upright);
        canvas.Translate(w / 2f, h / 2f);
        canvas.RotateDegrees(-90 * quarter);
        canvas.Translate(-panel.Width / 2f, -panel.Height / 2f);
        using var image = SKImage.FromBitmap(panel);
        canvas.DrawImage(image, 0, 0, SKSamplingOptions.Default);
        return upright;
    }
}
