using System.Globalization;
using Appliance.Imaging.Jpeg;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>
/// param=set framerate / preview_resolution change what the MJPEG streams send: on running streams, on new ones, after a
/// restart, and for the sign screen (camidx 10). Rates are read from the parts' own X-Timestamp (when the terminal took
/// each picture), never from the test's clock.
/// </summary>
public sealed class StreamSettingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Frame(decimal Seconds, int Width, int Height);

    private static async Task<(HttpClient Http, HttpResponseMessage Response, MultipartReader Reader)> OpenAsync(RunningTerminal terminal, string path, string boundary)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        var response = await http.GetAsync(terminal.CameraUri(path), HttpCompletionOption.ResponseHeadersRead, Ct);
        return (http, response, new MultipartReader(await response.Content.ReadAsStreamAsync(Ct), boundary));
    }

    private static async Task<List<Frame>> FramesAsync(MultipartReader reader, int count)
    {
        var frames = new List<Frame>();
        while (frames.Count < count)
        {
            var (headers, body) = (await reader.NextAsync(Ct))!.Value;
            var decoded = JpegCodec.Shared.Decode(body); // every part is a whole picture
            frames.Add(new Frame(decimal.Parse(headers["X-Timestamp"], CultureInfo.InvariantCulture), decoded.Width, decoded.Height));
        }
        return frames;
    }

    private static void AssertSpacedAtLeast(IReadOnlyList<Frame> frames, decimal seconds)
    {
        for (var i = 1; i < frames.Count; i++)
            Assert.True(frames[i].Seconds - frames[i - 1].Seconds >= seconds - 0.000002m,
                $"frames {i - 1} and {i} were taken {frames[i].Seconds - frames[i - 1].Seconds:0.000000} s apart, less than {seconds} s");
    }

    [Fact]
    public async Task Framerate_and_preview_resolution_apply_to_running_and_new_video_streams_and_again_after_a_restart()
    {
        using var state = new TempDir("appliance-streams-");
        await using (var terminal = await RunningTerminal.StartAsync(state.Path))
        {
            var (http, response, reader) = await OpenAsync(terminal, "/video=stream&camidx=0", "appliance-frame");
            using (http)
            using (response)
            {
                Assert.All(await FramesAsync(reader, 2), f => Assert.Equal((1280, 720), (f.Width, f.Height)));

                Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"framerate":"2","camidx":"0"}""")).Code());
                Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"preview_resolution":{"width":"640","height":"480"},"camidx":"0"}""")).Code());
                await FramesAsync(reader, 1); // may have left before the change
                var capped = await FramesAsync(reader, 4);
                AssertSpacedAtLeast(capped, 0.5m);
                // §5.14: fitted inside 640x480 with the camera's 16:9 kept.
                Assert.All(capped, f => Assert.Equal((640, 360), (f.Width, f.Height)));
            }

            var (http2, response2, reader2) = await OpenAsync(terminal, "/video=stream&camidx=0", "appliance-frame");
            using (http2)
            using (response2)
            {
                var fresh = await FramesAsync(reader2, 3);
                AssertSpacedAtLeast(fresh, 0.5m);
                Assert.All(fresh, f => Assert.Equal((640, 360), (f.Width, f.Height)));
            }
            // A grab is not a preview: full size.
            var grab = await terminal.JsonAsync("/video=grabimage", """{"camidx":"0","image_process_info":{}}""");
            Assert.Equal((1280, 720), JpegCodec.Shared.ReadSize(Convert.FromBase64String(grab.GetProperty("images")[0].Str("base64"))));
        }

        await using (var restarted = await RunningTerminal.StartAsync(state.Path))
        {
            var (http, response, reader) = await OpenAsync(restarted, "/video=stream&camidx=0", "appliance-frame");
            using (http)
            using (response)
            {
                var frames = await FramesAsync(reader, 3);
                AssertSpacedAtLeast(frames, 0.5m);
                Assert.All(frames, f => Assert.Equal((640, 360), (f.Width, f.Height)));
            }
            // The other camera was never set: as it comes.
            var (http1, response1, reader1) = await OpenAsync(restarted, "/video=stream&camidx=1", "appliance-frame");
            using (http1)
            using (response1)
                Assert.All(await FramesAsync(reader1, 2), f => Assert.Equal((1280, 720), (f.Width, f.Height)));
        }
    }

    [Fact]
    public async Task The_sign_screen_stream_follows_framerate_and_preview_resolution_of_camidx_10()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"framerate":"1","camidx":"10"}""")).Code());
        Assert.Equal("""{"code":"0","message":"","framerate":"1"}""", (await terminal.CallAsync("/param=get", """{"type":"framerate","camidx":"10"}""")).Raw);
        Assert.Equal("""{"code":"0","message":"","preview_resolution":{"width":"1280","height":"800"}}""",
            (await terminal.CallAsync("/param=get", """{"type":"preview_resolution","camidx":"10"}""")).Raw);
        Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"preview_resolution":{"width":"640","height":"480"},"camidx":"10"}""")).Code());
        Assert.Equal("0", (await terminal.JsonAsync("/sign=start")).Code());

        // The screen changes all the time (ink), so only the frame rate spaces the pictures.
        using var drawing = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var pen = Task.Run(async () =>
        {
            for (var i = 0; ; i++) // ends by the cancelled delay
            {
                await terminal.PenAsync((100 + i % 900, 100 + i % 500, true), (110 + i % 900, 110 + i % 500, true), (120 + i % 900, 100 + i % 500, false));
                await Task.Delay(50, drawing.Token);
            }
        }, drawing.Token);
        var (http, response, reader) = await OpenAsync(terminal, "/sign=stream", "appliance-sign-frame");
        using (http)
        using (response)
        {
            var frames = await FramesAsync(reader, 4);
            AssertSpacedAtLeast(frames, 1m);
            Assert.All(frames, f => Assert.Equal((640, 400), (f.Width, f.Height))); // 1280x800 fitted into 640x480
        }
        await drawing.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pen);
    }
}
