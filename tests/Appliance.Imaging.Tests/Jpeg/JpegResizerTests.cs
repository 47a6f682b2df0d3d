using Appliance.Imaging.Jpeg;

namespace Appliance.Imaging.Tests.Jpeg;

/// <summary>Preview frames fitted into a box (seed 003 §5.14): aspect ratio kept, never enlarged, the picture still the picture.</summary>
public sealed class JpegResizerTests
{
    [Theory]
    [InlineData(1280, 720, 640, 480, 640, 360)]
    [InlineData(1280, 800, 640, 480, 640, 400)]
    [InlineData(720, 1280, 640, 480, 270, 480)]
    [InlineData(640, 480, 1920, 1080, 640, 480)] // never enlarged
    [InlineData(2592, 1944, 333, 333, 333, 250)]
    public void The_size_fits_the_box_with_the_source_aspect(int w, int h, int boxW, int boxH, int expectedW, int expectedH) =>
        Assert.Equal((expectedW, expectedH), JpegResizer.Fit(w, h, boxW, boxH));

    [Fact]
    public void A_frame_is_decoded_at_a_dct_scale_resized_and_encoded_keeping_what_it_shows()
    {
        // Left half red, right half blue, 1280x720.
        var pixels = new byte[1280 * 720 * 4];
        for (var y = 0; y < 720; y++)
            for (var x = 0; x < 1280; x++)
            {
                var i = (y * 1280 + x) * 4;
                (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]) = x < 640 ? ((byte)220, (byte)20, (byte)20, (byte)255) : ((byte)20, (byte)20, (byte)220, (byte)255);
            }
        var jpeg = JpegCodec.Shared.Encode(pixels, 1280, 720, JpegPixels.Rgba, 90);

        // 1/2 is the smallest DCT scale still at least 500x281: decoded at 640x360, then resized.
        var atScale = JpegCodec.Shared.DecodeAtLeast(jpeg, 500, 281);
        Assert.Equal((640, 360), (atScale.Width, atScale.Height));

        var small = JpegResizer.FitWithin(jpeg, 500, 500, 85);
        var decoded = JpegCodec.Shared.Decode(small);
        Assert.Equal((500, 281), (decoded.Width, decoded.Height));
        int Red(int x, int y) => decoded.Pixels[(y * 500 + x) * 4];
        int Blue(int x, int y) => decoded.Pixels[(y * 500 + x) * 4 + 2];
        Assert.True(Red(100, 140) > 180 && Blue(100, 140) < 60, "left stays red");
        Assert.True(Blue(400, 140) > 180 && Red(400, 140) < 60, "right stays blue");

        Assert.Same(jpeg, JpegResizer.FitWithin(jpeg, 1920, 1080, 85)); // already fits: the same bytes
    }
}
