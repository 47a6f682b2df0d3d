using Appliance.TestSupport;
using Appliance.Core.Screen;

namespace Appliance.Ui.Tests;

/// <summary>
/// Issue 23: no text on the panel is smaller than <see cref="ScreenSettings.MinTextMm"/> (3.2 mm, 19 px on the 10.1-inch
/// 1280x800 panel), whatever size a page asks for or however long its label: measured as the height of the ink on screen.
/// </summary>
public sealed class MinimumTextSizeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A line of Chinese at the minimum em size has ink at least this tall (the CJK glyphs fill about 85 % of the em).</summary>
    private static readonly int MinInkRows = (int)Math.Floor(new ScreenSettings { CjkFontPath = SignPad.FontPath }.MinTextPx * 0.75);

    [Fact]
    public async Task A_pages_8_px_tip_is_drawn_at_the_minimum_size()
    {
        await using var pad = new SignPad();
        Assert.Equal(19, new ScreenSettings { CjkFontPath = SignPad.FontPath }.MinTextPx);
        using var close = new CancellationTokenSource();
        var window = pad.Screen.ShowSignatureAsync(new SignatureWindowOptions
        {
            TipMessage = new TipMessage { Content = "请在框内签名", FontSize = 8 },
        }, close.Token);
        await SignPad.WaitUntilAsync(() => pad.Screen.IsSigning, "the signature window");
        // The tip's band along the top of the full-screen window.
        var rows = InkRows(pad, 400, 4, 880, 60);
        Assert.True(rows >= MinInkRows, $"the tip's ink is {rows} px tall, at least {MinInkRows} expected");
        await close.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => window);
    }

    [Fact]
    public async Task A_label_too_long_for_its_button_stays_at_the_minimum_size_and_is_cut_rather_than_shrunk()
    {
        await using var pad = new SignPad();
        await pad.Screen.ShowFloatingButtonsAsync(new FloatingButtonGroupOptions
        {
            Buttons = [new FloatingButton { Content = "请确认以上信息无误后再签名 / Please confirm the details above before you sign" }],
        }, Ct);
        // Default pos (950,700) 256x64.
        var rows = InkRows(pad, 954, 704, 1202, 760);
        Assert.True(rows >= MinInkRows, $"the label's ink is {rows} px tall, at least {MinInkRows} expected");
    }

    /// <summary>Rows of the box holding a pixel that stands out (3:1 or more) from the box's commonest colour.</summary>
    private static int InkRows(SignPad pad, int left, int top, int right, int bottom)
    {
        var counts = new Dictionary<uint, int>();
        for (var y = top; y < bottom; y++)
            for (var x = left; x < right; x++)
                counts[pad.Pixel(x, y)] = counts.GetValueOrDefault(pad.Pixel(x, y)) + 1;
        var background = Colour(counts.MaxBy(c => c.Value).Key);
        var inked = Enumerable.Range(top, bottom - top)
            .Where(y => Enumerable.Range(left, right - left).Any(x => UiContrast.Ratio(Colour(pad.Pixel(x, y)), background) >= 3)).ToList();
        return inked.Count == 0 ? 0 : inked[^1] - inked[0] + 1;
    }

    private static UiColor Colour(uint rgb) => new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
}
