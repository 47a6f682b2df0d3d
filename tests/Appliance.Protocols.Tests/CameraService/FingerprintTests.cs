using System.Globalization;
using Appliance.SimBoard;
using Appliance.TestSupport;
using SkiaSharp;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>fp= (seed 003 §8) against the sim board's R30x module simulator on a pty and the real packet driver.</summary>
public sealed class FingerprintTests
{
    [Fact]
    public async Task Read_returns_decodable_images_and_features_and_verify_matches_them()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        Assert.Equal("1", (await terminal.JsonAsync("/fp=read", """{"type":"gif"}""")).Code());
        terminal.Service<ISimPeripherals>().PlaceFinger(1, 1);

        // The driver connects to the module (password handshake) in the background after start: wait for it.
        var png = await terminal.UntilAsync("/fp=read", """{"type":"png"}""", a => a.Code() != "2");
        Assert.True(png.Code() == "0", png.ToString());
        using (var image = SKBitmap.Decode(Convert.FromBase64String(png.Str("png"))))
        {
            Assert.Equal((256, 288), (image.Width, image.Height));
            var alphas = Enumerable.Range(0, 256).Select(x => image.GetPixel(x, 144).Alpha).ToList();
            Assert.Contains(alphas, a => a == 0);   // blank paper is transparent
            Assert.Contains(alphas, a => a > 128);  // ridges are opaque
        }
        var bmp = await terminal.JsonAsync("/fp=read", """{"type":"bmp"}""");
        var bmpBytes = Convert.FromBase64String(bmp.Str("bmp"));
        Assert.Equal("BM", System.Text.Encoding.ASCII.GetString(bmpBytes, 0, 2));
        using (var decoded = SKBitmap.Decode(bmpBytes)) Assert.Equal((256, 288), (decoded.Width, decoded.Height));
        var raw = await terminal.JsonAsync("/fp=read", """{"type":"raw"}""");
        Assert.Equal(256 * 288 * 3, Convert.FromBase64String(raw.Str("raw")).Length);

        var feature = await terminal.JsonAsync("/fp=read", """{"type":"feature"}""");
        Assert.False(feature.TryGetProperty("bmp", out _));
        var f1 = feature.Str("feature");
        Assert.NotEmpty(Convert.FromBase64String(f1));
        var f2 = bmp.Str("feature");

        var match = await terminal.JsonAsync("/fp=verify", $$"""[{"feature":"{{f1}}"},{"type":"feature","data":"{{f2}}"}]""");
        Assert.True(match.Code() == "0", match.ToString());
        Assert.InRange(int.Parse(match.Str("confidence"), CultureInfo.InvariantCulture), 0, 100);
        var live = await terminal.JsonAsync("/fp=verify", $$"""[{"feature":"{{f1}}"}]""");
        Assert.True(live.Code() == "0", live.ToString());

        Assert.Equal("1", (await terminal.JsonAsync("/fp=verify", """{"feature":"AAAA"}""")).Code());
        Assert.Equal("1", (await terminal.JsonAsync("/fp=verify", """[{"feature":"not base64!"}]""")).Code());
        Assert.Equal("6", (await terminal.JsonAsync("/fp=verify", """[{"type":"bmp","data":"AAAA"},{"type":"bmp","data":"AAAA"}]""")).Code());
    }
}
