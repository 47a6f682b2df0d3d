using System.Net;
using System.Text;
using Appliance.Core.Health;
using Appliance.Host.Tests.Browser;
using Appliance.TestSupport;
using Appliance.Ui;
using Appliance.Core.Screen;
using Appliance.Devices.Pen;
using SkiaSharp;

namespace Appliance.Host.Tests;

/// <summary>The simulated terminal's screen surface: the pen pipe, /sim/screen.png, /sim/pen and the /sim/ page in a real browser.</summary>
public sealed class SimScreenTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private static async Task<SKBitmap> ScreenAsync(RunningTerminal terminal)
    {
        using var response = await terminal.Http.GetAsync("/sim/screen.png", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        return SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    private static bool Dark(SKColor c) => c.Red < 100 && c.Green < 100 && c.Blue < 100;

    [Fact]
    public async Task Screen_and_pen_report_ready_and_the_screen_png_is_the_framebuffer()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var devices = terminal.Service<DeviceHealthRegistry>();
        Assert.Equal(DeviceState.Ready, devices.Get("screen")!.State);
        Assert.Equal(DeviceState.Ready, devices.Get("pen")!.State);
        Assert.Equal(Path.Combine(terminal.StateDir, "sim", "pen"), devices.Get("pen")!.Location);

        using var shot = await ScreenAsync(terminal);
        Assert.Equal((1280, 800), (shot.Width, shot.Height));

        // Unchanged screen: the ETag says so.
        using var first = await terminal.Http.GetAsync("/sim/screen.png", Ct);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/sim/screen.png");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await terminal.Http.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Records_written_into_the_pen_pipe_become_ink_in_screen_png()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var screen = terminal.Service<ScreenService>();
        var signing = screen.ShowSignatureAsync(new SignatureWindowOptions(), Ct);

        using (var pipe = PenPipe.OpenForWriting(Path.Combine(terminal.StateDir, "sim", "pen")))
        {
            var t = 1_000_000L;
            var events = new List<InputEvent> { InputEvent.At(t, InputCodes.EV_KEY, InputCodes.BTN_TOUCH, 1) };
            for (var x = 200; x <= 800; x += 5)
            {
                events.Add(InputEvent.At(t, InputCodes.EV_ABS, InputCodes.ABS_X, x));
                events.Add(InputEvent.At(t, InputCodes.EV_ABS, InputCodes.ABS_Y, 300));
                events.Add(InputEvent.At(t, InputCodes.EV_ABS, InputCodes.ABS_PRESSURE, 2048));
                events.Add(InputEvent.At(t, InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0));
                t += 5000;
            }
            events.Add(InputEvent.At(t, InputCodes.EV_KEY, InputCodes.BTN_TOUCH, 0));
            events.Add(InputEvent.At(t, InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0));
            for (var i = 0; i < events.Count; i += 150) PenPipe.Write(pipe, events.Skip(i).Take(150).ToArray());
        }

        await WaitForScreenAsync(terminal, s => Dark(s.GetPixel(500, 300)) && Dark(s.GetPixel(790, 300)), "the stroke");
        using var shot = await ScreenAsync(terminal);
        Assert.Equal(SKColors.White, shot.GetPixel(500, 330));
        Assert.False(signing.IsCompleted);
    }

    [Fact]
    public async Task Pen_posts_are_validated()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        async Task<HttpResponseMessage> Post(string body) => await terminal.Http.PostAsync("/sim/pen", new StringContent(body, Encoding.UTF8, "text/plain"), Ct);
        using var bad = await Post("{not json");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var outside = await Post("""{"samples":[{"x":5000,"y":1,"pressure":0.5,"down":true}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("outside", await outside.Content.ReadAsStringAsync(Ct));
        using var pressure = await Post("""{"samples":[{"x":5,"y":1,"pressure":3,"down":true}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, pressure.StatusCode);
        using var ok = await Post("""{"samples":[{"x":"5","y":1,"pressure":0.5,"down":true},{"x":5,"y":1,"pressure":0,"down":false}]}""");
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        using var page = await terminal.Http.GetAsync("/sim/", Ct);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("pointerdown", await page.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_stroke_drawn_in_a_real_browser_on_the_sim_page_appears_in_screen_png()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var screen = terminal.Service<ScreenService>();
        var signing = screen.ShowSignatureAsync(new SignatureWindowOptions
        {
            Pos = UiPos.FromSize(0, 0, 1280, 800),
            TipMessage = new TipMessage { Content = "请在此签名 / please sign here", FontSize = 32 },
            ReturnButton = SignButtonOptions.DefaultReturn with { Visible = true },
        }, Ct);

        await using var browser = await HeadlessChromium.StartAsync(Ct);
        await browser.NavigateAsync($"http://127.0.0.1:{terminal.AdminPort}/sim/", Ct);
        // The page has loaded the live screen when its image has a size.
        var ready = await browser.EvaluateAsync("""
            (async () => {
              for (;;) {
                const i = document.getElementById('screen'), c = document.getElementById('ink');
                if (i && i.naturalWidth && c) { const b = c.getBoundingClientRect(); return [b.left, b.top, b.width, b.height]; }
                await new Promise(r => setTimeout(r, 100));
              }
            })()
            """, Ct);
        var r = ready.EnumerateArray().Select(e => e.GetDouble()).ToArray();
        double PageX(double sx) => r[0] + sx * r[2] / 1280;
        double PageY(double sy) => r[1] + sy * r[3] / 800;

        // A mouse stroke from screen (300,400) to (900,400), then a little hook down.
        await browser.MouseAsync("mouseMoved", PageX(300), PageY(400), 0, Ct);
        await browser.MouseAsync("mousePressed", PageX(300), PageY(400), 1, Ct);
        for (var x = 300; x <= 900; x += 10) await browser.MouseAsync("mouseMoved", PageX(x), PageY(400), 1, Ct);
        for (var y = 400; y <= 500; y += 10) await browser.MouseAsync("mouseMoved", PageX(900), PageY(y), 1, Ct);
        await browser.MouseAsync("mouseReleased", PageX(900), PageY(500), 0, Ct);

        await WaitForScreenAsync(terminal, s => Dark(s.GetPixel(600, 400)) && Dark(s.GetPixel(900, 450)), "the browser's stroke");
        using var shot = await ScreenAsync(terminal);
        Assert.Equal(SKColors.White, shot.GetPixel(600, 450));
        Assert.False(signing.IsCompleted);

        // The page shows the live screen: its image now carries the ink too.
        var inkOnPage = await browser.EvaluateAsync("""
            (async () => {
              for (let i = 0; i < 200; i++) {
                const img = document.getElementById('screen');
                const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
                const g = c.getContext('2d'); g.drawImage(img, 0, 0);
                const d = g.getImageData(600, 400, 1, 1).data;
                if (d[0] < 100 && d[1] < 100 && d[2] < 100) return true;
                await new Promise(r => setTimeout(r, 100));
              }
              return false;
            })()
            """, Ct);
        Assert.True(inkOnPage.GetBoolean());

        // Tapping the return button in the browser cancels the signature.
        var back = (X: 1280 - 3 * 160 + 70, Y: 800 - 20 - 28);
        await browser.MouseAsync("mousePressed", PageX(back.X), PageY(back.Y), 1, Ct);
        await browser.MouseAsync("mouseReleased", PageX(back.X), PageY(back.Y), 0, Ct);
        Assert.IsType<SignatureOutcome.Cancelled>(await signing.WaitAsync(TimeSpan.FromSeconds(60), Ct));
    }

    private static async Task WaitForScreenAsync(RunningTerminal terminal, Func<SKBitmap, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using (var shot = await ScreenAsync(terminal))
                if (condition(shot)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what} on /sim/screen.png");
            await Task.Delay(50, Ct);
        }
    }
}
