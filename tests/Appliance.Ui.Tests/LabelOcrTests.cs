using Appliance.TestSupport;
using Appliance.Core.Screen;
using SkiaSharp;

namespace Appliance.Ui.Tests;

/// <summary>
/// Issue 23: an OCR engine reads every button's label off the panel, as a person with ordinary eyes would: on the sim
/// board's 1280x800 panel and on the rk3568 profile's 800x1280 panel mounted turned a quarter (its logical screen is
/// the same 1280x800, the boxes below are where the person sees each label).
/// </summary>
public sealed class LabelOcrTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static readonly TheoryData<int, int, int> Panels = new() { { 1280, 800, 0 }, { 800, 1280, 90 } };

    [Theory]
    [MemberData(nameof(Panels))]
    public async Task The_signature_windows_buttons_read_as_their_labels(int width, int height, int rotation)
    {
        await using var pad = new SignPad(width, height, rotation);
        var window = await pad.OpenSignatureWindowAsync(Ct);
        var png = pad.PanelPng();
        // Each button's face (140x56 along the bottom-right edge), inside its rounded border.
        Assert.Equal("确认", await Ocr.ReadLineAsync(png, rotation, new SKRectI(1126, 728, 1254, 776), Ct));
        Assert.Equal("重签", await Ocr.ReadLineAsync(png, rotation, new SKRectI(966, 728, 1094, 776), Ct));
        await window.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Panels))]
    public async Task The_evaluation_windows_tip_and_labels_read_as_written(int width, int height, int rotation)
    {
        await using var pad = new SignPad(width, height, rotation);
        var evaluation = pad.Screen.ShowEvaluationAsync(new EvaluationWindowOptions(), Ct);
        await WaitForFramesAsync(pad);
        var png = pad.PanelPng();
        Assert.Equal("请您对我们的服务进行评价", await Ocr.ReadLineAsync(png, rotation, new SKRectI(340, 280, 940, 340), Ct));
        string[] labels = ["非常满意", "基本满意", "一般", "不满意"];
        for (var i = 0; i < 4; i++)
            Assert.Equal(labels[i], await Ocr.ReadLineAsync(png, rotation, new SKRectI(345 + i * 148, 482, 345 + (i + 1) * 148, 516), Ct));
        Assert.False(evaluation.IsCompleted);
    }

    [Theory]
    [MemberData(nameof(Panels))]
    public async Task Floating_buttons_and_a_prompt_read_as_written(int width, int height, int rotation)
    {
        await using var pad = new SignPad(width, height, rotation);
        await pad.Screen.ShowFloatingButtonsAsync(new FloatingButtonGroupOptions(), Ct);
        var png = pad.PanelPng();
        // Default pos (950,700) 256x64: 确认 and 取消 side by side, each fitted to its label.
        Assert.Equal("确认", await Ocr.ReadLineAsync(png, rotation, new SKRectI(1004, 714, 1070, 750), Ct));
        Assert.Equal("取消", await Ocr.ReadLineAsync(png, rotation, new SKRectI(1088, 714, 1154, 750), Ct));

        pad.Screen.ShowPrompt(new PromptOptions { Text = "请放置身份证", Detail = "Place your ID card" });
        png = pad.PanelPng();
        Assert.Equal("请放置身份证", await Ocr.ReadLineAsync(png, rotation, PromptLine(0.12f, 0.5f), Ct));
        Assert.Equal("PlaceyourIDcard", await Ocr.ReadLineAsync(png, rotation, PromptLine(0.5f, 0.72f), Ct));
    }

    [Theory]
    [MemberData(nameof(Panels))]
    public async Task The_idle_screen_and_the_pairing_code_read_as_written(int width, int height, int rotation)
    {
        await using var pad = new SignPad(width, height, rotation);
        pad.Screen.ShowIdle(new IdleScreenInfo { TerminalName = "SIGN-10 0042", Addresses = ["192.0.2.10"], PairingState = "未配对 / not paired" });
        var png = pad.PanelPng();
        // The title band (top 12 %), then centred lines: the name at 30 % (48 px), the address, the pairing state.
        var title = await Ocr.ReadLineAsync(png, rotation, new SKRectI(40, 0, 1240, 96), Ct);
        Assert.Contains("电子签批终端", title);
        Assert.Contains("Signingterminal", title);
        Assert.Equal("SIGN-100042", await Ocr.ReadLineAsync(png, rotation, new SKRectI(51, 192, 1229, 288), Ct));
        Assert.Equal("192.0.2.10", await Ocr.ReadLineAsync(png, rotation, new SKRectI(51, 302, 1229, 354), Ct));
        Assert.Equal("未配对/notpaired", await Ocr.ReadLineAsync(png, rotation, new SKRectI(51, 366, 1229, 418), Ct));

        pad.Screen.ShowPairingCode(new PairingCodeOptions
        {
            RequestId = "req-1", Code = "305172", PcName = "柜台 PC-01", Address = "192.0.2.7", ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(2),
            Cancel = () => { }, // the cancel button is shown when the request can be cancelled
        });
        png = pad.PanelPng();
        // The six digits across the middle (52 %, 112 px), the cancel button at 39 % / 82 % (22 % x 8 % of the screen).
        Assert.Equal("305172", await Ocr.ReadLineAsync(png, rotation, new SKRectI(51, 320, 1229, 512), Ct));
        Assert.Equal("取消/Cancel", await Ocr.ReadLineAsync(png, rotation, new SKRectI(505, 660, 775, 716), Ct));
    }

    [Theory]
    [MemberData(nameof(Panels))]
    public async Task Large_text_mode_draws_the_labels_half_again_as_tall_and_they_still_read(int width, int height, int rotation)
    {
        await using var pad = new SignPad(width, height, rotation);
        var window = await pad.OpenSignatureWindowAsync(Ct);
        var ok = new SKRectI(1126, 728, 1254, 776);
        var normal = LabelRows(pad.PanelPng(), rotation, ok);

        pad.Screen.TextScale = 1.5f; // what param=set {"large_text":"1"} asks; the window on screen is redrawn at once
        var png = pad.PanelPng();
        var large = LabelRows(png, rotation, ok);
        Assert.InRange(large / (double)normal, 1.35, 1.65);
        Assert.Equal("确认", await Ocr.ReadLineAsync(png, rotation, ok, Ct));
        pad.Screen.ShowPrompt(new PromptOptions { Text = "请按手指", Detail = "Place your finger" });
        Assert.Equal("请按手指", await Ocr.ReadLineAsync(pad.PanelPng(), rotation, PromptLine(0.12f, 0.5f), Ct));
        await window.DisposeAsync();
    }

    /// <summary>How many rows of <paramref name="box"/> hold label pixels (white on the button's fill), as the person sees the panel.</summary>
    private static int LabelRows(byte[] panelPng, int rotation, SKRectI box)
    {
        using var stored = SKBitmap.Decode(panelPng);
        using var upright = Ocr.Upright(stored, rotation);
        return Enumerable.Range(box.Top, box.Height).Count(y => Enumerable.Range(box.Left, box.Width).Any(x => upright.GetPixel(x, y) == SKColors.White));
    }

    /// <summary>A band of the prompt panel (centred, 2/3 × 1/3 of the 1280x800 screen).</summary>
    private static SKRectI PromptLine(float from, float to)
    {
        const int w = 1280 * 2 / 3, h = 800 / 3, left = (1280 - w) / 2, top = (800 - h) / 2;
        return new SKRectI(left + 20, top + (int)(h * from), left + w - 20, top + (int)(h * to));
    }

    private static async Task WaitForFramesAsync(SignPad pad)
    {
        var before = pad.Screen.FrameVersion;
        await SignPad.WaitUntilAsync(() => pad.Screen.FrameVersion > before || pad.Screen.FrameVersion > 1, "a frame");
    }
}
