using Appliance.TestSupport;
using Appliance.Ui;
using SkiaSharp;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>
/// Seed 003 §9.1 <c>sign=start</c>'s accepted window parameters, end to end on the sim board: what the screen shows,
/// where the buttons are and act, and which ink the returned PNG holds.
/// </summary>
public sealed class SignWindowParameterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pos_in_px_size_form_and_in_edge_form_with_percent_places_the_window_and_its_buttons()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        // {left, top, width, height} in px: the default OK button sits 20 px inside the window's bottom-right corner.
        var ok = await OpenAsync(terminal, """{"pos":{"left":"100","top":"100","width":"400","height":"300"}}""", "确认");
        Assert.Equal(new Appliance.Core.Screen.PixelRect(500 - 20 - 140, 400 - 20 - 56, 500 - 20, 400 - 20), ok);
        await WaitForScreenAsync(terminal, bmp => Blue(bmp.GetPixel(ok.Left + 4, ok.Top + 4)) && White(bmp.GetPixel(120, 120)));
        Assert.Equal("0", (await terminal.JsonAsync("/sign=stop")).Code());

        // {left, top, right, bottom} with % of the screen (1280x800): 128..768 x 200..600.
        ok = await OpenAsync(terminal, """{"pos":{"left":"10%","top":"25%","right":"60%","bottom":"75%"}}""", "确认");
        Assert.Equal(new Appliance.Core.Screen.PixelRect(768 - 20 - 140, 600 - 20 - 56, 768 - 20, 600 - 20), ok);
        await WaitForScreenAsync(terminal, bmp => Blue(bmp.GetPixel(ok.Left + 4, ok.Top + 4)) && White(bmp.GetPixel(140, 210)));
    }

    [Fact]
    public async Task Valid_sign_rect_in_px_keeps_ink_inside_it_and_the_remark_comes_back()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var png = await SignAsync(terminal, """{"remark":"rect-px","valid_sign_rect":{"left":"100px","top":"100","right":"600","bottom":"400"}}""",
            inside: (200, 250), outside: (700, 500), "rect-px");
        Assert.True(Inked(png, 190, 240, 500, 270) > 200, "the stroke inside the rectangle is inked");
        Assert.Equal(0, Inked(png, 600, 400, 1280, 800));
        Assert.Equal(0, Inked(png, 0, 0, 100, 800));
    }

    [Fact]
    public async Task Valid_sign_rect_in_percent_of_the_window_keeps_ink_inside_it()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        // The right half of the top half: 640..1280 x 0..400.
        using var png = await SignAsync(terminal, """{"remark":"rect-%","valid_sign_rect":{"left":"50%","top":"0","right":"100%","bottom":"50%"}}""",
            inside: (750, 200), outside: (100, 600), "rect-%");
        Assert.True(Inked(png, 740, 190, 1050, 220) > 200, "the stroke inside the rectangle is inked");
        Assert.Equal(0, Inked(png, 0, 0, 640, 800));
        Assert.Equal(0, Inked(png, 640, 400, 1280, 800));
    }

    [Fact]
    public async Task Opacity_lets_the_screen_beneath_show_through_the_background_image()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        SKColor beneath;
        using (var before = Screen(terminal)) beneath = before.GetPixel(300, 300);
        var red = Convert.ToBase64String(Png(new SKColor(255, 0, 0)));
        Assert.Equal("0", (await terminal.JsonAsync("/sign=start",
            $$$"""{"opacity":"50","pos":{"left":"200","top":"200","width":"400","height":"300"},"background_image":{"base64":"{{{red}}}"}}""")).Code());
        // Half the red picture, half what was on the screen there before.
        var expected = new SKColor((byte)((255 + beneath.Red) / 2), (byte)(beneath.Green / 2), (byte)(beneath.Blue / 2));
        await WaitForScreenAsync(terminal, bmp => Near(bmp.GetPixel(300, 300), expected, 12));
        Assert.False(Near(expected, new SKColor(255, 0, 0), 12), $"the screen beneath ({beneath}) must differ from red for this test to mean anything");
    }

    [Fact]
    public async Task Background_image_as_base64_and_as_a_file_path_is_drawn_behind_the_pad()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var green = Convert.ToBase64String(Png(new SKColor(0, 200, 0)));
        Assert.Equal("0", (await terminal.JsonAsync("/sign=start",
            $$$"""{"pos":{"left":"200","top":"200","width":"400","height":"300"},"background_image":{"base64":"{{{green}}}"}}""")).Code());
        await WaitForScreenAsync(terminal, bmp => Near(bmp.GetPixel(300, 300), new SKColor(0, 200, 0), 8));
        Assert.Equal("0", (await terminal.JsonAsync("/sign=stop")).Code());

        // A file path names a file on the PC: refused whether or not the terminal has a file there (tests of that: PictureAccessTests).
        var path = await terminal.JsonAsync("/sign=start", """{"background_image":{"filepath":"/etc/hostname"}}""");
        Assert.Equal("1", path.Code());
        Assert.Contains("base64", path.Str("message"));
    }

    [Fact]
    public async Task Sign_buttons_info_sets_text_visibility_and_place_and_the_moved_button_acts()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var body = """
            {"sign_buttons_info":[
              {"button_name":"sign_ok_button","text":"提交","button_rect":{"left":"100","top":"100","right":"300","bottom":"160"}},
              {"button_name":"sign_reset_button","visible":"0"},
              {"button_name":"sign_return_button","visible":"1","text":"退出","button_rect":{"left":"80%","top":"10%","right":"95%","bottom":"20%"}}]}
            """;
        var ok = await OpenAsync(terminal, body, "提交");
        Assert.Equal(new Appliance.Core.Screen.PixelRect(100, 100, 300, 160), ok);
        var buttons = terminal.Service<ScreenService>().Buttons();
        Assert.Equal(new Appliance.Core.Screen.PixelRect(1024, 80, 1216, 160), Assert.Single(buttons, b => b.Text == "退出").Bounds);
        Assert.DoesNotContain(buttons, b => b.Text == "重签");
        await WaitForScreenAsync(terminal, bmp => Blue(bmp.GetPixel(104, 104)) && Blue(bmp.GetPixel(1028, 84)) && !Blue(bmp.GetPixel(1190 - 160, 752)));

        await terminal.PenAsync([.. Enumerable.Range(0, 30).Select(i => (400 + i * 10, 400, true)), (700, 400, false)]);
        await terminal.TapAsync(200, 130); // the moved OK button
        var done = await terminal.UntilAsync("/sign=status", "", a => a.Str("status") != "1");
        Assert.Equal("2", done.Str("status"));
        Assert.Equal("0", (await terminal.JsonAsync("/sign=get")).Code());
    }

    [Fact]
    public async Task Tip_message_is_drawn_at_the_top_of_the_window()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await OpenAsync(terminal, "{}", "确认");
        using (var plain = Screen(terminal)) Assert.Equal(0, Count(plain, 0, 8, 1280, 80, RedText));
        Assert.Equal("0", (await terminal.JsonAsync("/sign=stop")).Code());

        await OpenAsync(terminal, """{"tip_message":{"content":"请在此处签名","fontsize":"40","color":"0xFF0000"}}""", "确认");
        await WaitForScreenAsync(terminal, bmp => Count(bmp, 0, 8, 1280, 80, RedText) > 100);
        using var shown = Screen(terminal);
        Assert.Equal(0, Count(shown, 0, 100, 1280, 700, RedText)); // only the tip area changed
    }

    [Fact]
    public async Task Button_rect_as_the_seeds_string_in_edge_list_and_json_text_forms_places_the_button()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        // Seed 003 types button_rect as a String "defined like valid_sign_rect": "left,top,right,bottom", px when no unit.
        var ok = await OpenAsync(terminal, """{"sign_buttons_info":[{"button_name":"sign_ok_button","button_rect":"100,100px,25%,20%"}]}""", "确认");
        Assert.Equal(new Appliance.Core.Screen.PixelRect(100, 100, 320, 160), ok);
        await WaitForScreenAsync(terminal, bmp => Blue(bmp.GetPixel(104, 104)));
        await terminal.PenAsync([.. Enumerable.Range(0, 30).Select(i => (400 + i * 10, 400, true)), (700, 400, false)]);
        await terminal.TapAsync(200, 130);
        Assert.Equal("2", (await terminal.UntilAsync("/sign=status", "", a => a.Str("status") != "1")).Str("status"));
        Assert.Equal("0", (await terminal.JsonAsync("/sign=reset_status")).Code());

        // The same as JSON text.
        ok = await OpenAsync(terminal, """{"sign_buttons_info":[{"button_name":"sign_reset_button","text":"清除","button_rect":"{\"left\":\"50%\",\"top\":\"0\",\"right\":\"60%\",\"bottom\":\"10%\"}"}]}""", "清除");
        Assert.Equal(new Appliance.Core.Screen.PixelRect(640, 0, 768, 80), ok);
    }

    [Theory]
    [InlineData("1,2,3")]
    [InlineData("1,2,3,wide")]
    [InlineData("{\\\"left\\\":")]
    [InlineData("")]
    public async Task A_malformed_button_rect_string_is_code_1_naming_the_key(string rect)
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var answer = await terminal.JsonAsync("/sign=start", $$"""{"sign_buttons_info":[{"button_name":"sign_ok_button","button_rect":"{{rect}}"}]}""");
        Assert.Equal("1", answer.Code());
        Assert.Contains("sign_buttons_info[0].button_rect", answer.Str("message"));
        Assert.False(terminal.Service<ScreenService>().IsSigning);
    }

    [Fact]
    public async Task Background_image_by_uuid_shows_the_picture_video_grabimage_stored_and_an_unknown_uuid_is_named()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var grab = await terminal.JsonAsync("/video=grabimage", """{"camidx":"0","make_uuid":"1","image_process_info":{"rotate":"0"}}""");
        Assert.True(grab.Code() == "0", grab.ToString());
        var image = grab.GetProperty("images")[0];
        var uuid = image.Str("uuid");
        using var scene = SKBitmap.Decode(Convert.FromBase64String(image.Str("base64")));

        // A window half the picture's size: the stored picture is stretched over it, so screen (x, y) shows scene (2x, 2y).
        var (w, h) = (scene.Width / 2, scene.Height / 2);
        Assert.Equal("0", (await terminal.JsonAsync("/sign=start",
            $$$"""{"pos":{"left":"0","top":"0","width":"{{{w}}}","height":"{{{h}}}"},"background_image":{"uuid":"{{{uuid}}}"}}""")).Code());
        // Sample the scene on a grid away from the buttons (bottom edge): the screen shows the grabbed picture there.
        var points = (from gx in Enumerable.Range(1, 5) from gy in Enumerable.Range(1, 3) select (X: gx * w / 6, Y: gy * (h - 100) / 4)).ToList();
        await WaitForScreenAsync(terminal, bmp => points.All(p => Near(bmp.GetPixel(p.X, p.Y), scene.GetPixel(p.X * 2, p.Y * 2), 40)));
        Assert.True(points.Select(p => scene.GetPixel(p.X * 2, p.Y * 2)).Distinct().Count() > 1, "the camera scene is not one flat colour");
        Assert.Equal("0", (await terminal.JsonAsync("/sign=stop")).Code());

        var unknown = await terminal.JsonAsync("/sign=start", """{"background_image":{"uuid":"0123456789abcdef0123456789abcdef"}}""");
        Assert.Equal("1", unknown.Code());
        Assert.Contains("0123456789abcdef0123456789abcdef", unknown.Str("message"));
        Assert.Contains("background_image.uuid", unknown.Str("message"));

        // The page path the grab answered names the same picture.
        Assert.Equal("0", (await terminal.JsonAsync("/sign=start",
            $$$"""{"pos":{"left":"0","top":"0","width":"{{{w}}}","height":"{{{h}}}"},"background_image":{"filepath":"{{{image.Str("filepath")}}}"}}""")).Code());
        await WaitForScreenAsync(terminal, bmp => points.All(p => Near(bmp.GetPixel(p.X, p.Y), scene.GetPixel(p.X * 2, p.Y * 2), 40)));
        Assert.Equal("0", (await terminal.JsonAsync("/sign=stop")).Code());
    }

    [Fact]
    public async Task The_advertising_player_shows_a_picture_fetched_by_http_url_and_names_an_unreachable_entry()
    {
        using var server = new LoopbackHttpServer("/ads/teal.png", Png(new SKColor(0, 128, 128)), chunked: true);
        var gonePort = FreePorts.Take(1)[0];
        // Loopback is never a picture host; this terminal's fetcher treats the two test servers' ports as a LAN host would be.
        await using var terminal = await PictureAccessTests.StartWithPictureHostAsync(server.Port, gonePort);
        Assert.Equal("0", (await terminal.JsonAsync("/sign=showadvertisingplayer", $$"""{"piclist":["{{server.Url}}"],"time":"3"}""")).Code());
        await WaitForScreenAsync(terminal, bmp => Near(bmp.GetPixel(640, 400), new SKColor(0, 128, 128), 8));
        Assert.Equal("0", (await terminal.JsonAsync("/sign=closeadvertisingplayer")).Code());

        // The second entry's server is not there: the answer names that entry, and nothing is shown.
        var gone = $"http://127.0.0.1:{gonePort}/ads/gone.png";
        var answer = await terminal.JsonAsync("/sign=showadvertisingplayer", $$"""{"piclist":["{{server.Url}}","{{gone}}"]}""");
        Assert.Equal("1", answer.Code());
        Assert.Contains("piclist[1]", answer.Str("message"));
        Assert.Contains("could not be fetched", answer.Str("message"));
        var missing = await terminal.JsonAsync("/sign=showadvertisingplayer", $$"""{"piclist":["http://127.0.0.1:{{server.Port}}/ads/none.png"]}""");
        Assert.Equal("1", missing.Code());
        Assert.Contains("HTTP 404", missing.Str("message"));
        using var shown = Screen(terminal);
        Assert.False(Near(shown.GetPixel(640, 400), new SKColor(0, 128, 128), 8), "the failed carousel must not be on screen");
    }

    // ------------------------------------------------------------ helpers

    /// <summary>Starts the window, waits until it is up and returns the bounds of the button labelled <paramref name="buttonText"/>.</summary>
    internal static async Task<Appliance.Core.Screen.PixelRect> OpenAsync(RunningTerminal terminal, string body, string buttonText)
    {
        var start = await terminal.JsonAsync("/sign=start", body);
        Assert.True(start.Code() == "0", start.ToString());
        var screen = terminal.Service<ScreenService>();
        using var opened = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!screen.IsSigning) await Task.Delay(20, opened.Token);
        return Assert.Single(screen.Buttons(), b => b.Text == buttonText).Bounds;
    }

    /// <summary>Opens the window, draws a stroke 300 px to the right from each point, presses OK, returns sign=get's PNG.</summary>
    private static async Task<SKBitmap> SignAsync(RunningTerminal terminal, string body, (int X, int Y) inside, (int X, int Y) outside, string remark)
    {
        var ok = await OpenAsync(terminal, body, "确认");
        foreach (var (x, y) in new[] { inside, outside })
            await terminal.PenAsync([.. Enumerable.Range(0, 31).Select(i => (x + i * 10, y, true)), (x + 300, y, false)]);
        await terminal.TapAsync((ok.Left + ok.Right) / 2, (ok.Top + ok.Bottom) / 2);
        await terminal.UntilAsync("/sign=status", "", a => a.Str("status") != "1");
        var get = await terminal.JsonAsync("/sign=get");
        Assert.True(get.Code() == "0", get.ToString());
        Assert.Equal(remark, get.Str("remark"));
        return SKBitmap.Decode(Convert.FromBase64String(get.Str("image")));
    }

    private static int Inked(SKBitmap png, int left, int top, int right, int bottom) => Count(png, left, top, right, bottom, c => c.Alpha > 0);

    private static int Count(SKBitmap bmp, int left, int top, int right, int bottom, Func<SKColor, bool> which)
    {
        var n = 0;
        for (var y = top; y < Math.Min(bottom, bmp.Height); y++)
            for (var x = left; x < Math.Min(right, bmp.Width); x++)
                if (which(bmp.GetPixel(x, y))) n++;
        return n;
    }

    private static bool RedText(SKColor c) => c.Red > 180 && c.Green < 90 && c.Blue < 90;
    private static bool Blue(SKColor c) => Near(c, new SKColor(0x1F, 0x5F, 0xAD), 24); // UiPalette.Button
    private static bool White(SKColor c) => Near(c, SKColors.White, 8);

    internal static bool Near(SKColor a, SKColor b, int tolerance) =>
        Math.Abs(a.Red - b.Red) <= tolerance && Math.Abs(a.Green - b.Green) <= tolerance && Math.Abs(a.Blue - b.Blue) <= tolerance;

    internal static byte[] Png(SKColor colour)
    {
        using var bitmap = new SKBitmap(64, 48);
        bitmap.Erase(colour);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    internal static SKBitmap Screen(RunningTerminal terminal) => SKBitmap.Decode(terminal.Service<ScreenService>().CapturePng());

    internal static async Task WaitForScreenAsync(RunningTerminal terminal, Func<SKBitmap, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using (var screen = Screen(terminal))
                if (condition(screen)) return;
            Assert.True(DateTime.UtcNow < deadline, "the screen never showed what was expected");
            await Task.Delay(100, Ct);
        }
    }
}
