using Appliance.Devices.Display;
using Appliance.Core.Screen;
using Appliance.Ui.Images;
using Appliance.Ui.Text;
using Appliance.TestSupport;
using SkiaSharp;

namespace Appliance.Ui.Tests;

public sealed class WindowTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Evaluation_window_uses_the_seed_defaults_and_returns_the_tapped_content()
    {
        await using var pad = new SignPad();
        var choice = pad.Screen.ShowEvaluationAsync(new EvaluationWindowOptions(), Ct);
        // Default pos (340,280) 600x240 on the palette's button blue (not the seed's 0x71A2E4: white on it is 2.6:1); the corners just inside are background.
        Assert.Equal(UiPalette.Button.Rgb, pad.Pixel(342, 282));
        Assert.Equal(UiPalette.Button.Rgb, pad.Pixel(938, 518));
        Assert.NotEqual(UiPalette.Button.Rgb, pad.Pixel(338, 282));
        // The tip is white text in the top band.
        Assert.Contains(Enumerable.Range(340, 600), x => pad.Pixel(x, 280 + 30) == 0xFFFFFF);
        // Built-in icon 0 (green face) in the first quarter.
        Assert.Contains(Enumerable.Range(350, 140).SelectMany(x => Enumerable.Range(340, 120).Select(y => (x, y))), p => pad.Pixel(p.x, p.y) == 0x2EB84B);
        // Icon 3 (red face) in the last quarter.
        Assert.Contains(Enumerable.Range(790, 140).SelectMany(x => Enumerable.Range(340, 120).Select(y => (x, y))), p => pad.Pixel(p.x, p.y) == 0xE53935);

        await pad.TapAsync(340 + 600 * 5 / 8, 420);      // third button: 一般
        Assert.Equal("一般", await choice.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.NotEqual(UiPalette.Button.Rgb, pad.Pixel(342, 282));
    }

    [Fact]
    public async Task Evaluation_window_takes_custom_pos_texts_and_colours()
    {
        await using var pad = new SignPad();
        var options = new EvaluationWindowOptions
        {
            Pos = UiPos.FromSize(0, 0, 400, 200),
            BackgroundColor = UiColor.Parse("0x102030"),
            TipMessage = new TipMessage { Content = "满意吗", FontSize = 30, TextColor = UiColor.Parse("0xFFFF00") },
            Buttons = [new EvaluationButton { Content = "好", ButtonColor = UiColor.Parse("0x00FF00") }, new EvaluationButton { Content = "差", ButtonColor = UiColor.Parse("0x102030") }],
        };
        var choice = pad.Screen.ShowEvaluationAsync(options, Ct);
        Assert.Equal(0x102030u, pad.Pixel(2, 2));
        Assert.Contains(Enumerable.Range(0, 400), x => pad.Pixel(x, 33) == 0xFFFF00);
        Assert.Equal(0x00FF00u, pad.Pixel(20, 150));          // first button filled green
        Assert.Equal(0x102030u, pad.Pixel(220, 150));         // second: background colour ⇒ transparent
        await Assert.ThrowsAsync<ScreenBusyException>(() => pad.Screen.ShowEvaluationAsync(options, Ct));
        await pad.TapAsync(300, 150);
        Assert.Equal("差", await choice.WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task Floating_buttons_default_to_confirm_and_cancel_at_950_700_and_report_clicks()
    {
        await using var pad = new SignPad();
        var group = await pad.Screen.ShowFloatingButtonsAsync(new FloatingButtonGroupOptions(), Ct);
        var blue = Enumerable.Range(950, 256).Where(x => pad.Pixel(x, 714) == UiPalette.Button.Rgb).ToList();
        Assert.NotEmpty(blue);
        Assert.True(blue.Min() >= 950 && blue.Max() < 1206);
        // Two buttons: a gap of non-blue between two runs.
        var runs = blue.Zip(blue.Skip(1)).Count(p => p.Second != p.First + 1) + 1;
        Assert.Equal(2, runs);
        Assert.Null(group.LastClicked);
        var next = group.WaitForClickAsync(Ct);
        await pad.TapAsync(blue.Max() - 5, 730);
        Assert.Equal("取消", await next.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        await pad.TapAsync(blue.Min() + 5, 730);
        Assert.Equal("确认", group.LastClicked);
        Assert.True(pad.Screen.CloseFloatingButtons());
        Assert.NotEqual(UiPalette.Button.Rgb, pad.Pixel(blue.Min() + 5, 714));
    }

    [Fact]
    public async Task Floating_buttons_take_sizes_and_an_icon_file()
    {
        using var dir = new TempDir();
        var icon = dir.Combine("icon.png");
        WritePng(icon, 16, 16, new SKColor(0xFF, 0x00, 0xFF));
        await using var pad = new SignPad();
        await pad.Screen.ShowFloatingButtonsAsync(new FloatingButtonGroupOptions
        {
            Pos = UiPos.FromSize(100, 100, 300, 100),
            Buttons = [new FloatingButton { Content = "签", Width = 200, Height = 80, Icon = "icon", IconImage = UiImageSource.FromFile(icon), ButtonColor = UiColor.Parse("0x336699") }],
        }, Ct);
        Assert.Equal(0x336699u, pad.Pixel(160, 120));
        Assert.Equal(0x336699u, pad.Pixel(340, 180));
        Assert.NotEqual(0x336699u, pad.Pixel(147, 120));
        Assert.Contains(Enumerable.Range(150, 200).SelectMany(x => Enumerable.Range(110, 80).Select(y => (x, y))), p => pad.Pixel(p.x, p.y) == 0xFF00FF);
        await Assert.ThrowsAsync<UiImageException>(() => pad.Screen.ShowFloatingButtonsAsync(new FloatingButtonGroupOptions
        {
            Buttons = [new FloatingButton { Content = "x", Icon = "gone", IconImage = UiImageSource.FromFile(dir.Combine("missing.png")) }],
        }, Ct));
    }

    [Fact]
    public async Task Carousel_shows_file_and_base64_pictures_in_turn_and_stops()
    {
        using var dir = new TempDir();
        var red = dir.Combine("red.png");
        WritePng(red, 40, 40, new SKColor(0xFF, 0, 0));
        var greenBase64 = Convert.ToBase64String(EncodePng(40, 40, new SKColor(0, 0xFF, 0)));
        await using var pad = new SignPad();
        var idle = pad.Pixel(640, 600);
        await pad.Screen.StartCarouselAsync(new CarouselOptions
        {
            Pictures = [UiImageSource.FromFile(red), UiImageSource.FromBytes(Convert.FromBase64String(greenBase64))],
            Interval = TimeSpan.FromMilliseconds(300),
        }, Ct);
        // No fixed-time assertions: a loaded machine may be late to any tick; the order is what counts.
        Assert.True(pad.Pixel(640, 400) is 0xFF0000 or 0x00FF00);
        Assert.Equal(0u, pad.Pixel(100, 400));   // square pictures are letterboxed on black
        await SignPad.WaitUntilAsync(() => pad.Pixel(640, 400) == 0x00FF00, "the second picture");
        await SignPad.WaitUntilAsync(() => pad.Pixel(640, 400) == 0xFF0000, "the first picture again");
        Assert.True(pad.Screen.StopCarousel());
        Assert.Equal(idle, pad.Pixel(640, 600));
    }

    [Fact]
    public async Task Carousel_names_the_picture_that_cannot_be_loaded()
    {
        await using var pad = new SignPad();
        var e = await Assert.ThrowsAsync<UiImageException>(() => pad.Screen.StartCarouselAsync(new CarouselOptions
        {
            Pictures = [UiImageSource.FromBytes(EncodePng(4, 4, SKColors.Blue)), UiImageSource.FromFile("/no/such/ad.jpg")],
        }, Ct));
        Assert.Contains("piclist[1]", e.Message);
        Assert.DoesNotContain("/no/such", e.Message); // a message a page may read names no path of the terminal's
        Assert.False(pad.Screen.IsCarouselRunning);
    }

    [Fact]
    public async Task Prompt_and_idle_screen_draw_chinese_text()
    {
        await using var pad = new SignPad();
        pad.Screen.SetPairingState("配对中 / pairing");
        pad.Screen.ShowPairingCode(new PairingCodeOptions { RequestId = "r1", Code = "482913", PcName = "柜台 PC-01", Address = "192.0.2.7", ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(2) });
        using (var shot = SKBitmap.Decode(pad.Screen.CapturePng()))
            Assert.Contains(Enumerable.Range(300, 680).SelectMany(x => Enumerable.Range(420, 160).Select(y => (x, y))), p => shot.GetPixel(p.x, p.y) == new SKColor(0x1F, 0x4E, 0x9A));

        pad.Screen.ShowPrompt(new PromptOptions { Text = "请按手指", Detail = "place your finger", Progress = 0.5 });
        // White glyph pixels inside the prompt box (box = middle third).
        var white = Enumerable.Range(213, 853).SelectMany(x => Enumerable.Range(300, 120).Select(y => (x, y))).Count(p => pad.Pixel(p.x, p.y) == 0xFFFFFF);
        Assert.True(white > 200, $"{white} white pixels");
        Assert.Equal(UiPalette.Button.Rgb, pad.Pixel(213 + 86, 266 + 224 + 3));   // progress bar (84 % down the box), left half
        pad.Screen.ClearPrompt();
        Assert.NotEqual(0x202A3Au, pad.Pixel(230, 280));
    }

    [Fact]
    public void A_missing_font_stops_the_screen_with_a_clear_message()
    {
        using var fb = new MemoryFramebuffer(320, 200);
        var e = Assert.Throws<FontLoadException>(() => new ScreenService(fb, new ScreenSettings { CjkFontPath = "/nope/font.ttc" }));
        Assert.Contains("/nope/font.ttc", e.Message);
        Assert.Contains("fonts.cjk", e.Message);
    }

    [Fact]
    public async Task A_rotated_rgb565_panel_with_padded_rows_gets_ink_under_the_pen()
    {
        // The rk3568 board: an 800x1280 portrait panel mounted landscape (rotation 90), here as RGB565 with padded rows.
        await using var pad = new SignPad(800, 1280, rotation: 90, FramebufferPixelFormat.Rgb565, stride: 800 * 2 + 64);
        Assert.Equal((1280, 800), (pad.Screen.Width, pad.Screen.Height));
        _ = pad.Screen.ShowSignatureAsync(new SignatureWindowOptions(), Ct);
        // The pen reports panel coordinates; draw a vertical line along panel x=400 from panel y=200 to 900.
        await pad.LineAsync(400, 200, 400, 900);
        foreach (var y in new[] { 250, 500, 850 }) Assert.True(SignPad.IsDark(pad.PanelPixel(400, y)), $"panel ({400},{y}) {pad.PanelPixel(400, y):X6}");
        Assert.Equal(0xFFFFFFu, pad.PanelPixel(300, 500));
        // In the person's view the line is horizontal: logical y = 800-1-400 = 399, x from 200 to 900.
        using var shot = SKBitmap.Decode(pad.Screen.CapturePng());
        Assert.Equal((1280, 800), (shot.Width, shot.Height));
        Assert.True(shot.GetPixel(500, 399).Red < 100);
        Assert.Equal(SKColors.White, shot.GetPixel(500, 300));
    }

    [Theory]
    [InlineData("12", 12, false)]
    [InlineData("12px", 12, false)]
    [InlineData(" 50% ", 50, true)]
    [InlineData("7.5PX", 7.5, false)]
    public void Lengths_parse_px_and_percent(string text, double value, bool percent)
    {
        Assert.Equal(new UiLength(value, percent), UiLength.Parse(text));
    }

    [Fact]
    public void Colours_parse_the_seed_forms()
    {
        Assert.Equal(UiColor.SeedBlue, UiColor.Parse("0x71A2E4"));
        Assert.Equal(UiColor.White, UiColor.Parse("0xFFFFFFFF"));
        Assert.Equal(new UiColor(0x12, 0x34, 0x56), UiColor.Parse("0x00123456"));
        Assert.Equal(new UiColor(255, 0, 0), UiColor.Parse("red"));
        Assert.Throws<FormatException>(() => UiColor.Parse("bluish"));
        Assert.Throws<FormatException>(() => UiLength.Parse("ten"));
    }

    private static byte[] EncodePng(int w, int h, SKColor colour)
    {
        using var bmp = new SKBitmap(w, h);
        bmp.Erase(colour);
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static void WritePng(string path, int w, int h, SKColor colour) => File.WriteAllBytes(path, EncodePng(w, h, colour));
}
