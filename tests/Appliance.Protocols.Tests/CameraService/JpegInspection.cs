using Appliance.Imaging.Jpeg;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>What a decoder sees in a JPEG file: the quality it was encoded at (its luminance table), and regions of its pixels.</summary>
internal static class JpegInspection
{
    /// <summary>The luminance quantisation table (id 0) of the file's DQT segment, in the file's zigzag order.</summary>
    public static int[] LuminanceTable(byte[] jpeg)
    {
        for (var i = 2; i + 4 < jpeg.Length;)
        {
            if (jpeg[i] != 0xFF) throw new InvalidDataException($"no marker at {i}");
            var marker = jpeg[i + 1];
            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            if (marker == 0xDB)
                for (var p = i + 4; p < i + 2 + length;)
                {
                    var (precision, id) = (jpeg[p] >> 4, jpeg[p] & 0x0F);
                    var size = precision == 0 ? 1 : 2;
                    if (id == 0) return [.. Enumerable.Range(0, 64).Select(k => size == 1 ? jpeg[p + 1 + k] : (jpeg[p + 1 + 2 * k] << 8) | jpeg[p + 2 + 2 * k])];
                    p += 1 + 64 * size;
                }
            if (marker == 0xDA) break;
            i += 2 + length;
        }
        throw new InvalidDataException("no luminance quantisation table");
    }

    private static readonly int[] StandardLuminance =
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    private static readonly int[] ZigzagToNatural =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    /// <summary>The table libjpeg (jpeg_set_quality, baseline) writes for <paramref name="quality"/>, in zigzag order.</summary>
    public static int[] ExpectedLuminanceTable(int quality)
    {
        var scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
        return [.. ZigzagToNatural.Select(n => Math.Clamp((StandardLuminance[n] * scale + 50) / 100, 1, 255))];
    }

    /// <summary>Share of pixels in the disc at (cx, cy) of radius r (between 0.5 r and 0.95 r) that are near white.</summary>
    public static double WhiteShare(DecodedImage image, double cx, double cy, double r)
    {
        int white = 0, all = 0;
        for (var y = (int)(cy - r); y <= (int)(cy + r); y++)
            for (var x = (int)(cx - r); x <= (int)(cx + r); x++)
            {
                var d = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
                if (d < 0.5 * r || d > 0.95 * r || x < 0 || y < 0 || x >= image.Width || y >= image.Height) continue;
                all++;
                var i = (y * image.Width + x) * 4;
                if (image.Pixels[i] > 200 && image.Pixels[i + 1] > 200 && image.Pixels[i + 2] > 200) white++;
            }
        return all == 0 ? 0 : white / (double)all;
    }

    /// <summary>Mean absolute difference per channel between two decoded pictures of one size.</summary>
    public static double MeanDifference(DecodedImage a, DecodedImage b)
    {
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        long sum = 0;
        for (var i = 0; i < a.Pixels.Length; i++)
            if (i % 4 != 3) sum += Math.Abs(a.Pixels[i] - b.Pixels[i]);
        return sum / (a.Pixels.Length * 0.75);
    }
}
