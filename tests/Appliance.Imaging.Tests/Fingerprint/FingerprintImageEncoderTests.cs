using Appliance.Imaging.Fingerprint;
using SkiaSharp;

namespace Appliance.Imaging.Tests.Fingerprint;

public sealed class FingerprintImageEncoderTests
{
    private const int W = 256, H = 288;

    private static byte[] Ridges()
    {
        var grey = new byte[W * H];
        for (var y = 0; y < H; y++)
            for (var x = 0; x < W; x++)
                grey[y * W + x] = x < 128 && (x / 4 + y / 7) % 2 == 0 ? (byte)10 : (byte)255;
        return grey;
    }

    [Fact]
    public void Bmp_decodes_to_the_same_grey_pixels()
    {
        var grey = Ridges();
        using var bmp = SKBitmap.Decode(FingerprintImageEncoder.ToBmp(W, H, grey));
        Assert.Equal(W, bmp.Width);
        Assert.Equal(H, bmp.Height);
        Assert.Equal(10, bmp.GetPixel(0, 0).Red);
        Assert.Equal(255, bmp.GetPixel(200, 100).Red);
        Assert.Equal(grey[5 * W + 4], bmp.GetPixel(4, 5).Red);
    }

    [Fact]
    public void Raw_is_24_bit_rgb_without_a_header()
    {
        var raw = FingerprintImageEncoder.ToRaw24(W, H, Ridges());
        Assert.Equal(W * H * 3, raw.Length);
        Assert.Equal([10, 10, 10], raw[..3]);
    }

    [Fact]
    public void Png_background_is_transparent_and_ridges_opaque()
    {
        using var png = SKBitmap.Decode(FingerprintImageEncoder.ToPng(W, H, Ridges()));
        Assert.Equal(0, png.GetPixel(200, 100).Alpha);
        Assert.True(png.GetPixel(0, 0).Alpha > 200);
    }

    [Fact]
    public void Bmp_is_24_bit_at_500_dpi()
    {
        var bmp = FingerprintImageEncoder.ToBmp(W, H, Ridges());
        Assert.Equal(24, BitConverter.ToInt16(bmp, 28));
        Assert.Equal(19685, BitConverter.ToInt32(bmp, 38));
        Assert.Equal(54 + W * 3 * H, bmp.Length);
    }

    [Fact]
    public void Grey_png_is_opaque_with_dark_ridges_on_white()
    {
        using var png = SKBitmap.Decode(FingerprintImageEncoder.ToGreyPng(W, H, Ridges()));
        Assert.Equal((W, H), (png.Width, png.Height));
        Assert.Equal(new SKColor(255, 255, 255), png.GetPixel(200, 100));
        Assert.Equal(new SKColor(10, 10, 10), png.GetPixel(0, 0));
    }
}
