using System.Text;
using Appliance.Core.Journal;
using Appliance.Imaging.Jpeg;
using Appliance.TestSupport;
using SkiaSharp;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>sign= end to end on the sim board: HTTP → TerminalSession → the screen's windows → pen pipe → journal → answer.</summary>
public sealed class SignTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The sim screen is 1280x800; the default OK button is the rightmost, 140x56, 20 px from the bottom-right corner.
    private const int OkX = 1190, OkY = 752;

    [Fact]
    public async Task A_signature_is_inked_confirmed_journaled_and_fetched_with_its_task_id_and_remark()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var start = await terminal.JsonAsync("/sign=start", """{"remark":"contract-7","tip_message":{"content":"请签名","fontsize":"24"}}""");
        Assert.Equal("0", start.Code());
        var taskId = start.Str("task_id");
        Assert.Equal(32, taskId.Length);

        var signing = await terminal.JsonAsync("/sign=status");
        Assert.Equal("1", signing.Str("status"));
        Assert.Equal(taskId, signing.Str("task_id"));
        var (raw, _) = await terminal.CallAsync("/sign=get");
        Assert.Equal("""{"code":"1","message":"无签字图像: 尚未提交 / no signature image yet: the person has not pressed OK"}""", raw);

        await terminal.PenAsync([.. Enumerable.Range(0, 40).Select(i => (300 + i * 10, 300 + i * 3, true)), (700, 420, false)]);
        await terminal.TapAsync(OkX, OkY);
        var done = await terminal.UntilAsync("/sign=status", "", a => a.Str("status") != "1");
        Assert.Equal("""{"code":"0","message":"获取签字设备状态成功","status":"2","task_id":"%"}""".Replace("%", taskId),
            (await terminal.CallAsync("/sign=status", $$"""{"task_id":"{{taskId}}"}""")).Raw);
        Assert.Equal("2", done.Str("status"));

        var get = await terminal.JsonAsync("/sign=get", $$"""{"task_id":"{{taskId}}"}""");
        Assert.Equal("0", get.Code());
        Assert.Equal(taskId, get.Str("task_id"));
        Assert.Equal("contract-7", get.Str("remark"));
        using var png = SKBitmap.Decode(Convert.FromBase64String(get.Str("image")));
        Assert.Equal((1280, 800), (png.Width, png.Height));
        Assert.True(png.GetPixel(0, 0).Alpha == 0, "the background is transparent");
        var inked = 0;
        for (var x = 300; x < 700; x++) for (var y = 290; y < 430; y++) if (png.GetPixel(x, y).Alpha > 128) inked++;
        Assert.True(inked > 300, $"the stroke is in the image ({inked} inked pixels)");

        // Journaled before it was answered: the journal holds this task's signature, now marked delivered.
        var journal = terminal.Service<ResultsJournal>();
        var entry = Assert.Single(journal.Entries, e => e.TaskId == taskId);
        Assert.Equal(Core.Session.TaskState.Completed, entry.State);
        var record = journal.Read(entry)!;
        Assert.Equal(["signature", "penSamples"], record.Images.Select(i => i.Key));
        Assert.Equal(Convert.FromBase64String(get.Str("image")), record.Image("signature"));
        Assert.Contains(Core.Capture.PenSampleEncoding.Decode(record.Image("penSamples")), s => !s.PenDown); // the stroke ends with a pen-up

        Assert.Equal("""{"code":"0","message":""}""", (await terminal.CallAsync("/sign=reset_status")).Raw);
        Assert.Equal("0", (await terminal.JsonAsync("/sign=status")).Str("status"));
        Assert.Equal("0", (await terminal.JsonAsync("/sign=get", $$"""{"task_id":"{{taskId}}"}""")).Code());
    }

    [Fact]
    public async Task The_raw_samples_are_journaled_with_the_signature_paced_as_drawn_with_tilt_and_stroke_breaks()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var taskId = (await terminal.JsonAsync("/sign=start")).Str("task_id");
        // What the /sim/ page posts for a stylus: each sample with its PointerEvent time and tilt; two strokes.
        string Stroke(int y, double t0, int tiltX, int tiltY) => string.Join(",", Enumerable.Range(0, 20).Select(i =>
            $$"""{"x":{{300 + i * 15}},"y":{{y}},"pressure":0.5,"down":true,"t":{{t0 + i * 10}},"tiltX":{{tiltX}},"tiltY":{{tiltY}}}"""))
            + $$""",{"x":{{300 + 19 * 15}},"y":{{y}},"pressure":0,"down":false,"t":{{t0 + 200}},"tiltX":{{tiltX}},"tiltY":{{tiltY}}}""";
        var posted = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            // Strokes before the window is up are lost: draw until the signature is there, then press OK.
            if (!posted || (await terminal.JsonAsync("/sign=status")).Str("status") == "1")
            {
                using var response = await terminal.Http.PostAsync("/sim/pen", new StringContent(
                    $$"""{"samples":[{{Stroke(300, 1000.25, 30, -10)}},{{Stroke(400, 1500.25, -20, 5)}}]}""", Encoding.UTF8, "text/plain"), Ct);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
                posted = true;
                await terminal.TapAsync(OkX, OkY);
            }
            if ((await terminal.JsonAsync("/sign=status")).Str("status") == "2") break;
            Assert.True(DateTime.UtcNow < deadline, "the signature never completed");
            await Task.Delay(200, Ct);
        }

        var plain = await terminal.JsonAsync("/sign=get", $$"""{"task_id":"{{taskId}}"}""");
        Assert.False(plain.TryGetProperty("samples", out _)); // the seed's answer unless asked
        var get = await terminal.JsonAsync("/sign=get", $$"""{"task_id":"{{taskId}}","with_samples":"1"}""");
        Assert.Equal("0", get.Code());
        var samples = get.GetProperty("samples").EnumerateArray().ToList();
        // The journal holds the same samples, encoded.
        var journal = terminal.Service<ResultsJournal>();
        var encoded = Core.Capture.PenSampleEncoding.Decode(journal.Read(journal.Entries.Single(e => e.TaskId == taskId))!.Image("penSamples"));
        Assert.Equal(encoded.Length, samples.Count);

        // The last two strokes drawn (earlier tries may have inked too): 20 pen-down samples and a pen-up each.
        var ups = samples.Select((s, i) => (s, i)).Where(p => p.s.GetProperty("pen_down").GetInt32() == 0).Select(p => p.i).ToList();
        Assert.True(ups.Count >= 2, $"{ups.Count} strokes");
        var second = samples[(ups[^2] + 1)..(ups[^1] + 1)];
        var first = samples[(ups.Count > 2 ? ups[^3] + 1 : 0)..(ups[^2] + 1)];
        foreach (var (stroke, y, tiltX, tiltY) in new[] { (first, 300, 30, -10), (second, 400, -20, 5) })
        {
            Assert.Equal(21, stroke.Count);
            Assert.All(stroke[..20], s => Assert.Equal(1, s.GetProperty("pen_down").GetInt32()));
            Assert.All(stroke, s => Assert.Equal(y, s.GetProperty("y").GetDouble()));
            Assert.All(stroke, s => Assert.Equal(tiltX, s.GetProperty("tilt_x").GetDouble(), 0.05));
            Assert.All(stroke, s => Assert.Equal(tiltY, s.GetProperty("tilt_y").GetDouble(), 0.05));
            var times = stroke.Select(s => s.GetProperty("time_ms").GetInt64()).ToList();
            // Paced as the pointer events were: 10 ms apart, the lift 10 ms after the last point.
            Assert.Equal(Enumerable.Range(0, 20).Select(i => times[0] + i * 10L).Append(times[0] + 200), times);
        }
        Assert.Equal(500, second[0].GetProperty("time_ms").GetInt64() - first[0].GetProperty("time_ms").GetInt64());
        Assert.Equal(0.5, first[0].GetProperty("pressure").GetDouble(), 0.001);
    }

    [Fact]
    public async Task Return_on_the_terminal_makes_sign_get_answer_code_2_with_the_reason_and_status_3()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var taskId = (await terminal.JsonAsync("/sign=start", """{"sign_buttons_info":[{"button_name":"sign_return_button","visible":"1"}]}""")).Str("task_id");
        var screen = terminal.Service<Appliance.Ui.ScreenService>();
        using (var opened = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            while (!screen.IsSigning) await Task.Delay(20, opened.Token);
        var back = Assert.Single(screen.Buttons(), b => b.Text == "返回").Bounds;   // the return button, where it is drawn
        await terminal.TapAsync((back.Left + back.Right) / 2, (back.Top + back.Bottom) / 2);
        var done = await terminal.UntilAsync("/sign=status", "", a => a.Str("status") != "1");
        Assert.Equal("3", done.Str("status"));
        var get = await terminal.JsonAsync("/sign=get", $$"""{"task_id":"{{taskId}}"}""");
        Assert.Equal("2", get.Code()); // seed 003 §9.3: 2 = failed, message says why
        Assert.Equal("签字已在终端上取消 / the person cancelled the signature", get.Str("message"));
        Assert.False(get.TryGetProperty("image", out _));
    }

    [Fact]
    public async Task A_second_window_is_busy_stop_closes_the_first_and_get_has_no_image()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        Assert.Equal("0", (await terminal.JsonAsync("/sign=start", """{"pos":{"left":"100","top":"100","width":"800","height":"400"}}""")).Code());
        var busy = await terminal.JsonAsync("/sign=start");
        Assert.Equal("9", busy.Code());
        Assert.Contains("Sign", busy.Str("message"));
        Assert.Equal("9", (await terminal.JsonAsync("/sign=showevaluator")).Code());

        Assert.Equal("""{"code":"0","message":""}""", (await terminal.CallAsync("/sign=stop")).Raw);
        Assert.Equal("0", (await terminal.JsonAsync("/sign=status")).Str("status"));
        var get = await terminal.JsonAsync("/sign=get");
        Assert.Equal("1", get.Code());
        Assert.False(get.TryGetProperty("image", out _));
        Assert.Equal("0", (await terminal.JsonAsync("/ Sign = Start")).Code()); // the screen is free again, names are tolerant
        Assert.Equal("0", (await terminal.JsonAsync("/sign=reset_sign_device")).Code());
        Assert.Equal("0", (await terminal.JsonAsync("/sign=status")).Str("status"));
    }

    [Fact]
    public async Task Bad_window_parameters_get_code_1_and_unknown_task_ids_are_named()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        Assert.Equal("1", (await terminal.JsonAsync("/sign=start", """{"opacity":"150"}""")).Code());
        Assert.Equal("1", (await terminal.JsonAsync("/sign=start", """{"valid_sign_rect":{"left":"abc"}}""")).Code());
        Assert.Equal("1", (await terminal.JsonAsync("/sign=start", """{"sign_buttons_info":[{"button_name":"sign_help_button"}]}""")).Code());
        Assert.Equal("1", (await terminal.JsonAsync("/sign=start", "{not json")).Code());
        Assert.Equal("1", (await terminal.JsonAsync("/sign=status", """{"task_id":"nope"}""")).Code());
        var get = await terminal.JsonAsync("/sign=get", """{"task_id":"nope"}""");
        Assert.Equal("1", get.Code());
        Assert.Contains("nope", get.Str("message"));
        var hwnd = await terminal.JsonAsync("/sign=set_recv_hwnd", """{"hwnd":"0x1234","message_type":"0x400"}""");
        Assert.Equal("6", hwnd.Code());
    }

    [Fact]
    public async Task The_evaluation_window_reports_the_tapped_button_and_holds_the_screen_while_open()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        Assert.Equal("""{"code":"1","message":"暂无评价结果 / no evaluation result yet"}""", (await terminal.CallAsync("/sign=getevaluatorresult")).Raw);
        // One button filling the window: a tap anywhere inside is that button.
        var show = await terminal.JsonAsync("/sign=showevaluator",
            """{"pos":{"left":"200","top":"200","width":"400","height":"300"},"buttons":[{"content":"满意","fontsize":"18"}]}""");
        Assert.Equal("0", show.Code());
        Assert.Equal("9", (await terminal.JsonAsync("/sign=start")).Code());
        Assert.Equal("1", (await terminal.JsonAsync("/sign=getevaluatorresult")).Code());

        var result = await UntilTappedAsync(terminal, 400, 440, "/sign=getevaluatorresult");
        Assert.Equal("满意", result.Str("result"));
        Assert.Equal(show.Str("task_id"), result.Str("task_id"));
        Assert.Equal("0", (await terminal.JsonAsync("/sign=start")).Code()); // the evaluation is over: the screen is free
        Assert.Equal("0", (await terminal.JsonAsync("/sign=stop")).Code());

        Assert.Equal("0", (await terminal.JsonAsync("/sign=showevaluator")).Code());
        Assert.Equal("""{"code":"0","message":""}""", (await terminal.CallAsync("/sign=closeevaluator")).Raw);
        Assert.Equal("1", (await terminal.JsonAsync("/sign=getevaluatorresult")).Code());
    }

    [Fact]
    public async Task An_evaluation_nobody_fetched_is_the_current_result_again_after_a_restart()
    {
        using var state = new TempDir("appliance-eval-");
        string taskId;
        await using (var terminal = await RunningTerminal.StartAsync(state.Path))
        {
            taskId = (await terminal.JsonAsync("/sign=showevaluator",
                """{"pos":{"left":"200","top":"200","width":"400","height":"300"},"buttons":[{"content":"满意","fontsize":"18"}]}""")).Str("task_id");
            // Tap until the outcome is journaled, without fetching it (the PC "dropped" before asking).
            var journal = terminal.Service<ResultsJournal>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!journal.Entries.Any(e => e.TaskId == taskId))
            {
                await terminal.TapAsync(400, 440);
                Assert.True(DateTime.UtcNow < deadline, "the evaluation never completed");
                await Task.Delay(200, Ct);
            }
            Assert.False(journal.Entries.Single(e => e.TaskId == taskId).Delivered);
        }
        await using (var restarted = await RunningTerminal.StartAsync(state.Path))
        {
            Assert.Equal($$"""{"code":"0","message":"","result":"满意","task_id":"{{taskId}}"}""", (await restarted.CallAsync("/sign=getevaluatorresult")).Raw);
            var journal = restarted.Service<ResultsJournal>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!journal.Entries.Single(e => e.TaskId == taskId).Delivered)
            {
                Assert.True(DateTime.UtcNow < deadline, "the answer went out but the result was never marked delivered");
                await Task.Delay(50, Ct);
            }
            // No signature was ever started: nothing is made up for sign=get.
            Assert.Equal("1", (await restarted.JsonAsync("/sign=get")).Code());
            Assert.Equal("0", (await restarted.JsonAsync("/sign=status")).Str("status"));
        }
    }

    /// <summary>Taps until the result appears (the tap may land before the window is drawn on a loaded machine).</summary>
    private static async Task<System.Text.Json.JsonElement> UntilTappedAsync(RunningTerminal terminal, int x, int y, string resultPath)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            await terminal.TapAsync(x, y);
            var answer = await terminal.JsonAsync(resultPath);
            if (answer.Code() == "0") return answer;
            if (DateTime.UtcNow > deadline) Assert.Fail($"no result after tapping: {answer}");
            await Task.Delay(200, Ct);
        }
    }

    [Fact]
    public async Task Floating_buttons_report_clicks_in_both_spellings_and_close()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        const string body = """{"pos":{"left":"950","top":"700","width":"256","height":"64"},"buttons":[{"content":"确认","width":"128","height":"64"},{"content":"取消","width":"128","height":"64"}]}""";
        Assert.Equal("0", (await terminal.JsonAsync("/sign=showefloatingbuttongroup", body)).Code());
        Assert.Equal("""{"code":"1","message":"暂无点击结果 / no button clicked yet"}""", (await terminal.CallAsync("/sign=getfloatingbuttongroupresult")).Raw);
        var clicked = await UntilTappedAsync(terminal, 1014 + 128, 732, "/sign=getfloatingbuttongroupresult");
        Assert.Equal("""{"code":"0","message":"","result":"取消"}""", clicked.GetRawText());
        Assert.Equal("0", (await terminal.JsonAsync("/sign=closefloatingbuttongroup")).Code());
        Assert.Equal("1", (await terminal.JsonAsync("/sign=getfloatingbuttongroupresult")).Code());
        Assert.Equal("0", (await terminal.JsonAsync("/sign=showfloatingbuttongroup")).Code());
        Assert.Equal("0", (await terminal.JsonAsync("/sign=closefloatingbuttongroup")).Code());
    }

    [Fact]
    public async Task The_advertising_player_shows_base64_pictures_on_the_screen_and_stops()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var red = new SKBitmap(64, 64);
        red.Erase(new SKColor(255, 0, 0));
        using var data = red.Encode(SKEncodedImageFormat.Png, 100);
        var b64 = Convert.ToBase64String(data.ToArray());
        Assert.Equal("0", (await terminal.JsonAsync("/sign=showadvertisingplayer", $$"""{"piclist":["{{b64}}"],"time":"3"}""")).Code());
        await WaitForScreenAsync(terminal, bmp => { var c = bmp.GetPixel(640, 400); return c.Red > 200 && c.Green < 50 && c.Blue < 50; });
        Assert.Equal("0", (await terminal.JsonAsync("/sign=closeadvertisingplayer")).Code());
        await WaitForScreenAsync(terminal, bmp => { var c = bmp.GetPixel(640, 400); return !(c.Red > 200 && c.Green < 50 && c.Blue < 50); });

        Assert.Equal("1", (await terminal.JsonAsync("/sign=showadvertisingplayer", "{}")).Code());
        Assert.Equal("1", (await terminal.JsonAsync("/sign=showadvertisingplayer", """{"piclist":["/no/such/picture.png"]}""")).Code());
    }

    [Fact]
    public async Task Sign_stream_is_mjpeg_of_what_the_screen_shows()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var response = await http.GetAsync(terminal.CameraUri("/sign=stream"), HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("multipart/x-mixed-replace", response.Content.Headers.ContentType!.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        var jpeg = await ReadPartAsync(body);
        var decoded = JpegCodec.Shared.Decode(jpeg);
        Assert.Equal((1280, 800), (decoded.Width, decoded.Height));

        // Open a signature window: the next frames show it (white window over the idle screen, blue OK button).
        Assert.Equal("0", (await terminal.JsonAsync("/sign=start")).Code());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var frame = JpegCodec.Shared.Decode(await ReadPartAsync(body));
            var i = (OkY * frame.Width + OkX) * 4;
            var (r, g, b) = (frame.Pixels[i], frame.Pixels[i + 1], frame.Pixels[i + 2]);
            if (Math.Abs(r - 0x1F) < 24 && Math.Abs(g - 0x5F) < 24 && Math.Abs(b - 0xAD) < 24) break; // UiPalette.Button
            Assert.True(DateTime.UtcNow < deadline, $"the OK button never appeared in the stream (pixel {r},{g},{b})");
        }
    }

    [Fact]
    public async Task Sign_stream_ends_with_a_picture_saying_the_terminal_is_shutting_down()
    {
        var terminal = await RunningTerminal.StartAsync();
        await using (terminal)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            using var response = await http.GetAsync(terminal.CameraUri("/sign=stream"), HttpCompletionOption.ResponseHeadersRead, Ct);
            var reader = new MultipartReader(await response.Content.ReadAsStreamAsync(Ct), "appliance-sign-frame");
            var first = (await reader.NextAsync(Ct))!.Value;
            Assert.True(first.Headers.ContainsKey("X-Timestamp"));

            var stopping = terminal.App.StopAsync(Ct);
            (Dictionary<string, string> Headers, byte[] Body)? last = null;
            while (await reader.NextAsync(Ct) is { } part) last = part; // up to the closing boundary
            await stopping;

            Assert.NotNull(last);
            Assert.Equal("shutdown", last.Value.Headers["X-Stream-End"]);
            var notice = JpegCodec.Shared.Decode(last.Value.Body);
            Assert.Equal((1280, 800), (notice.Width, notice.Height));
            using var font = SKTypeface.FromFile("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc");
            var expected = JpegCodec.Shared.Decode(Imaging.Capture.NoticeFrame.Render(Protocols.CameraService.Sign.SignGroup.ShutdownNotice, 1280, 800, font));
            var differs = JpegInspection.MeanDifference(notice, expected);
            Assert.True(differs < 1.5, $"the last picture differs from the shutdown notice by {differs:0.00} a channel");
            Assert.True(JpegInspection.MeanDifference(notice, JpegCodec.Shared.Decode(first.Body)) > 10, "the last picture is not the screen");
        }
    }

    [Fact]
    public async Task Reset_sign_device_takes_the_floating_buttons_and_the_carousel_off_the_screen()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var red = new SKBitmap(64, 64);
        red.Erase(new SKColor(255, 0, 0));
        using var data = red.Encode(SKEncodedImageFormat.Png, 100);
        Assert.Equal("0", (await terminal.JsonAsync("/sign=showadvertisingplayer", $$"""{"piclist":["{{Convert.ToBase64String(data.ToArray())}}"],"time":"3"}""")).Code());
        Assert.Equal("0", (await terminal.JsonAsync("/sign=showfloatingbuttongroup",
            """{"pos":{"left":"950","top":"700","width":"256","height":"64"},"buttons":[{"content":"确认","width":"128","height":"64"},{"content":"取消","width":"128","height":"64"}]}""")).Code());
        static bool Red(SKColor c) => c.Red > 200 && c.Green < 50 && c.Blue < 50;
        // UiPalette.Button, exactly (a PNG of the screen): the idle screen's own button nearby is the close Accent blue.
        static bool Blue(SKColor c) => Math.Abs(c.Red - 0x1F) < 6 && Math.Abs(c.Green - 0x5F) < 6 && Math.Abs(c.Blue - 0xAD) < 6;
        // A corner of each button, away from its label.
        await WaitForScreenAsync(terminal, bmp => Red(bmp.GetPixel(640, 400)) && Blue(bmp.GetPixel(962, 716)) && Blue(bmp.GetPixel(1096, 716)));

        Assert.Equal("""{"code":"0","message":""}""", (await terminal.CallAsync("/sign=reset_sign_device")).Raw);

        using var after = SKBitmap.Decode(terminal.Service<Ui.ScreenService>().CapturePng());
        Assert.False(Red(after.GetPixel(640, 400)), $"the carousel is still up: {after.GetPixel(640, 400)}");
        Assert.False(Blue(after.GetPixel(962, 716)) || Blue(after.GetPixel(1096, 716)), "a floating button is still up");
        Assert.Equal("1", (await terminal.JsonAsync("/sign=getfloatingbuttongroupresult")).Code());
        // Taps where the buttons were reach nothing.
        await terminal.TapAsync(1014, 732);
        Assert.Equal("1", (await terminal.JsonAsync("/sign=getfloatingbuttongroupresult")).Code());
    }

    internal static async Task<byte[]> ReadPartAsync(Stream body)
    {
        var header = new StringBuilder();
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            var b = body.ReadByte();
            if (b < 0) throw new EndOfStreamException(header.ToString());
            header.Append((char)b);
        }
        var length = int.Parse(header.ToString().Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))[15..].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        var jpeg = new byte[length];
        await body.ReadExactlyAsync(jpeg, Ct);
        return jpeg;
    }

    private static async Task WaitForScreenAsync(RunningTerminal terminal, Func<SKBitmap, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var screen = SKBitmap.Decode(terminal.Service<Ui.ScreenService>().CapturePng());
            if (condition(screen)) return;
            Assert.True(DateTime.UtcNow < deadline, "the screen never showed what was expected");
            await Task.Delay(100, Ct);
        }
    }
}
