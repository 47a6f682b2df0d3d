using Appliance.Core.Screen;
using SkiaSharp;

namespace Appliance.TestSupport;

/// <summary>The contrast of a label as a person sees it, from the pixels of the upright screen.</summary>
public static class Contrast
{
    /// <summary>
    /// In the box the commonest colour is what the label stands on; the label is the colour (covering a few pixels at
    /// least: glyph cores, not stray edge pixels) that differs most from it.
    /// </summary>
    public static void AssertReadable(SKBitmap screen, SKRectI box, double needed, string what) =>
        AssertReadable((x, y) => (uint)screen.GetPixel(x, y) & 0xFFFFFF, box, needed, what);

    public static void AssertReadable(Func<int, int, uint> pixel, SKRectI box, double needed, string what)
    {
        var counts = new Dictionary<uint, int>();
        for (var y = box.Top; y < box.Bottom; y++)
            for (var x = box.Left; x < box.Right; x++)
            {
                var p = pixel(x, y);
                counts[p] = counts.GetValueOrDefault(p) + 1;
            }
        var background = counts.MaxBy(c => c.Value).Key;
        const int floor = 3;
        var ink = counts.Where(c => c.Value >= floor && c.Key != background).Select(c => c.Key).ToList();
        Assert.True(ink.Count > 0, $"{what}: no label found in {box}");
        var best = ink.Max(c => UiContrast.Ratio(Colour(c), Colour(background)));
        Assert.True(best >= needed, $"{what}: {best:0.00}:1 on 0x{background:X6}, needs {needed}:1");
    }

    public static UiColor Colour(uint rgb) => new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
}
