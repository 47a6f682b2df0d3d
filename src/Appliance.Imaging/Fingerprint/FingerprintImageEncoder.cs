using System.Buffers.Binary;
using SkiaSharp;

namespace Appliance.Imaging.Fingerprint;

/// <summary>
/// Every image form the firmware gives a fingerprint, from the module's 8-bit grey image (0 = ridge, 255 = paper):
/// seed 003 §8.1's BMP (24-bit), raw (24-bit RGB, no header) and PNG (paper transparent), and the opaque grey PNG the
/// UOS port answers <c>fingerbase64</c> with.
/// </summary>
public static class FingerprintImageEncoder
{
    private const int BmpHeaders = 14 + 40;
    private const int PixelsPerMetreAt500Dpi = 19685;

    public static byte[] ToBmp(int width, int height, ReadOnlySpan<byte> grey)
    {
        Check(width, height, grey);
        var rowBytes = (width * 3 + 3) & ~3;
        var size = BmpHeaders + rowBytes * height;
        var bmp = new byte[size];
        var s = bmp.AsSpan();
        s[0] = (byte)'B';
        s[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(s[2..], size);
        BinaryPrimitives.WriteInt32LittleEndian(s[10..], BmpHeaders);
        BinaryPrimitives.WriteInt32LittleEndian(s[14..], 40);
        BinaryPrimitives.WriteInt32LittleEndian(s[18..], width);
        BinaryPrimitives.WriteInt32LittleEndian(s[22..], height); // positive: bottom-up rows
        BinaryPrimitives.WriteInt16LittleEndian(s[26..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(s[28..], 24);
        BinaryPrimitives.WriteInt32LittleEndian(s[34..], rowBytes * height);
        BinaryPrimitives.WriteInt32LittleEndian(s[38..], PixelsPerMetreAt500Dpi);
        BinaryPrimitives.WriteInt32LittleEndian(s[42..], PixelsPerMetreAt500Dpi);
        for (var y = 0; y < height; y++)
        {
            var row = BmpHeaders + (height - 1 - y) * rowBytes;
            for (var x = 0; x < width; x++)
            {
                var g = grey[y * width + x];
                s[row + x * 3] = s[row + x * 3 + 1] = s[row + x * 3 + 2] = g;
            }
        }
        return bmp;
    }

    public static byte[] ToRaw24(int width, int height, ReadOnlySpan<byte> grey)
    {
        Check(width, height, grey);
        var raw = new byte[grey.Length * 3];
        for (var i = 0; i < grey.Length; i++) raw[3 * i] = raw[3 * i + 1] = raw[3 * i + 2] = grey[i];
        return raw;
    }

    /// <summary>Ridges in black with opacity from their darkness; the white paper fully transparent.</summary>
    public static byte[] ToPng(int width, int height, ReadOnlySpan<byte> grey)
    {
        Check(width, height, grey);
        var pixels = new byte[width * height * 4];
        for (var i = 0; i < grey.Length; i++) pixels[4 * i + 3] = (byte)(255 - grey[i]); // dark ridge = opaque
        return EncodePng(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), pixels);
    }

    /// <summary>The grey image as it came, opaque: dark ridges on white paper.</summary>
    public static byte[] ToGreyPng(int width, int height, ReadOnlySpan<byte> grey)
    {
        Check(width, height, grey);
        return EncodePng(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque), grey.ToArray());
    }

    private static byte[] EncodePng(SKImageInfo info, byte[] pixels)
    {
        using var bitmap = new SKBitmap(info);
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
