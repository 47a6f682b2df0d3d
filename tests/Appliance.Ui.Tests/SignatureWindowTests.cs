using Appliance.TestSupport;
using Appliance.Devices.Pen;
using Appliance.Core.Screen;
using SkiaSharp;
using PenSample = Appliance.Core.Capture.PenSample;
using PenSampleEncoding = Appliance.Core.Capture.PenSampleEncoding;

namespace Appliance.Ui.Tests;

/// <summary>Recorded strokes through the pen pipe into the real evdev driver; assertions on framebuffer pixels.</summary>
public sealed class SignatureWindowTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private static SignatureWindowOptions Window(Func<SignatureWindowOptions, SignatureWindowOptions>? change = null)
    {
        var o = new SignatureWindowOptions
        {
            Pos = UiPos.FromSize(100, 100, 800, 400),
            ValidSignRect = new UiEdges(UiLength.Percent(10), UiLength.Percent(10), UiLength.Percent(60), UiLength.Px(300)),
            OkButton = SignButtonOptions.DefaultOk with { Rect = new UiEdges(UiLength.Px(650), UiLength.Px(320), UiLength.Px(780), UiLength.Px(380)) },
            ResetButton = SignButtonOptions.DefaultReset with { Rect = new UiEdges(UiLength.Px(500), UiLength.Px(320), UiLength.Px(630), UiLength.Px(380)) },
            ReturnButton = SignButtonOptions.DefaultReturn with { Visible = true, Rect = new UiEdges(UiLength.Percent(1.25), UiLength.Px(320), UiLength.Px(140), UiLength.Px(380)) },
            Remark = "contract-7",
        };
        return change is null ? o : change(o);
    }

    // Window at (100,100); valid rect = window-local (80,40)-(480,300) = screen (180,140)-(580,400).
    // OK at screen (750..880, 420..480), reset (600..730), return (110..240).

    [Fact]
    public async Task Ink_appears_only_inside_the_valid_rectangle()
    {
        await using var pad = new SignPad();
        var outcome = pad.Screen.ShowSignatureAsync(Window(), Ct);
        Assert.Equal(0xFFFFFFu, pad.Pixel(300, 250));

        await pad.LineAsync(120, 250, 880, 250);

        foreach (var x in new[] { 190, 300, 450, 570 }) Assert.True(SignPad.IsDark(pad.Pixel(x, 250)), $"no ink at ({x},250): {pad.Pixel(x, 250):X6}");
        foreach (var x in new[] { 120, 170, 590, 700, 880 }) Assert.Equal(0xFFFFFFu, pad.Pixel(x, 250));
        // Nothing outside the window either.
        Assert.False(SignPad.IsDark(pad.Pixel(50, 250)));
        Assert.False(outcome.IsCompleted);
    }

    [Fact]
    public async Task A_blank_pad_says_sign_here_until_the_first_ink_and_the_words_are_not_in_the_signature()
    {
        await using var pad = new SignPad();
        var outcome = pad.Screen.ShowSignatureAsync(Window(), Ct);
        // The valid rectangle (180,140)-(580,400): the hint across its middle (36 px, fitted to its width).
        var hint = new SKRectI(182, 240, 578, 300);
        Assert.Equal("请在此签名/Pleasesignhere", await Ocr.ReadLineAsync(pad.PanelPng(), 0, hint, Ct));

        await pad.LineAsync(200, 160, 560, 180);
        // Gone at the first ink: below the stroke the pad is white again.
        Assert.All(Enumerable.Range(hint.Left, hint.Width), x => Assert.Equal(0xFFFFFFu, pad.Pixel(x, 270)));
        await pad.TapAsync(815, 450); // OK
        var signed = Assert.IsType<SignatureOutcome.Confirmed>(await outcome.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        using var png = SKBitmap.Decode(signed.Png);
        Assert.All(Enumerable.Range(hint.Left - 100, hint.Width), x => Assert.Equal(0, png.GetPixel(x, 270 - 100).Alpha));
    }

    [Fact]
    public async Task Buttons_are_drawn_where_asked_and_hit_there()
    {
        await using var pad = new SignPad();
        var outcome = pad.Screen.ShowSignatureAsync(Window(), Ct);
        Assert.Equal(UiPalette.Button.Rgb, pad.Pixel(755, 425));   // OK button body
        Assert.Equal(UiPalette.Button.Rgb, pad.Pixel(605, 475));   // reset
        Assert.Equal(UiPalette.Button.Rgb, pad.Pixel(115, 425));   // return (left given in %: 1.25% of 800 = 10)
        Assert.Equal(0xFFFFFFu, pad.Pixel(740, 450));              // the gap between reset and OK

        await pad.LineAsync(200, 200, 500, 300);
        await pad.TapAsync(745, 450);                               // just beside OK: nothing happens
        Assert.False(outcome.IsCompleted);
        await pad.TapAsync(815, 450);
        var confirmed = Assert.IsType<SignatureOutcome.Confirmed>(await outcome.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal("contract-7", confirmed.Remark);
        // The window is gone: the idle screen shows again where it was.
        Assert.NotEqual(0xFFFFFFu, pad.Pixel(300, 250));
    }

    [Fact]
    public async Task Reset_clears_the_ink_and_signing_continues()
    {
        await using var pad = new SignPad();
        var outcome = pad.Screen.ShowSignatureAsync(Window(), Ct);
        await pad.LineAsync(200, 200, 500, 200);
        Assert.True(SignPad.IsDark(pad.Pixel(350, 200)));

        await pad.TapAsync(665, 450);
        Assert.Equal(0xFFFFFFu, pad.Pixel(350, 200));
        Assert.False(outcome.IsCompleted);

        await pad.LineAsync(200, 300, 500, 300);
        await pad.TapAsync(815, 450);
        var confirmed = Assert.IsType<SignatureOutcome.Confirmed>(await outcome.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        using var png = SKBitmap.Decode(confirmed.Png);
        Assert.Equal(0, png.GetPixel(250, 100).Alpha);       // first stroke (screen y 200 = local 100) was cleared
        Assert.True(png.GetPixel(250, 200).Alpha > 200);     // second stroke kept
        Assert.All(confirmed.Samples, s => Assert.True(s.Y > 150));
    }

    [Fact]
    public async Task Ok_yields_a_transparent_png_whose_pixels_match_the_strokes()
    {
        await using var pad = new SignPad();
        var outcome = pad.Screen.ShowSignatureAsync(Window(o => o with { PenWidth = 6 }), Ct);
        await pad.PolylineAsync(3, (200, 300, 0.2), (260, 200, 0.5), (320, 330, 0.9), (380, 180, 0.6), (440, 320, 0.4), (520, 220, 0.7));
        await pad.LineAsync(220, 360, 540, 360, 0.8);
        await pad.TapAsync(815, 450);

        var c = Assert.IsType<SignatureOutcome.Confirmed>(await outcome.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal((800, 400), (c.Width, c.Height));
        using var png = SKBitmap.Decode(c.Png);
        Assert.Equal((800, 400), (png.Width, png.Height));
        Assert.Equal(0, png.GetPixel(0, 0).Alpha);
        Assert.Equal(0, png.GetPixel(700, 350).Alpha);            // over the OK button: no ink there

        // Every window pixel: opaque ink in the PNG ⇔ dark on the screen while it was shown (compare against a screenshot
        // taken before OK is impossible now, so compare with the samples: ink lies on them and nowhere far from them).
        var inked = 0; var stray = 0;
        for (var y = 0; y < 400; y += 2)
            for (var x = 0; x < 800; x += 2)
            {
                if (png.GetPixel(x, y).Alpha < 128) continue;
                inked++;
                var near = c.Samples.Zip(c.Samples.Skip(1)).Any(p => p.First.PenDown && DistanceToSegment(x, y, p.First, p.Second) < 8);
                if (!near) stray++;
            }
        Assert.True(inked > 300, $"only {inked} inked pixels");
        Assert.Equal(0, stray);
        // Samples are window-local, carry pressure and time since the first touch.
        Assert.Equal(0, c.Samples[0].Millis);
        Assert.True(c.Samples[^1].Millis > 0);
        Assert.Contains(c.Samples, s => s.Pressure > 0.85f);
        Assert.Equal(100, c.Samples[0].X, 0.5);
        Assert.Equal(200, c.Samples[0].Y, 0.5);
    }

    [Fact]
    public async Task The_png_matches_what_the_screen_showed()
    {
        await using var pad = new SignPad();
        var outcome = pad.Screen.ShowSignatureAsync(Window(), Ct);
        await pad.DrawAsync((200, 160, 0.5), (300, 260, 0.6), (400, 180, 0.7), (560, 380, 0.5));
        var screen = new bool[800, 400];
        for (var y = 0; y < 400; y++) for (var x = 0; x < 800; x++) screen[x, y] = SignPad.IsDark(pad.Pixel(100 + x, 100 + y));
        await pad.TapAsync(815, 450);
        var c = Assert.IsType<SignatureOutcome.Confirmed>(await outcome.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        using var png = SKBitmap.Decode(c.Png);
        var mismatch = 0; var dark = 0;
        for (var y = 0; y < 400; y++)
            for (var x = 0; x < 800; x++)
            {
                // Button labels are white on blue, not dark: only ink is dark in this window.
                var inPng = png.GetPixel(x, y).Alpha > 160;
                if (screen[x, y]) dark++;
                if (inPng != screen[x, y]) mismatch++;
            }
        Assert.True(dark > 200);
        Assert.True(mismatch < dark / 10, $"{mismatch} pixels differ of {dark} inked");
    }

    [Fact]
    public async Task The_return_button_cancels()
    {
        await using var pad = new SignPad();
        var outcome = pad.Screen.ShowSignatureAsync(Window(), Ct);
        await pad.LineAsync(200, 200, 500, 300);
        await pad.TapAsync(170, 450);
        var cancelled = Assert.IsType<SignatureOutcome.Cancelled>(await outcome.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal("contract-7", cancelled.Remark);
        Assert.False(pad.Screen.IsSigning);
    }

    [Fact]
    public async Task The_return_button_is_hidden_by_default_and_ok_without_ink_does_nothing()
    {
        await using var pad = new SignPad();
        var outcome = pad.Screen.ShowSignatureAsync(new SignatureWindowOptions(), Ct);   // whole screen, default buttons
        // Default places along the bottom-right: OK rightmost, then reset; no return button.
        Assert.Equal(UiPalette.Button.Rgb, pad.Pixel(1280 - 20 - 140 + 5, 800 - 20 - 56 + 5));
        Assert.Equal(UiPalette.Button.Rgb, pad.Pixel(1280 - 2 * 160 + 5, 800 - 20 - 56 + 5));
        Assert.Equal(0xFFFFFFu, pad.Pixel(1280 - 3 * 160 + 5, 800 - 20 - 56 + 5));
        await pad.TapAsync(1280 - 20 - 70, 800 - 20 - 28);
        Assert.False(outcome.IsCompleted);
        await pad.LineAsync(300, 300, 600, 350);
        await pad.TapAsync(1280 - 20 - 70, 800 - 20 - 28);
        Assert.IsType<SignatureOutcome.Confirmed>(await outcome.WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task Ink_is_wider_under_more_pressure()
    {
        await using var pad = new SignPad();
        _ = pad.Screen.ShowSignatureAsync(new SignatureWindowOptions { PenWidth = 8 }, Ct);
        await pad.LineAsync(200, 200, 600, 200, pressure: 0.05);
        await pad.LineAsync(200, 400, 600, 400, pressure: 1.0);
        int Thickness(int y0) => Enumerable.Range(y0 - 20, 40).Count(y => SignPad.IsDark(pad.Pixel(400, y)));
        var light = Thickness(200); var heavy = Thickness(400);
        Assert.InRange(light, 2, 6);
        Assert.InRange(heavy, 10, 14);
    }

    [Fact]
    public async Task Opacity_zero_shows_what_lies_beneath_but_keeps_the_ink()
    {
        await using var pad = new SignPad();
        var under = pad.Pixel(640, 600);
        _ = pad.Screen.ShowSignatureAsync(new SignatureWindowOptions { Opacity = 0 }, Ct);
        Assert.Equal(under, pad.Pixel(640, 600));
        await pad.LineAsync(300, 600, 900, 600);
        Assert.True(SignPad.IsDark(pad.Pixel(640, 600)));
    }

    [Fact]
    public async Task A_second_signature_window_is_refused_and_cancelling_closes_the_first()
    {
        await using var pad = new SignPad();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var first = pad.Screen.ShowSignatureAsync(Window(), cts.Token);
        await Assert.ThrowsAsync<ScreenBusyException>(() => pad.Screen.ShowSignatureAsync(Window(), Ct));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.False(pad.Screen.IsSigning);
        Assert.NotEqual(0xFFFFFFu, pad.Pixel(300, 250));
    }

    /// <summary>The samples as the journal keeps them (encoded, then read back), split into strokes at each pen-up.</summary>
    private static List<List<PenSample>> Strokes(SignatureOutcome.Confirmed c, out PenSample[] encoded)
    {
        encoded = PenSampleEncoding.Decode(PenSampleEncoding.Encode(c.Samples));
        var strokes = new List<List<PenSample>>();
        List<PenSample>? current = null;
        foreach (var s in encoded)
        {
            if (current is null) strokes.Add(current = []);
            current.Add(s);
            if (!s.PenDown) current = null;
        }
        return strokes;
    }

    [Fact]
    public async Task Strokes_that_leave_the_valid_rectangle_end_with_a_pen_up_and_never_merge_with_the_next()
    {
        await using var pad = new SignPad();
        var outcome = pad.Screen.ShowSignatureAsync(Window(), Ct);
        await pad.LineAsync(200, 200, 650, 200);                           // leaves at screen x 580 and lifts outside
        await pad.LineAsync(200, 300, 500, 300);                           // lifts inside
        await pad.PolylineAsync(4, (400, 250, 0.5), (650, 250, 0.5), (400, 260, 0.5)); // out and back in, lifts inside
        await pad.TapAsync(815, 450);
        var c = Assert.IsType<SignatureOutcome.Confirmed>(await outcome.WaitAsync(TimeSpan.FromSeconds(30), Ct));

        var strokes = Strokes(c, out var samples);
        Assert.Equal(4, strokes.Count);
        Assert.All(strokes, stroke =>
        {
            Assert.True(stroke.Count >= 2, $"a stroke of {stroke.Count} samples");
            Assert.All(stroke[..^1], s => Assert.True(s.PenDown));
            Assert.False(stroke[^1].PenDown);
            // Window-local valid rectangle (80,40)-(480,300): what inks lies inside it.
            Assert.All(stroke[..^1], s => Assert.InRange(s.X, 80, 480));
        });
        Assert.True(strokes[0][^1].X >= 480, $"the first stroke ends where it left the rectangle, not at {strokes[0][^1].X}");
        Assert.Equal((100f, 200f), (strokes[1][0].X, strokes[1][0].Y));   // the second starts where it touched down
        Assert.Equal(400f, strokes[1][^1].X, 0.5);                          // ...and ends where it lifted (screen 500)
        Assert.True(strokes[3][0].X < 480 && strokes[3][0].Y > 150, "coming back in starts a new stroke");
        Assert.True(samples.Zip(samples.Skip(1)).All(p => p.First.Millis <= p.Second.Millis), "times only go forward");
        Assert.All(samples, s => Assert.Null(s.TiltX)); // the sim pipe's pen gave no tilt here
    }

    [Fact]
    public async Task Tilt_the_pen_reports_is_kept_in_degrees_with_every_sample()
    {
        await using var pad = new SignPad();
        var outcome = pad.Screen.ShowSignatureAsync(Window(), Ct);
        var t = 1_700_000_100_000_000L;
        var events = new List<InputEvent>();
        var written = 0;
        for (var i = 0; i <= 10; i++, t += 8_000, written++)
        {
            events.Add(InputEvent.At(t, InputCodes.EV_ABS, InputCodes.ABS_X, 200 + i * 30));
            events.Add(InputEvent.At(t, InputCodes.EV_ABS, InputCodes.ABS_Y, 220));
            events.Add(InputEvent.At(t, InputCodes.EV_ABS, InputCodes.ABS_PRESSURE, 2000));
            events.Add(InputEvent.At(t, InputCodes.EV_ABS, InputCodes.ABS_TILT_X, PenAxes.SimulatedTiltValue(20 + i)));
            events.Add(InputEvent.At(t, InputCodes.EV_ABS, InputCodes.ABS_TILT_Y, PenAxes.SimulatedTiltValue(-35)));
            if (i == 0) events.Add(InputEvent.At(t, InputCodes.EV_KEY, InputCodes.BTN_TOUCH, 1));
            events.Add(InputEvent.At(t, InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0));
        }
        events.Add(InputEvent.At(t, InputCodes.EV_KEY, InputCodes.BTN_TOUCH, 0));
        events.Add(InputEvent.At(t, InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0));
        await pad.WriteAsync(events, written + 1);
        await pad.TapAsync(815, 450);
        var c = Assert.IsType<SignatureOutcome.Confirmed>(await outcome.WaitAsync(TimeSpan.FromSeconds(30), Ct));

        var stroke = Assert.Single(Strokes(c, out _));
        Assert.Equal(12, stroke.Count);
        for (var i = 0; i <= 10; i++)
        {
            Assert.Equal(20 + i, stroke[i].TiltX!.Value, 0.01);
            Assert.Equal(-35, stroke[i].TiltY!.Value, 0.01);
            Assert.Equal(i * 8, stroke[i].Millis);                          // the records' own times, since the first touch
        }
        Assert.False(stroke[^1].PenDown);
    }

    private static double DistanceToSegment(double x, double y, PenSample a, PenSample b)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y;
        var len = dx * dx + dy * dy;
        var t = len == 0 ? 0 : Math.Clamp(((x - a.X) * dx + (y - a.Y) * dy) / len, 0, 1);
        double px = a.X + t * dx - x, py = a.Y + t * dy - y;
        return Math.Sqrt(px * px + py * py);
    }
}
