using SkiaSharp;

namespace Appliance.Imaging.Jpeg;

/// <summary>
/// Preview frames at a smaller size (seed 003 §5.14 <c>preview_resolution</c>): the picture is fitted inside the
/// asked box keeping its own aspect ratio (so the size sent may differ from the one asked, as the seed warns), and
/// never enlarged. JPEG in, JPEG out through libturbojpeg (decoding already scaled down by the DCT), resized in
/// between.
/// </summary>
public static class JpegResizer
{
    /// <summary>The largest size with <paramref name="width"/> × <paramref name="height"/>'s aspect ratio inside the box (never larger than the source).</summary>
    public static (int Width, int Height) Fit(int width, int height, int maxWidth, int maxHeight)
    {
        if (width <= maxWidth && height <= maxHeight) return (width, height);
        var scale = Math.Min(maxWidth / (double)width, maxHeight / (double)height);
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    /// <summary><paramref name="jpeg"/> fitted inside the box; the same bytes when it already fits.</summary>
    public static byte[] FitWithin(byte[] jpeg, int maxWidth, int maxHeight, int quality)
    {
        var codec = JpegCodec.Shared;
        var (w, h) = codec.ReadSize(jpeg);
        var (tw, th) = Fit(w, h, maxWidth, maxHeight);
        if ((tw, th) == (w, h)) return jpeg;
        var decoded = codec.DecodeAtLeast(jpeg, tw, th, JpegPixels.Rgba);
        using var source = new SKBitmap(new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(decoded.Pixels, 0, source.GetPixels(), decoded.Pixels.Length);
        if ((decoded.Width, decoded.Height) == (tw, th)) return codec.Encode(decoded.Pixels, tw, th, JpegPixels.Rgba, quality);
        using var resized = source.Resize(new SKImageInfo(tw, th, SKColorType.Rgba8888, SKAlphaType.Opaque), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None))
            ?? throw new JpegException($"cannot resize a {decoded.Width}x{decoded.Height} frame to {tw}x{th}");
        return codec.Encode(resized.GetPixelSpan(), tw, th, JpegPixels.Rgba, quality);
    }
}
