using Appliance.TestSupport;
using Appliance.Core.Screen;

namespace Appliance.Ui.Tests;

/// <summary>
/// Issue 23: every label at WCAG AA, read from the pixels on the panel as a person sees them (not from our options):
/// in a label's box the commonest colour is what it stands on, the label is the colour that differs most from it.
/// </summary>
public sealed class LabelContrastTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_signature_windows_buttons_read_at_aa_by_default()
    {
        await using var pad = new SignPad();
        var window = await pad.OpenSignatureWindowAsync(Ct);
        // Full screen, 1280x800: 确认 sits 20 px inside the bottom-right corner (140x56), 重签 20 px left of it.
        AssertReadable(pad, 1120, 724, 1260, 780, UiContrast.Normal, "确认");
        AssertReadable(pad, 960, 724, 1100, 780, UiContrast.Normal, "重签");
        await window.DisposeAsync();
    }

    [Fact]
    public async Task The_evaluation_window_reads_at_aa_with_its_defaults_and_with_a_pages_pale_colours()
    {
        await using (var pad = new SignPad())
        {
            _ = pad.Screen.ShowEvaluationAsync(new EvaluationWindowOptions(), Ct);
            // Default pos (340,280) 600x240: the tip (28 px) across the top, four buttons below with their labels at the bottom.
            await SignPad.WaitUntilAsync(() => pad.Pixel(342, 282) == UiPalette.Button.Rgb, "the evaluation window");
            AssertReadable(pad, 350, 282, 930, 338, UiContrast.Large, "the tip");
            for (var i = 0; i < 4; i++)
                AssertReadable(pad, 350 + i * 148, 490, 340 + (i + 1) * 148, 516, UiContrast.Normal, $"button {i}'s label");
        }
        await using (var pad = new SignPad())
        {
            // A page's colours that would not read (light grey on white): the labels are drawn readable anyway.
            var pale = UiColor.Parse("0xCCCCCC");
            _ = pad.Screen.ShowEvaluationAsync(new EvaluationWindowOptions
            {
                BackgroundColor = UiColor.White,
                TipMessage = new TipMessage { Content = "请评价 / Please rate", FontSize = 28, TextColor = pale },
                Buttons = [new EvaluationButton { Content = "满意", TextColor = pale, ButtonColor = UiColor.White }, new EvaluationButton { Content = "不满意", TextColor = pale, ButtonColor = UiColor.Parse("0xEEEEEE") }],
            }, Ct);
            await SignPad.WaitUntilAsync(() => pad.Pixel(342, 282) == 0xFFFFFF, "the evaluation window");
            AssertReadable(pad, 350, 282, 930, 338, UiContrast.Large, "the tip");
            // Without icons a label is centred in its button (346..510 high).
            AssertReadable(pad, 350, 400, 630, 456, UiContrast.Normal, "满意 on the window's white");
            AssertReadable(pad, 650, 400, 930, 456, UiContrast.Normal, "不满意 on 0xEEEEEE");
        }
    }

    [Fact]
    public async Task Floating_buttons_read_at_aa_by_default()
    {
        await using var pad = new SignPad();
        await pad.Screen.ShowFloatingButtonsAsync(new FloatingButtonGroupOptions { Buttons = [new FloatingButton { Content = "签名 / Sign" }] }, Ct);
        // Default pos (950,700) 256x64.
        AssertReadable(pad, 955, 705, 1200, 760, UiContrast.Normal, "签名 / Sign");
    }

    [Fact]
    public void The_palettes_text_pairs_meet_aa_and_the_seed_blue_does_not()
    {
        Assert.Equal(21.0, UiContrast.Ratio(UiColor.Black, UiColor.White), 2);
        Assert.InRange(UiContrast.Ratio(UiColor.White, UiColor.SeedBlue), 2.6, 2.7); // why the defaults moved off it
        foreach (var (text, fill, name) in new[]
        {
            (UiPalette.OnColour, UiPalette.Button, "button"), (UiPalette.OnColour, UiPalette.Accent, "accent"),
            (UiPalette.OnColour, UiPalette.Neutral, "neutral"), (UiPalette.OnColour, UiPalette.Danger, "danger"),
            (UiPalette.PageText, UiPalette.PageBackground, "page text"), (UiPalette.PageSecondary, UiPalette.PageBackground, "secondary text"),
            (UiPalette.Accent, UiPalette.PageBackground, "accent text"), (UiPalette.PromptDetail, UiPalette.PromptBackground, "prompt detail"),
            (UiPalette.OnColour, UiPalette.PromptBackground, "prompt"),
        })
            Assert.True(UiContrast.Ratio(text, fill) >= UiContrast.Normal, $"{name}: {UiContrast.Ratio(text, fill):0.00}:1");
        Assert.Equal(UiColor.Black, UiContrast.Readable(UiColor.Parse("0xCCCCCC"), UiColor.White, 18));
        Assert.Equal(UiColor.White, UiContrast.Readable(UiColor.Parse("0x333333"), UiColor.Parse("0x202020"), 18));
        Assert.Equal(UiColor.Parse("0x767676"), UiContrast.Readable(UiColor.Parse("0x767676"), UiColor.White, 18)); // 4.54:1 passes
    }

    private static void AssertReadable(SignPad pad, int left, int top, int right, int bottom, double needed, string what) =>
        Contrast.AssertReadable(pad.Pixel, new SkiaSharp.SKRectI(left, top, right, bottom), needed, what);
}
