using System.Net;
using System.Text;
using System.Text.Json;
using Appliance.Core.Journal;
using Appliance.Protocols.CameraService.Pictures;
using Appliance.SimBoard;
using Appliance.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>
/// Issue 26 at the wire: what a page may make the terminal read (its own grabs, never a path), fetch (allowed hosts only,
/// never loopback, the terminal's own ports or a redirect out of the set) and keep (a lifetime, then wiped).
/// </summary>
public sealed class PictureAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every request field that takes a picture, with <c>{0}</c> where the picture goes.</summary>
    public static readonly TheoryData<string, string> PictureFields = new()
    {
        { "/sign=showadvertisingplayer", """{"piclist":["{0}"]}""" },
        { "/sign=start", """{"background_image":{"filepath":"{0}"}}""" },
        { "/sign=start", """{"background_image":{"url":"{0}"}}""" },
        { "/sign=start", """{"background_image":"{0}"}""" },
        { "/sign=showevaluator", """{"buttons":[{"content":"好","icon":"{0}"}]}""" },
        { "/sign=showfloatingbuttongroup", """{"buttons":[{"content":"签","icon":"{0}"}]}""" },
    };

    [Theory]
    [MemberData(nameof(PictureFields))]
    public async Task A_file_path_gets_one_answer_whether_or_not_the_terminal_has_that_file(string path, string template)
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var grabbed = await GrabAsync(terminal, origin: null);
        var realPath = Directory.GetFiles(terminal.StateDir, Path.GetFileName(grabbed), SearchOption.AllDirectories).Single();
        string[] paths = ["/etc/passwd", "/etc/hostname", "/nonexistent.jpg", realPath, "D:/photos/1.jpg", @"C:\\photos\\1.jpg", "file:///etc/passwd", "photo.jpg"];
        var answers = new List<string>();
        foreach (var p in paths)
        {
            var (raw, json) = await terminal.CallAsync(path, template.Replace("{0}", p, StringComparison.Ordinal));
            Assert.True(json.Code() == "1", $"{p}: {raw}");
            Assert.Contains("send the picture as base64 or a uuid", json.Str("message"));
            Assert.DoesNotContain(p.Replace(@"\\", @"\", StringComparison.Ordinal), json.Str("message"));
            answers.Add(raw);
        }
        // Byte for byte: nothing tells a page which of those files exist on the terminal.
        Assert.Single(answers.Distinct());
        using var screen = Screen(terminal);
        Assert.False(terminal.Service<Appliance.Ui.ScreenService>().IsCarouselRunning);
    }

    [Theory]
    [MemberData(nameof(PictureFields))]
    public async Task A_url_on_loopback_a_terminal_port_or_a_host_not_allowed_is_refused_without_a_connection(string path, string template)
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var server = new LoopbackHttpServer("/ads/1.png", Png(SKColors.Teal));
        string[] urls =
        [
            $"http://127.0.0.1:{terminal.AdminPort}/health", $"http://localhost:{terminal.CameraPort}/", $"http://[::1]:{terminal.UosPort}/",
            server.Url.ToString(), "http://169.254.169.254/latest/meta-data/", "http://203.0.113.9/x.png", "https://intranet.example/x.png",
        ];
        var answers = new List<string>();
        foreach (var url in urls)
            foreach (var origin in new[] { null, $"http://127.0.0.1:{server.Port}" })
            {
                // With the Origin of a page on loopback its host is allowed, but loopback never is a picture address.
                var (raw, json) = await CallAsync(terminal, path, template.Replace("{0}", url, StringComparison.Ordinal), origin);
                Assert.True(json.Code() == "7", $"{url} from {origin}: {raw}");
                answers.Add(raw);
            }
        Assert.Single(answers.Distinct()); // one answer: no page learns whether a host is there
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task A_redirect_out_of_the_allowed_set_is_refused_and_one_within_it_is_followed()
    {
        using var server = new LoopbackHttpServer("/ads/teal.png", Png(new SKColor(0, 128, 128)));
        await using var terminal = await StartWithPictureHostAsync(server.Port);
        server.Redirects["/to-admin"] = $"http://127.0.0.1:{terminal.AdminPort}/health";
        server.Redirects["/to-other-host"] = $"http://localhost:{server.Port}/ads/teal.png";
        server.Redirects["/to-itself"] = "/ads/teal.png";

        foreach (var hop in new[] { "/to-admin", "/to-other-host" })
        {
            var refused = await terminal.JsonAsync("/sign=showadvertisingplayer", $$"""{"piclist":["http://127.0.0.1:{{server.Port}}{{hop}}"]}""");
            Assert.True(refused.Code() == "7", $"{hop}: {refused}");
            Assert.Contains("access:imageHosts", refused.Str("message"));
        }
        var followed = await terminal.JsonAsync("/sign=showadvertisingplayer", $$"""{"piclist":["http://127.0.0.1:{{server.Port}}/to-itself"],"time":"3"}""");
        Assert.True(followed.Code() == "0", followed.ToString());
        await SignWindowParameterTests.WaitForScreenAsync(terminal, bmp => SignWindowParameterTests.Near(bmp.GetPixel(640, 400), new SKColor(0, 128, 128), 8));
    }

    [Fact]
    public async Task A_grabbed_picture_is_named_only_by_the_page_that_grabbed_it_until_it_cleans_its_cache()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        const string pageA = "http://127.0.0.1:8001", pageB = "http://127.0.0.1:8002";
        var answer = await CallAsync(terminal, "/video=grabimage", """{"camidx":"0","make_uuid":"1","image_process_info":{"rotate":"0"}}""", pageA);
        var image = answer.Json.GetProperty("images")[0];
        var (uuid, pagePath) = (image.Str("uuid"), image.Str("filepath"));
        Assert.Equal($"/images/{uuid}.jpg", pagePath);
        Assert.DoesNotContain(terminal.StateDir, answer.Raw);

        foreach (var reference in new[] { $$"""{"uuid":"{{uuid}}"}""", $$"""{"filepath":"{{pagePath}}"}""" })
        {
            var body = $$"""{"pos":{"left":"0","top":"0","width":"400","height":"300"},"background_image":{{reference}}}""";
            var other = await CallAsync(terminal, "/sign=start", body, pageB);
            Assert.True(other.Json.Code() == "1", other.Raw);
            Assert.Contains("holds no picture", other.Json.Str("message"));
            var own = await CallAsync(terminal, "/sign=start", body, pageA);
            Assert.True(own.Json.Code() == "0", own.Raw);
            Assert.Equal("0", (await terminal.JsonAsync("/sign=stop")).Code());
        }

        // v1.0 grab naming its file: only the name counts, in the page's space; a name that is no file name is refused.
        var named = await CallAsync(terminal, "/video=grabimage", """{"camidx":"0","filepath":"D:\\photos\\..\\counter.jpg"}""", pageA);
        Assert.Equal("/images/counter.jpg", named.Json.Str("filepath"));
        var dots = await CallAsync(terminal, "/video=grabimage", """{"camidx":"0","filepath":"/tmp/.."}""", pageA);
        Assert.True(dots.Json.Code() == "1", dots.Raw);

        Assert.Equal("0", (await CallAsync(terminal, "/param=set", """{"type":"clean_cache_data"}""", pageA)).Json.Code());
        var cleaned = await CallAsync(terminal, "/sign=start", $$$"""{"background_image":{"uuid":"{{{uuid}}}"}}""", pageA);
        Assert.True(cleaned.Json.Code() == "1", cleaned.Raw);
        Assert.Empty(Directory.GetFiles(terminal.StateDir, "*.jpg", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_picture_grabbed_over_a_websocket_session_goes_when_that_session_ends()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        const string page = "http://127.0.0.1:8003";
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", page);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{terminal.CameraPort}/"), Ct);
        await socket.SendAsync("""{"function":"grab_image","params":{"camidx":"0","make_uuid":"1","image_process_info":{"rotate":"0"}}}"""u8.ToArray(),
            System.Net.WebSockets.WebSocketMessageType.Text, true, Ct);
        var buffer = new byte[8 * 1024 * 1024];
        var length = 0;
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(length), Ct);
            length += received.Count;
            if (received.EndOfMessage) break;
        }
        var grab = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement;
        Assert.True(grab.Code() == "0", Encoding.UTF8.GetString(buffer, 0, Math.Min(length, 300)));
        var uuid = grab.GetProperty("images")[0].Str("uuid");

        // The same page may use it over HTTP while its session lasts...
        var body = $$$"""{"pos":{"left":"0","top":"0","width":"400","height":"300"},"background_image":{"uuid":"{{{uuid}}}"}}""";
        var during = await CallAsync(terminal, "/sign=start", body, page);
        Assert.True(during.Json.Code() == "0", during.Raw);
        Assert.Equal("0", (await terminal.JsonAsync("/sign=stop")).Code());

        // ...and not after: the session's pictures are wiped when the socket closes.
        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", Ct);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Directory.GetFiles(terminal.StateDir, uuid + ".jpg", SearchOption.AllDirectories).Length > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(20, Ct);
        Assert.Empty(Directory.GetFiles(terminal.StateDir, uuid + ".jpg", SearchOption.AllDirectories));
        var after = await CallAsync(terminal, "/sign=start", body, page);
        Assert.True(after.Json.Code() == "1", after.Raw);
    }

    [Fact]
    public async Task A_grabbed_image_and_an_id_card_photo_are_wiped_after_their_lifetime_and_cannot_be_named_then()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var terminal = await RunningTerminal.StartAsync(null, s => s.AddSingleton<TimeProvider>(clock));
        var grab = (await terminal.JsonAsync("/video=grabimage", """{"camidx":"0","make_uuid":"1","image_process_info":{"rotate":"0"}}""")).GetProperty("images")[0];
        var sim = terminal.Service<ISimPeripherals>();
        await terminal.UntilAsync("/card=getsamid", "", a => a.Code() != "2");
        sim.PlaceCard(sim.CardPresets[0]);
        var card = await terminal.JsonAsync("/card=idcard");
        Assert.True(card.Code() == "0", card.ToString());
        var journal = terminal.Service<ResultsJournal>();
        var idCard = journal.Entries.Last();
        Assert.True(journal.Read(idCard)!.Images.Count > 0, "the ID card's photo is journaled with the result");
        Assert.Single(Directory.GetFiles(terminal.StateDir, "*.jpg", SearchOption.AllDirectories));

        // Just inside both lifetimes (60 min each by default): still there.
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, terminal.Service<PageImageStore>().Trim());
        journal.PruneNow();
        Assert.NotNull(journal.Find(idCard.Sequence));

        clock.Advance(TimeSpan.FromMinutes(2));
        // A page cannot name it even before the housekeeping ran...
        var late = await terminal.JsonAsync("/sign=start", $$$"""{"background_image":{"uuid":"{{{grab.Str("uuid")}}}"}}""");
        Assert.True(late.Code() == "1", late.ToString());
        // ...and the housekeeping (what the retention services run every minute) wipes both from the state directory.
        Assert.Equal(1, terminal.Service<PageImageStore>().Trim());
        journal.PruneNow();
        Assert.Empty(Directory.GetFiles(terminal.StateDir, "*.jpg", SearchOption.AllDirectories));
        Assert.Null(journal.Find(idCard.Sequence));
        Assert.Empty(Directory.GetFiles(journal.Folder, $"*{idCard.TaskId}*"));
    }

    // ------------------------------------------------------------ helpers

    /// <summary>
    /// A terminal that may fetch pictures from the given loopback ports, as from a LAN picture server: loopback is never
    /// a picture address, so only these test servers' ports are let through (and <c>127.0.0.1</c> is an allowed host).
    /// </summary>
    internal static Task<RunningTerminal> StartWithPictureHostAsync(params int[] ports) =>
        RunningTerminal.StartAsync(null, s => s.AddSingleton(new PictureFetcher(forbidden: e =>
            !(IPAddress.IsLoopback(e.Address) && ports.Contains(e.Port)) && PictureFetcher.IsForbidden(e.Address))), "--access:imageHosts:0=127.0.0.1");

    private static async Task<(string Raw, JsonElement Json)> CallAsync(RunningTerminal terminal, string path, string body, string? origin)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var request = new HttpRequestMessage(HttpMethod.Post, terminal.CameraUri(path)) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        if (origin is not null) request.Headers.Add("Origin", origin);
        using var response = await http.SendAsync(request, Ct);
        var raw = await response.Content.ReadAsStringAsync(Ct);
        return (raw, JsonDocument.Parse(raw).RootElement.Clone());
    }

    private static async Task<string> GrabAsync(RunningTerminal terminal, string? origin)
    {
        var answer = await CallAsync(terminal, "/video=grabimage", """{"camidx":"0","make_uuid":"1","image_process_info":{"rotate":"0"}}""", origin);
        Assert.True(answer.Json.Code() == "0", answer.Raw);
        return answer.Json.GetProperty("images")[0].Str("filepath");
    }

    private static SKBitmap Screen(RunningTerminal terminal) => SignWindowParameterTests.Screen(terminal);

    private static byte[] Png(SKColor colour)
    {
        using var bitmap = new SKBitmap(64, 64);
        bitmap.Erase(colour);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
