using Appliance.Imaging.Composite;
using Appliance.TestSupport.Fakes;
using SkiaSharp;

namespace Appliance.Imaging.Tests.Composite;

public sealed class SignFingerCompositeTests
{
    [Fact]
    public void The_finger_is_pressed_in_red_over_the_end_of_the_signature_on_transparent_paper()
    {
        var signature = TestImages.SignaturePng(400, 160);
        using var original = TestImages.Decode(signature);
        var ink = SignFingerComposite.InkBounds(original)!.Value;

        using var merged = TestImages.Decode(SignFingerComposite.Merge(signature, TestImages.FingerprintPng()));

        Assert.Equal(0, merged.GetPixel(0, 0).Alpha);
        var red = new List<SKPointI>();
        for (var y = 0; y < merged.Height; y++)
            for (var x = 0; x < merged.Width; x++)
            {
                var c = merged.GetPixel(x, y);
                if (c.Alpha > 128 && c.Red > 120 && c.Green < 60 && c.Blue < 60) red.Add(new SKPointI(x, y));
            }
        Assert.True(red.Count > 500, $"{red.Count} red pixels");
        // The impression is centred near the last stroke: its red reaches left of the ink's right edge (overlap).
        var meanX = red.Average(p => p.X);
        Assert.InRange(meanX, ink.Right - 120, ink.Right + 60);
        Assert.Contains(red, p => p.X < ink.Right);
        // The signature's black ink is still there, where it was.
        var black = 0;
        for (var y = ink.Top; y < ink.Bottom; y++)
            for (var x = ink.Left; x < ink.Left + 60; x++)
            {
                var c = merged.GetPixel(x, y);
                if (c.Alpha > 128 && c.Red < 60 && c.Green < 60) black++;
            }
        Assert.True(black > 50, $"{black} black pixels at the start of the signature");
    }

    [Fact]
    public void Not_an_image_is_an_argument_error()
    {
        Assert.ThrowsAny<ArgumentException>(() => SignFingerComposite.Merge([1, 2, 3], TestImages.FingerprintPng()));
        Assert.ThrowsAny<ArgumentException>(() => SignFingerComposite.Merge(TestImages.SignaturePng(), []));
    }
}
