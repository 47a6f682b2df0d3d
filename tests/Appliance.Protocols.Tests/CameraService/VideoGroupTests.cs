using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Appliance.Imaging.Jpeg;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>The sim board's camera end to end through the CameraService port, as a browser page uses it.</summary>
public sealed class VideoGroupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> PostAsync(HttpClient http, RunningTerminal terminal, string path, string body = "")
    {
        using var response = await http.PostAsync(terminal.CameraUri(path), new StringContent(body, Encoding.UTF8, "text/plain"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    [Fact]
    public async Task Stream_sends_moving_jpeg_frames_and_ends_with_a_notice_when_closed()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };

        using var response = await http.GetAsync(terminal.CameraUri("/video=stream&camidx=0&tid=1700000000"), HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("multipart/x-mixed-replace; boundary=appliance-frame", response.Content.Headers.ContentType?.ToString());
        var reader = new MultipartReader(await response.Content.ReadAsStreamAsync(Ct), "appliance-frame");

        var frames = new List<byte[]>();
        for (var i = 0; i < 3; i++)
        {
            var part = (await reader.NextAsync(Ct))!.Value;
            Assert.Equal("image/jpeg", part.Headers["Content-Type"]);
            frames.Add(part.Body);
        }
        foreach (var jpeg in frames)
            Assert.Equal((1280, 720), JpegCodec.Shared.ReadSize(jpeg));
        Assert.NotEqual(frames[0], frames[2]); // the scene moves (clock, frame counter, pen)

        var status = await PostAsync(http, terminal, "/video=status");
        Assert.Equal("run", status.GetProperty("video0").GetString());
        Assert.Equal("ok", status.GetProperty("video1").GetString());
        Assert.Equal("no", status.GetProperty("video2").GetString());

        // The stream opened the camera implicitly; one close brings the count to zero and ends it.
        var closed = await PostAsync(http, terminal, "/video=close&camidx=0");
        Assert.Equal("0", closed.GetProperty("count").GetString());

        (Dictionary<string, string> Headers, byte[] Body)? last = null;
        while (await reader.NextAsync(Ct) is { } part) last = part;
        Assert.NotNull(last);
        var notice = JpegCodec.Shared.Decode(last.Value.Body);
        Assert.Equal(1280, notice.Width); // the "camera closed" picture, decodable, at the stream's size
        // It says why: the header, and the picture is the "closed" notice, not the "removed" or "failed" one.
        Assert.Equal("closed", last.Value.Headers["X-Stream-End"]);
        Assert.False(last.Value.Headers.ContainsKey("X-Timestamp"));
        using var font = SkiaSharp.SKTypeface.FromFile("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc");
        double Against(string text) => JpegInspection.MeanDifference(notice,
            JpegCodec.Shared.Decode(Imaging.Capture.NoticeFrame.Render(text, notice.Width, notice.Height, font)));
        var asClosed = Against(Protocols.CameraService.Video.VideoGroup.ClosedNotice);
        Assert.True(asClosed < 1.5, $"the last picture differs from the closed notice by {asClosed:0.00} a channel");
        Assert.True(Against(Protocols.CameraService.Video.VideoGroup.RemovedNotice) > asClosed * 2
            && Against(Protocols.CameraService.Video.VideoGroup.FailedNotice) > asClosed * 2, "it reads as another notice");
        Assert.Equal("ok", (await PostAsync(http, terminal, "/video=status")).GetProperty("video0").GetString());
    }

    [Fact]
    public async Task Open_and_close_are_reference_counted()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = new HttpClient();
        Assert.Equal("1", (await PostAsync(http, terminal, "/video=open&camidx=1")).GetProperty("count").GetString());
        Assert.Equal("2", (await http.GetFromJsonAsync(terminal.CameraUri("/video=open&camidx=1"))).GetProperty("count").GetString());
        Assert.Equal("run", (await PostAsync(http, terminal, "/video=status")).GetProperty("video1").GetString());
        Assert.Equal("1", (await PostAsync(http, terminal, "/video=close&camidx=1")).GetProperty("count").GetString());
        Assert.Equal("run", (await PostAsync(http, terminal, "/video=status")).GetProperty("video1").GetString());
        Assert.Equal("0", (await PostAsync(http, terminal, "/video=close&camidx=1")).GetProperty("count").GetString());
        Assert.Equal("ok", (await PostAsync(http, terminal, "/video=status")).GetProperty("video1").GetString());

        var missing = await PostAsync(http, terminal, "/video=open&camidx=2");
        Assert.Equal("2", missing.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Grabimage_v15_rotates_greys_sets_dpi_and_saves_with_a_uuid()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var answer = await PostAsync(http, terminal, "/video=grabimage", """
            {"camidx":"0","make_uuid":"1",
             "image_process_info":{"cut_type":"0","rotate":"90","color_type":"1"},
             "image_storage_info":{"xdpi":"300","ydpi":"300","jpg_quality":"60"},
             "watermark":{"pos":"4","content":"样本 SAMPLE","transparency":"128","fontsize":"80","color":"red"}}
            """);
        Assert.Equal("0", answer.GetProperty("code").GetString());
        Assert.Equal(1, answer.GetProperty("image_count").GetInt32());
        var image = answer.GetProperty("images")[0];
        var jpeg = Convert.FromBase64String(image.GetProperty("base64").GetString()!);
        Assert.Equal((720, 1280), JpegCodec.Shared.ReadSize(jpeg)); // 1280x720 turned a quarter
        Assert.Equal([1, 0x01, 0x2C, 0x01, 0x2C], jpeg[13..18]); // JFIF: dots per inch, 300 x 300
        Assert.Equal(JpegInspection.ExpectedLuminanceTable(60), JpegInspection.LuminanceTable(jpeg)); // jpg_quality 60, as a decoder reads it
        var pixels = JpegCodec.Shared.Decode(jpeg, JpegPixels.Rgba).Pixels;
        for (var i = 0; i < pixels.Length; i += 4 * 997)
            Assert.True(pixels[i] == pixels[i + 1] && pixels[i + 1] == pixels[i + 2], "color_type 1 gives a grey image");
        // The page is told where the picture is in its own space, never the terminal's path; the file holds what it got.
        var uuid = image.GetProperty("uuid").GetString()!;
        Assert.Equal(32, uuid.Length);
        Assert.Equal($"/images/{uuid}.jpg", image.GetProperty("filepath").GetString());
        var stored = Directory.GetFiles(terminal.StateDir, uuid + ".jpg", SearchOption.AllDirectories).Single();
        Assert.Equal(jpeg, await File.ReadAllBytesAsync(stored, Ct));
    }

    [Fact]
    public async Task Grabimage_v10_form_answers_photoBase64_and_thumbnail_and_honours_max_file_size()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var inline = await PostAsync(http, terminal, "/video=grabimage", """{"filepath":"base64","rotate":"180","camidx":"0","max_file_size":"30000"}""");
        Assert.Equal("0", inline.GetProperty("code").GetString());
        Assert.False(inline.TryGetProperty("uuid", out _));
        var small = Convert.FromBase64String(inline.GetProperty("photoBase64").GetString()!);
        Assert.True(small.Length <= 30000, $"{small.Length} bytes");
        // Scaled down (not cut, not re-shaped) until it fits, at the v1.0 default quality (jquality 35).
        var decoded = JpegCodec.Shared.Decode(small);
        Assert.True(decoded.Width < 1280 && decoded.Height < 720, $"{decoded.Width}x{decoded.Height} was not made smaller");
        Assert.Equal(1280 / 720.0, decoded.Width / (double)decoded.Height, 0.02);
        Assert.Equal(JpegInspection.ExpectedLuminanceTable(35), JpegInspection.LuminanceTable(small));
        // Upside down: the scene's clock (a white dial at the top right, radius 10% of the short side) is at the bottom left.
        var u = Math.Min(decoded.Width, decoded.Height) / 100.0;
        var whereItWas = JpegInspection.WhiteShare(decoded, decoded.Width - 14 * u, 14 * u, 10 * u);
        var turned = JpegInspection.WhiteShare(decoded, 14 * u, decoded.Height - 14 * u, 10 * u);
        Assert.True(turned > 0.6 && whereItWas < 0.3, $"dial white share: bottom left {turned:0.00}, top right {whereItWas:0.00}");
        var upright = JpegCodec.Shared.Decode(Convert.FromBase64String((await PostAsync(http, terminal, "/video=grabimage",
            """{"filepath":"base64","camidx":"0"}""")).GetProperty("photoBase64").GetString()!));
        var uu = Math.Min(upright.Width, upright.Height) / 100.0;
        Assert.True(JpegInspection.WhiteShare(upright, upright.Width - 14 * uu, 14 * uu, 10 * uu) > 0.6, "without rotate the dial is at the top right");

        var saved = await PostAsync(http, terminal, "/video=grabimage", """{"filepath":"","camidx":"1"}""");
        Assert.Equal("0", saved.GetProperty("code").GetString());
        var page = saved.GetProperty("filepath").GetString()!;
        Assert.StartsWith("/images/", page);
        Assert.Single(Directory.GetFiles(terminal.StateDir, Path.GetFileName(page), SearchOption.AllDirectories));
        var thumbnail = Convert.FromBase64String(saved.GetProperty("thumbnail").GetString()!);
        Assert.Equal((200, 112), JpegCodec.Shared.ReadSize(thumbnail));
    }

    [Fact]
    public async Task Grabimage_watermark_is_drawn_where_asked_in_its_colour_size_and_transparency()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        async Task<DecodedImage> GrabAsync(string watermark)
        {
            var answer = await PostAsync(http, terminal, "/video=grabimage",
                $$"""{"camidx":"0","image_process_info":{"cut_type":"0"},"image_storage_info":{"jpg_quality":"95"}{{watermark}}}""");
            Assert.Equal("0", answer.GetProperty("code").GetString());
            return JpegCodec.Shared.Decode(Convert.FromBase64String(answer.GetProperty("images")[0].GetProperty("base64").GetString()!));
        }
        // Red over the white page at transparency 128: about (252, 125, 123); fully opaque red would have no green.
        static List<(int X, int Y, byte G)> Reddish(DecodedImage image)
        {
            var found = new List<(int, int, byte)>();
            for (var y = 0; y < image.Height; y++)
                for (var x = 0; x < image.Width; x++)
                {
                    var i = (y * image.Width + x) * 4;
                    var (r, g, b) = (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
                    // The clock's red second hand (top right) is anti-aliased into half-red too: not a watermark.
                    var clock = x > image.Width * 0.85 && y < image.Height * 0.35;
                    if (!clock && r > 200 && g is > 80 and < 170 && b is > 80 and < 170 && r - g > 70) found.Add((x, y, g));
                }
            return found;
        }

        var plain = Reddish(await GrabAsync(""));
        var marked = Reddish(await GrabAsync(""","watermark":{"pos":"4","content":"样本 SAMPLE","transparency":"128","fontsize":"80","color":"red"}"""));

        Assert.True(plain.Count < 50, $"the scene alone has {plain.Count} half-red pixels");
        Assert.True(marked.Count > 2000, $"only {marked.Count} half-red pixels: no watermark");
        var (minX, maxX, minY, maxY) = (marked.Min(p => p.X), marked.Max(p => p.X), marked.Min(p => p.Y), marked.Max(p => p.Y));
        // pos 4 = the middle; glyphs of an 80 px font stand 55..80 px tall.
        Assert.InRange((minX + maxX) / 2.0, 600, 680);
        Assert.InRange((minY + maxY) / 2.0, 320, 400);
        Assert.InRange(maxY - minY, 50, 90);
        Assert.InRange(marked.Average(p => p.G), 105, 145);
    }

    [Fact]
    public async Task Properties_set_and_read_back_with_the_auto_and_default_rule()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = new HttpClient();
        Assert.Equal("0", (await PostAsync(http, terminal, "/video=setproperty", """{"camidx":"0","brightness":"10","contrast":"5"}""")).GetProperty("code").GetString());
        var brightness = await PostAsync(http, terminal, "/video=getproperty", """{"camidx":"0","key":"brightness"}""");
        Assert.Equal(("0", "-64", "64", "10", "0"), (brightness.GetProperty("settable").GetString(), brightness.GetProperty("min").GetString(),
            brightness.GetProperty("max").GetString(), brightness.GetProperty("current").GetString(), brightness.GetProperty("default").GetString()));
        Assert.Equal("32", (await PostAsync(http, terminal, "/video=getproperty", """{"camidx":"0","key":"contrast"}""")).GetProperty("current").GetString()); // only the first property counts

        Assert.Equal("auto", (await PostAsync(http, terminal, "/video=setproperty", """{"camidx":"0","exposure":"999999"}""")).GetProperty("mode").GetString());
        Assert.Equal("1", (await PostAsync(http, terminal, "/video=getproperty", """{"camidx":"0","key":"exposure"}""")).GetProperty("is_auto").GetString());
        Assert.Equal("default", (await PostAsync(http, terminal, "/video=setproperty", """{"camidx":"0","contrast":"999"}""")).GetProperty("mode").GetString());
        Assert.Equal("1", (await PostAsync(http, terminal, "/video=getproperty", """{"camidx":"0","key":"roll"}""")).GetProperty("settable").GetString());
        Assert.Equal("1", (await PostAsync(http, terminal, "/video=getproperty", """{"camidx":"0","key":"nonsense"}""")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Names_are_tolerant_errors_are_answers_and_cors_is_answered()
    {
        // The counter page's origin must be on the access allowlist; loopback callers need no pairing.
        await using var terminal = await RunningTerminal.StartAsync(null, "--access:allowedOrigins:0=http://intranet.example");
        using var http = new HttpClient();
        Assert.Equal("0", (await PostAsync(http, terminal, "/%20Video%20=%20Status")).GetProperty("code").GetString());
        Assert.Equal("1", (await PostAsync(http, terminal, "/video=grabimage", "{not json")).GetProperty("code").GetString());
        Assert.Equal("1", (await PostAsync(http, terminal, "/video=grabimage", """{"rotate":"45"}""")).GetProperty("code").GetString());
        Assert.Equal("6", (await PostAsync(http, terminal, "/video=nosuchaction")).GetProperty("code").GetString());
        Assert.Equal("6", (await PostAsync(http, terminal, "/nosuchgroup=x")).GetProperty("code").GetString());

        using var preflight = new HttpRequestMessage(HttpMethod.Options, terminal.CameraUri("/video=grabimage"));
        preflight.Headers.Add("Origin", "http://intranet.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        preflight.Headers.Add("Access-Control-Request-Private-Network", "true");
        using var response = await http.SendAsync(preflight, Ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("http://intranet.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("GET, POST, OPTIONS", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("content-type", response.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Private-Network").Single());
    }

    [Fact]
    public async Task Websocket_grab_image_answers_with_its_function_name()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{terminal.CameraPort}/"), Ct);
        await socket.SendAsync("""{"function":"grab_image","params":{"camidx":"1","image_process_info":{}}}"""u8.ToArray(), WebSocketMessageType.Text, true, Ct);
        var buffer = new byte[8 * 1024 * 1024];
        var total = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, total, buffer.Length - total), Ct);
            total += result.Count;
        } while (!result.EndOfMessage);
        var answer = JsonDocument.Parse(buffer.AsMemory(0, total)).RootElement;
        Assert.Equal("grab_image", answer.GetProperty("function").GetString());
        Assert.Equal("0", answer.GetProperty("code").GetString());
        var jpeg = Convert.FromBase64String(answer.GetProperty("images")[0].GetProperty("base64").GetString()!);
        Assert.Equal((1280, 720), JpegCodec.Shared.ReadSize(jpeg));

        await socket.SendAsync("""{"function":"no_such_thing"}"""u8.ToArray(), WebSocketMessageType.Text, true, Ct);
        result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), Ct);
        Assert.Equal("1", JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.GetProperty("code").GetString());
    }
}

internal static class HttpJson
{
    public static async Task<JsonElement> GetFromJsonAsync(this HttpClient http, Uri uri) =>
        JsonDocument.Parse(await http.GetStringAsync(uri, TestContext.Current.CancellationToken)).RootElement.Clone();
}
