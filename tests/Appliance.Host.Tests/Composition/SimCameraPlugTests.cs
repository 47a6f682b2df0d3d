using System.Net;
using Appliance.Imaging.Capture;
using Appliance.Imaging.Jpeg;
using Appliance.TestSupport;

namespace Appliance.Host.Tests.Composition;

/// <summary>
/// A camera pulled out while a page streams it, through the sim board's <c>POST /sim/unplug|plug</c>: what the
/// viewer's &lt;img&gt; gets, what <c>/health</c> shows, and that the camera streams again once plugged back in.
/// </summary>
public sealed class SimCameraPlugTests
{
    private const string Font = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";   // board/sim's fonts.cjk
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task PostAsync(RunningTerminal t, string path, string body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await t.Http.PostAsync(path, new StringContent(body), Ct);
        Assert.True(expected == response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<(HttpResponseMessage Response, MultipartReader Parts)> StreamAsync(HttpClient http, RunningTerminal t)
    {
        var response = await http.GetAsync(t.CameraUri("/video=stream&camidx=0&tid=1700000000"), HttpCompletionOption.ResponseHeadersRead, Ct);
        return (response, new MultipartReader(await response.Content.ReadAsStreamAsync(Ct), "appliance-frame"));
    }

    /// <summary>Pixels (any channel) that differ by more than a JPEG's noise between two same-sized pictures.</summary>
    private static int DifferingPixels(byte[] jpegA, byte[] jpegB)
    {
        var a = JpegCodec.Shared.Decode(jpegA, JpegPixels.Rgba);
        var b = JpegCodec.Shared.Decode(jpegB, JpegPixels.Rgba);
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        var differing = 0;
        for (var i = 0; i < a.Pixels.Length; i += 4)
            if (Math.Abs(a.Pixels[i] - b.Pixels[i]) > 48 || Math.Abs(a.Pixels[i + 1] - b.Pixels[i + 1]) > 48 || Math.Abs(a.Pixels[i + 2] - b.Pixels[i + 2]) > 48)
                differing++;
        return differing;
    }

    [Fact]
    public async Task Unplugging_a_streaming_camera_ends_the_stream_with_a_removed_frame_and_plugging_it_back_streams_again()
    {
        await using var t = await RunningTerminal.StartAsync();
        await t.WaitForDeviceStateAsync("camera0", "ready", Ct);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };

        var (response, parts) = await StreamAsync(http, t);
        using (response)
        {
            for (var i = 0; i < 2; i++)
                Assert.Equal((1280, 720), JpegCodec.Shared.ReadSize((await parts.NextAsync(Ct))!.Value.Body));

            await PostAsync(t, "/sim/unplug", """{"device":"camera","camidx":0}""");

            (Dictionary<string, string> Headers, byte[] Body)? last = null;
            while (await parts.NextAsync(Ct) is { } part) last = part;   // frames already on their way, then the notice, then the closing boundary
            Assert.NotNull(last);
            Assert.Equal("removed", last.Value.Headers["X-Stream-End"]);
            // The picture the viewer is left with says "camera removed", not "camera closed".
            var typeface = new CaptureProcessor(Font).Typeface;
            Assert.Equal(0, DifferingPixels(last.Value.Body, NoticeFrame.Render("设备被移除 / camera removed", 1280, 720, typeface)));
            Assert.True(DifferingPixels(last.Value.Body, NoticeFrame.Render("设备被关闭 / camera closed", 1280, 720, typeface)) > 500);
        }

        await t.WaitForDeviceStateAsync("camera0", "absent", Ct);
        Assert.Equal("ready", (await t.DeviceHealthAsync("camera1", Ct)).GetProperty("state").GetString());   // only camidx 0 was pulled

        // A page that opens the stream while the camera is out gets one picture saying so, and the stream ends.
        var (absentResponse, absentParts) = await StreamAsync(http, t);
        using (absentResponse)
        {
            var notice = (await absentParts.NextAsync(Ct))!.Value;
            Assert.Equal("not-connected", notice.Headers["X-Stream-End"]);
            Assert.Null(await absentParts.NextAsync(Ct));
        }

        await PostAsync(t, "/sim/plug", """{"device":"camera"}""");   // camidx defaults to 0
        await t.WaitForDeviceStateAsync("camera0", "ready", Ct);
        var (again, againParts) = await StreamAsync(http, t);
        using (again)
        {
            var frames = new List<byte[]>();
            for (var i = 0; i < 2; i++)
            {
                var part = (await againParts.NextAsync(Ct))!.Value;
                Assert.False(part.Headers.ContainsKey("X-Stream-End"));
                frames.Add(part.Body);
            }
            Assert.Equal((1280, 720), JpegCodec.Shared.ReadSize(frames[1]));
            Assert.NotEqual(frames[0], frames[1]);   // live frames again, not a notice
        }
        Assert.Equal("ready", (await t.DeviceHealthAsync("camera0", Ct)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Plugging_a_camera_the_board_does_not_simulate_is_refused()
    {
        await using var t = await RunningTerminal.StartAsync();
        using var response = await t.Http.PostAsync("/sim/unplug", new StringContent("""{"device":"camera","camidx":5}"""), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("camidx 5 is not a simulated camera (simulated: 0, 1)", await response.Content.ReadAsStringAsync(Ct));
    }
}
