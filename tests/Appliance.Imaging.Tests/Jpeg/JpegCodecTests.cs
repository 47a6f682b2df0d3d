using Appliance.Devices.Camera;
using Appliance.Imaging.Jpeg;

namespace Appliance.Imaging.Tests.Jpeg;

public sealed class JpegCodecTests
{
    [Fact]
    public void Rgba_round_trips_through_libturbojpeg()
    {
        var pixels = new byte[64 * 32 * 4];
        for (var i = 0; i < pixels.Length; i += 4) { pixels[i] = 200; pixels[i + 1] = 40; pixels[i + 2] = 40; pixels[i + 3] = 255; }
        var jpeg = JpegCodec.Shared.Encode(pixels, 64, 32, JpegPixels.Rgba, 90);
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        var decoded = JpegCodec.Shared.Decode(jpeg);
        Assert.Equal((64, 32), (decoded.Width, decoded.Height));
        Assert.InRange(decoded.Pixels[0], 190, 210);
        Assert.InRange(decoded.Pixels[1], 30, 50);
    }

    [Fact]
    public void Yuyv_is_encoded_without_going_through_rgb()
    {
        // Mid grey: Y=128, U=V=128 everywhere.
        var yuyv = Enumerable.Repeat((byte)128, 320 * 240 * 2).ToArray();
        var jpeg = JpegCodec.Shared.EncodeYuyv(yuyv, 320, 240, 80, YuvRange.Full);
        var decoded = JpegCodec.Shared.Decode(jpeg);
        Assert.Equal((320, 240), (decoded.Width, decoded.Height));
        Assert.InRange(decoded.Pixels[0], 120, 136);
        Assert.InRange(decoded.Pixels[2], 120, 136);
    }

    [Theory]
    [InlineData(16, 0)]      // limited-range black is black, not grey
    [InlineData(235, 255)]   // limited-range white is white
    public void Limited_range_yuyv_is_stretched_to_full_range(byte luma, int rgb)
    {
        var yuyv = new byte[64 * 16 * 2];
        for (var i = 0; i < yuyv.Length; i += 2) (yuyv[i], yuyv[i + 1]) = (luma, 128);
        var decoded = JpegCodec.Shared.Decode(JpegCodec.Shared.EncodeYuyv(yuyv, 64, 16, 90, YuvRange.Limited));
        Assert.InRange(decoded.Pixels[0], rgb - 3, rgb + 3);
        var unstretched = JpegCodec.Shared.Decode(JpegCodec.Shared.EncodeYuyv(yuyv, 64, 16, 90, YuvRange.Full));
        Assert.InRange(unstretched.Pixels[0], luma - 3, luma + 3);
    }

    [Fact]
    public void Density_is_written_into_the_jfif_header()
    {
        var jpeg = JpegCodec.Shared.Encode(new byte[16 * 16], 16, 16, JpegPixels.Gray, 50);
        Assert.True(JpegCodec.SetDensity(jpeg, 300, 200));
        Assert.Equal([1, 0x01, 0x2C, 0x00, 0xC8], jpeg[13..18]);
        Assert.Throws<JpegException>(() => JpegCodec.Shared.ReadSize([1, 2, 3]));
    }
}
