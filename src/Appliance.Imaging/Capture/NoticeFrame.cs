using Appliance.Imaging.Jpeg;
using SkiaSharp;

namespace Appliance.Imaging.Capture;

/// <summary>
/// The picture a stream ends with ("设备被移除", "设备被关闭", …): what an &lt;img&gt; keeps showing once the
/// multipart stream is over, so the person sees why the video stopped.
/// </summary>
public static class NoticeFrame
{
    public static byte[] Render(string text, int width, int height, SKTypeface? typeface = null)
    {
        width = Math.Clamp(width, 64, 4096);
        height = Math.Clamp(height, 48, 4096);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(48, 48, 48));
            using var font = new SKFont(typeface ?? SKTypeface.Default, Math.Max(12, Math.Min(width / Math.Max(8, text.Length * 0.6f), height / 8f)));
            using var paint = new SKPaint { Color = SKColors.White, IsAntialias = true };
            canvas.DrawText(text, width / 2f, (height + font.Size) / 2, SKTextAlign.Center, font, paint);
        }
        return JpegCodec.Shared.Encode(bitmap.GetPixelSpan(), width, height, JpegPixels.Rgba, 80);
    }
}
