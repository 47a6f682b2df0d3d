using Appliance.Core.Screen;

namespace Appliance.Ui.Tests;

/// <summary>
/// Issue 23: every button a person taps is at least 9 mm on each side on the board's panel, measured from the pixels
/// (the run of the button's fill through a point inside it), on the 10.1-inch 1280x800 panel and on a denser
/// 10.1-inch 1920x1200 one, where the seed's 140x56 px buttons would be 6.3 mm high.
/// </summary>
public sealed class TouchTargetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static readonly TheoryData<int, int, double> Panels = new() { { 1280, 800, 5.91 }, { 1920, 1200, 8.87 } };

    [Theory]
    [MemberData(nameof(Panels))]
    public async Task The_signature_windows_and_floating_buttons_are_at_least_9_mm(int width, int height, double pixelsPerMm)
    {
        await using var pad = new SignPad(width, height, pixelsPerMm: pixelsPerMm);
        var window = await pad.OpenSignatureWindowAsync(Ct);
        // The OK button's bottom-right corner is 20 px inside the screen's; a point just inside it is its fill.
        var (w, h) = Extent(pad, width - 20 - 8, height - 20 - 8);
        AssertAtLeast9Mm(w, h, pixelsPerMm, "确认");
        await window.DisposeAsync();

        // The floating group at the seed's default place, scaled to the panel: its first button's fill around its middle.
        var group = UiPos.FromSize(width - 330, height - 100, 300, 90);
        await pad.Screen.ShowFloatingButtonsAsync(new FloatingButtonGroupOptions { Pos = group, Buttons = [new FloatingButton { Content = "签" }] }, Ct);
        (w, h) = Extent(pad, width - 330 + 150, height - 100 + 45 - 20);
        AssertAtLeast9Mm(w, h, pixelsPerMm, "签");
    }

    private static void AssertAtLeast9Mm(int width, int height, double pixelsPerMm, string what)
    {
        var (wMm, hMm) = (width / pixelsPerMm, height / pixelsPerMm);
        Assert.True(wMm >= 9 - 0.2 && hMm >= 9 - 0.2, $"{what}: {width}x{height} px = {wMm:0.0}x{hMm:0.0} mm, under 9 mm");
    }

    /// <summary>The bounding box of the button's fill: every pixel of the colour at (x, y) connected to it (the label inside is ringed by it).</summary>
    private static (int Width, int Height) Extent(SignPad pad, int x, int y)
    {
        var fill = pad.Pixel(x, y);
        Assert.Equal(UiPalette.Button.Rgb, fill);
        var seen = new HashSet<(int, int)> { (x, y) };
        var queue = new Queue<(int X, int Y)>([(x, y)]);
        int left = x, right = x, top = y, bottom = y;
        while (queue.TryDequeue(out var p))
        {
            (left, right, top, bottom) = (Math.Min(left, p.X), Math.Max(right, p.X), Math.Min(top, p.Y), Math.Max(bottom, p.Y));
            foreach (var (nx, ny) in new[] { (p.X - 1, p.Y), (p.X + 1, p.Y), (p.X, p.Y - 1), (p.X, p.Y + 1) })
                if (nx >= 0 && ny >= 0 && nx < pad.Framebuffer.Width && ny < pad.Framebuffer.Height && pad.Pixel(nx, ny) == fill && seen.Add((nx, ny)))
                    queue.Enqueue((nx, ny));
        }
        return (right - left + 1, bottom - top + 1);
    }
}
