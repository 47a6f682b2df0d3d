using SkiaSharp;

namespace Appliance.Imaging.Composite;

/// <summary>
/// Merges a signature and a fingerprint into one PNG the way a signed-and-fingerprinted paper looks: the finger
/// pressed in red ink over the end of the signature, slightly tilted, the paper left transparent.
/// </summary>
public static class SignFingerComposite
{
    /// <summary>The red of a stamp pad (印泥).</summary>
    public static readonly SKColor InkRed = new(0xB4, 0x14, 0x1E);

    private const float TiltDegrees = -8f;
    private const byte InkAlphaThreshold = 16;

    /// <summary>Returns the merged PNG. Both inputs are PNG (or any format Skia decodes).</summary>
    /// <exception cref="ArgumentException">An input is not a decodable image.</exception>
    public static byte[] Merge(ReadOnlySpan<byte> signaturePng, ReadOnlySpan<byte> fingerprintPng)
    {
        using var signature = Decode(signaturePng, "signature");
        using var finger = Decode(fingerprintPng, "fingerprint");
        using var redFinger = ToStampInk(finger);

        var ink = InkBounds(signature) ?? new SKRectI(0, 0, signature.Width, signature.Height);
        // The finger is about 1.3 times the height of the writing, never tiny, never larger than the paper.
        var height = Math.Clamp(ink.Height * 1.3f, 64f, Math.Max(64f, signature.Height * 1.0f));
        var width = height * finger.Width / finger.Height;
        // Centred a little inside the last stroke: it covers the end of the signature, as a pressed finger does.
        var centre = new SKPoint(ink.Right - width * 0.2f, ink.MidY);
        var fingerRect = SKRect.Create(centre.X - width / 2, centre.Y - height / 2, width, height);

        var canvasBounds = SKRect.Union(new SKRect(0, 0, signature.Width, signature.Height), Rotated(fingerRect, centre));
        var origin = new SKPoint(-MathF.Floor(canvasBounds.Left), -MathF.Floor(canvasBounds.Top));
        var info = new SKImageInfo((int)MathF.Ceiling(canvasBounds.Width) + 1, (int)MathF.Ceiling(canvasBounds.Height) + 1, SKColorType.Rgba8888, SKAlphaType.Premul);

        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("cannot allocate the composite surface");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.Transparent);
        canvas.Translate(origin.X, origin.Y);
        using (var signatureImage = SKImage.FromBitmap(signature))
            canvas.DrawImage(signatureImage, 0, 0, SKSamplingOptions.Default, null);
        canvas.Save();
        canvas.RotateDegrees(TiltDegrees, centre.X, centre.Y);
        using (var fingerImage = SKImage.FromBitmap(redFinger))
        using (var paint = new SKPaint { IsAntialias = true })
            canvas.DrawImage(fingerImage, fingerRect, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), paint);
        canvas.Restore();

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>Ridges (dark) become red ink whose opacity follows their darkness; valleys and background vanish.</summary>
    internal static SKBitmap ToStampInk(SKBitmap finger)
    {
        var result = new SKBitmap(new SKImageInfo(finger.Width, finger.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < finger.Height; y++)
        {
            for (var x = 0; x < finger.Width; x++)
            {
                var c = finger.GetPixel(x, y);
                var luminance = (0.299f * c.Red + 0.587f * c.Green + 0.114f * c.Blue) / 255f;
                var darkness = (1f - luminance) * (c.Alpha / 255f);
                var alpha = Math.Clamp((darkness - 0.2f) / 0.6f, 0f, 1f) * 0.9f;
                result.SetPixel(x, y, InkRed.WithAlpha((byte)(alpha * 255f)));
            }
        }
        return result;
    }

    /// <summary>The box around every pixel with ink, or null for an empty signature.</summary>
    public static SKRectI? InkBounds(SKBitmap bitmap)
    {
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                if (bitmap.GetPixel(x, y).Alpha < InkAlphaThreshold) continue;
                left = Math.Min(left, x);
                right = Math.Max(right, x);
                top = Math.Min(top, y);
                bottom = Math.Max(bottom, y);
            }
        }
        return right < 0 ? null : new SKRectI(left, top, right + 1, bottom + 1);
    }

    private static SKRect Rotated(SKRect rect, SKPoint centre)
    {
        var matrix = SKMatrix.CreateRotationDegrees(TiltDegrees, centre.X, centre.Y);
        return matrix.MapRect(rect);
    }

    private static SKBitmap Decode(ReadOnlySpan<byte> bytes, string what)
    {
        if (bytes.IsEmpty) throw new ArgumentException($"the {what} image is empty");
        var bitmap = SKBitmap.Decode(bytes) ?? throw new ArgumentException($"the {what} image is not a decodable PNG/JPEG");
        return bitmap;
    }
}
