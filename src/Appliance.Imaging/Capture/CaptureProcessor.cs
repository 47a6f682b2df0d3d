using System.Buffers;
using Appliance.Core.Images;
using Appliance.Imaging.Jpeg;
using SkiaSharp;

namespace Appliance.Imaging.Capture;

/// <summary>
/// Turns a camera JPEG into the image a grab returns: decode (libturbojpeg), rotate, grey or black-and-white,
/// watermark (SkiaSharp, CJK font), encode at the asked quality with the asked DPI, then shrink until it
/// fits <see cref="PhotoProcessing.MaxFileSize"/>.
/// </summary>
public sealed class CaptureProcessor(string? cjkFontPath = null, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lazy<SKTypeface> _typeface = new(() =>
        cjkFontPath is not null && File.Exists(cjkFontPath) ? SKTypeface.FromFile(cjkFontPath) ?? SKTypeface.Default : SKTypeface.Default);

    public SKTypeface Typeface => _typeface.Value;

    public ProcessedPhoto Process(ReadOnlySpan<byte> cameraJpeg, PhotoProcessing options, bool withThumbnail = false)
    {
        if (options.Rotate % 90 != 0) throw new ArgumentException("rotate must be a multiple of 90", nameof(options));
        using var source = Decode(cameraJpeg);
        using var rotated = Rotate(source, options.Rotate);
        if (options.Watermark is { } mark) Stamp(rotated, mark);
        var (jpeg, w, h) = Encode(rotated, options);
        byte[]? thumbnail = null;
        if (withThumbnail)
        {
            var scale = Math.Min(1f, options.ThumbnailSize / (float)Math.Max(rotated.Width, rotated.Height));
            using var small = Scale(rotated, scale);
            thumbnail = EncodeOnce(small, options with { JpegQuality = 60 });
        }
        return new ProcessedPhoto(jpeg, w, h, thumbnail);
    }

    /// <summary>The camera JPEG decoded into a native bitmap, with no managed copy in between.</summary>
    private static SKBitmap Decode(ReadOnlySpan<byte> jpeg)
    {
        var (width, height) = JpegCodec.Shared.ReadSize(jpeg);
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        try
        {
            JpegCodec.Shared.DecodeInto(jpeg, bitmap.GetPixels(), width, height, bitmap.RowBytes);
            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    private static SKBitmap Rotate(SKBitmap source, int degrees)
    {
        var turns = ((degrees / 90) % 4 + 4) % 4;
        var swap = turns % 2 == 1;
        var result = new SKBitmap(new SKImageInfo(swap ? source.Height : source.Width, swap ? source.Width : source.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(result);
        canvas.Translate(result.Width / 2f, result.Height / 2f);
        canvas.RotateDegrees(turns * 90);
        canvas.Translate(-source.Width / 2f, -source.Height / 2f);
        // Borrow the pixels: SKImage.FromBitmap would copy the whole (mutable) frame first.
        using var pixmap = source.PeekPixels();
        using var image = SKImage.FromPixels(pixmap);
        canvas.DrawImage(image, 0, 0, SKSamplingOptions.Default);
        return result;
    }

    private static SKBitmap Scale(SKBitmap source, float scale)
    {
        var w = Math.Max(1, (int)(source.Width * scale));
        var h = Math.Max(1, (int)(source.Height * scale));
        return source.Resize(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    }

    private void Stamp(SKBitmap bitmap, PhotoWatermark mark)
    {
        var text = string.IsNullOrEmpty(mark.Content) ? _time.GetLocalNow().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : mark.Content;
        using var canvas = new SKCanvas(bitmap);
        using var font = new SKFont(Typeface, Math.Clamp(mark.FontSize, 4, 3000));
        var color = ParseColor(mark.Color).WithAlpha((byte)Math.Clamp(mark.Transparency, 0, 255));
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        var width = font.MeasureText(text);
        var margin = font.Size / 2;
        var (x, y) = mark.Position switch
        {
            WatermarkPosition.TopLeft => (margin, margin + font.Size),
            WatermarkPosition.TopRight => (bitmap.Width - width - margin, margin + font.Size),
            WatermarkPosition.BottomLeft => (margin, bitmap.Height - margin),
            WatermarkPosition.BottomRight => (bitmap.Width - width - margin, bitmap.Height - margin),
            _ => ((bitmap.Width - width) / 2, (bitmap.Height + font.Size) / 2),
        };
        canvas.DrawText(text, x, y, SKTextAlign.Left, font, paint);
    }

    /// <summary>The seed's watermark colour names, or any #RRGGBB.</summary>
    public static SKColor ParseColor(string? name) => (name ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "red" => SKColors.Red,
        "green" => SKColors.Green,
        "blue" => SKColors.Blue,
        "black" => SKColors.Black,
        "white" => SKColors.White,
        "yellow" => SKColors.Yellow,
        "gray" or "grey" => SKColors.Gray,
        "orange" => SKColors.Orange,
        "purple" => SKColors.Purple,
        "cyan" => SKColors.Cyan,
        "magenta" => SKColors.Magenta,
        var other => SKColor.TryParse(other, out var c) ? c : SKColors.Red,
    };

    private static (byte[] Jpeg, int Width, int Height) Encode(SKBitmap bitmap, PhotoProcessing options)
    {
        var jpeg = EncodeOnce(bitmap, options);
        var current = bitmap;
        var scale = 1f;
        try
        {
            // Shrink (never below 64 px) until the file fits the limit.
            while (options.MaxFileSize > 0 && jpeg.Length > options.MaxFileSize && Math.Min(current.Width, current.Height) > 64)
            {
                scale *= MathF.Max(0.5f, MathF.Min(0.9f, MathF.Sqrt(options.MaxFileSize / (float)jpeg.Length)));
                if (current != bitmap) current.Dispose();
                current = Scale(bitmap, scale);
                jpeg = EncodeOnce(current, options);
            }
            return (jpeg, current.Width, current.Height);
        }
        finally
        {
            if (current != bitmap) current.Dispose();
        }
    }

    private static byte[] EncodeOnce(SKBitmap bitmap, PhotoProcessing options)
    {
        var pixels = bitmap.GetPixelSpan();
        byte[] jpeg;
        if (options.Color == PhotoColor.Color)
            jpeg = JpegCodec.Shared.Encode(pixels, bitmap.Width, bitmap.Height, JpegPixels.Rgba, options.JpegQuality);
        else
        {
            // Pooled: a grey plane is width × height bytes, a large-object-heap array per grab otherwise.
            var length = bitmap.Width * bitmap.Height;
            var gray = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                for (var i = 0; i < length; i++)
                {
                    var luma = (pixels[4 * i] * 77 + pixels[4 * i + 1] * 150 + pixels[4 * i + 2] * 29) >> 8;
                    gray[i] = options.Color == PhotoColor.BlackWhite ? (byte)(luma >= 128 ? 255 : 0) : (byte)luma;
                }
                jpeg = JpegCodec.Shared.Encode(gray.AsSpan(0, length), bitmap.Width, bitmap.Height, JpegPixels.Gray, options.JpegQuality);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(gray);
            }
        }
        JpegCodec.SetDensity(jpeg, options.XDpi, options.YDpi);
        return jpeg;
    }
}
