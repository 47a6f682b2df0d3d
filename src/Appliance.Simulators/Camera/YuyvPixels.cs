namespace Appliance.Simulators.Camera;

/// <summary>
/// RGBA → packed YUYV 4:2:2 the way a USB camera codes it: BT.601 coefficients, limited range (Y 16-235,
/// Cb/Cr 16-240), each pair of pixels sharing the average of their chroma. Byte order Y0 Cb Y1 Cr.
/// </summary>
public static class YuyvPixels
{
    public static byte[] FromRgba(ReadOnlySpan<byte> rgba, int width, int height)
    {
        if ((width & 1) != 0) throw new ArgumentException("YUYV needs an even width", nameof(width));
        var yuyv = new byte[width * height * 2];
        for (var row = 0; row < height; row++)
        {
            for (var x = 0; x < width; x += 2)
            {
                var a = (row * width + x) * 4;
                var (y0, cb0, cr0) = Ycc(rgba[a], rgba[a + 1], rgba[a + 2]);
                var (y1, cb1, cr1) = Ycc(rgba[a + 4], rgba[a + 5], rgba[a + 6]);
                var o = (row * width + x) * 2;
                yuyv[o] = y0;
                yuyv[o + 1] = Byte((cb0 + cb1) / 2);
                yuyv[o + 2] = y1;
                yuyv[o + 3] = Byte((cr0 + cr1) / 2);
            }
        }
        return yuyv;
    }

    private static (byte Y, double Cb, double Cr) Ycc(byte r, byte g, byte b) => (
        Byte(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255),
        128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255,
        128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255);

    private static byte Byte(double value) => (byte)Math.Clamp((int)Math.Round(value), 0, 255);
}
