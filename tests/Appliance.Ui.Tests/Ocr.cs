using System.Diagnostics;
using SkiaSharp;

namespace Appliance.Ui.Tests;

/// <summary>
/// Reads a box of the panel as a person would, with an OCR engine (Debian's tesseract, chi_sim + eng): the box is cut
/// out of the panel's PNG and enlarged to about 100 px high (as a person leans closer), read as one line.
/// <c>OCR_KEEP=DIR</c> keeps every cut (and the upright panel) there, to see what the engine saw.
/// </summary>
internal static class Ocr
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
        // Enlarged to about 100 px high: tesseract misreads letters much smaller, and much larger ones too.
        var scale = Math.Clamp(100f / box.Height, 1, 4);
        using var cut = new SKBitmap((int)(box.Width * scale), (int)(box.Height * scale));
        using (var canvas = new SKCanvas(cut))
        using (var image = SKImage.FromBitmap(panel))
            canvas.DrawImage(image, box, new SKRect(0, 0, cut.Width, cut.Height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        var file = Path.Combine(Path.GetTempPath(), $"ocr-{Guid.NewGuid():N}.png");
        try
        {
            await using (var output = File.Create(file))
                cut.Encode(output, SKEncodedImageFormat.Png, 100);
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
