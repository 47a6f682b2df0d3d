using SkiaSharp;

namespace Appliance.Imaging.Fingerprint;

/// <summary>
/// The three image forms of seed 003 §8.1 from an 8-bit grey fingerprint (0 = ridge, 255 = background):
/// BMP (8-bit greyscale with palette), raw (24-bit RGB, no header) and PNG (background transparent).
/// </summary>
public static class FingerprintImageEncoder
{
    public static byte[] ToBmp(int width, int height, ReadOnlySpan<byte> grey)
    {
        Check(width, height, grey);
        var rowBytes = (width + 3) & ~3;
        const int headers = 14 + 40 + 256 * 4;
        var bmp = new byte[headers + rowBytes * height];
        var s = bmp.AsSpan();
        s[0] = (byte)'B';
        s[1] = (byte)'M';
        BitConverter.TryWriteBytes(s[2..], bmp.Length);
        BitConverter.TryWriteBytes(s[10..], headers);
        BitConverter.TryWriteBytes(s[14..], 40);
        BitConverter.TryWriteBytes(s[18..], width);
        BitConverter.TryWriteBytes(s[22..], height); // positive: bottom-up rows
        BitConverter.TryWriteBytes(s[26..], (short)1);
        BitConverter.TryWriteBytes(s[28..], (short)8);
        BitConverter.TryWriteBytes(s[34..], rowBytes * height);
        BitConverter.TryWriteBytes(s[46..], 256);
        for (var i = 0; i < 256; i++)
        {
            var p = 54 + i * 4;
            s[p] = s[p + 1] = s[p + 2] = (byte)i;
        }
        for (var y = 0; y < height; y++)
            grey.Slice(y * width, width).CopyTo(s[(headers + (height - 1 - y) * rowBytes)..]);
        return bmp;
    }

    public static byte[] ToRaw24(int width, int height, ReadOnlySpan<byte> grey)
    {
        Check(width, height, grey);
        var raw = new byte[grey.Length * 3];
        for (var i = 0; i < grey.Length; i++) raw[3 * i] = raw[3 * i + 1] = raw[3 * i + 2] = grey[i];
        return raw;
    }

    /// <summary>Ridges in black with opacity from their darkness; the white background fully transparent.</summary>
    public static byte[] ToPng(int width, int height, ReadOnlySpan<byte> grey)
    {
        Check(width, height, grey);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var pixels = new byte[width * height * 4];
        for (var i = 0; i < grey.Length; i++)
        {
            var alpha = (byte)(255 - grey[i]);
            pixels[4 * i + 3] = alpha < 24 ? (byte)0 : alpha; // paper noise stays transparent
        }
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static void Check(int width, int height, ReadOnlySpan<byte> grey)
    {
        if (width <= 0 || height <= 0 || grey.Length != width * height)
            throw new ArgumentException($"expected {width}x{height} = {width * height} grey pixels, got {grey.Length}");
    }
}
