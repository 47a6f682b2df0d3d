using SkiaSharp;

namespace Appliance.TestSupport.Fakes;

/// <summary>Images the fakes hand out, drawn so tests can recognise them after encoding.</summary>
public static class TestImages
{
    /// <summary>A black, wavy "signature" stroke on a transparent background, as the screen's signature window produces.</summary>
    public static byte[] SignaturePng(int width = 400, int height = 160)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.Transparent);
        using var paint = new SKPaint { Color = SKColors.Black, StrokeWidth = 6, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round };
        // A wave from 10% to 85% of the width, like a hurried signature.
        var previous = new SKPoint(width * 0.1f, height * 0.5f);
        for (var i = 1; i <= 60; i++)
        {
            var t = i / 60f;
            var next = new SKPoint(width * (0.1f + 0.75f * t), height * (0.5f + 0.3f * MathF.Sin(t * 4 * MathF.PI)));
            surface.Canvas.DrawLine(previous, next, paint);
            previous = next;
        }
        return Encode(surface, SKEncodedImageFormat.Png);
    }

    /// <summary>A grey-scale fingerprint-like picture: dark concentric ridges on white, as a sensor delivers it.</summary>
    public static byte[] FingerprintPng(int width = 256, int height = 288)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.White);
        using var paint = new SKPaint { Color = new SKColor(30, 30, 30), StrokeWidth = 4, IsAntialias = true, Style = SKPaintStyle.Stroke };
        for (var r = 10f; r < width * 0.45f; r += 10f)
            surface.Canvas.DrawOval(width / 2f, height / 2f, r, r * 1.2f, paint);
        return Encode(surface, SKEncodedImageFormat.Png);
    }

    /// <summary>A JPEG "camera frame" whose colour encodes <paramref name="frameNumber"/> in its red channel.</summary>
    public static byte[] CameraJpeg(int frameNumber, int width = 320, int height = 240)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(new SKColor((byte)(frameNumber * 40 % 256), 128, 64));
        return Encode(surface, SKEncodedImageFormat.Jpeg);
    }

    public static SKBitmap Decode(byte[] bytes) => SKBitmap.Decode(bytes) ?? throw new InvalidOperationException("not a decodable image");

    private static byte[] Encode(SKSurface surface, SKEncodedImageFormat format)
    {
        using var image = surface.Snapshot();
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }
}
