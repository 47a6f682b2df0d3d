using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.TestSupport;
using Appliance.TestSupport.Fakes;
using SkiaSharp;

namespace Appliance.Protocols.Tests.Uos;

/// <summary>
/// Every device command of seed 000 end to end over the wire, with in-memory capture backends standing in for the
/// screen and the devices (the adapters to the real drivers replace them on the sim board).
/// </summary>
public sealed class UosCommandTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    private static string Image(string response, byte[] bytes) => $"{{\"response\":\"{response}\",\"message\":\"{Convert.ToBase64String(bytes)}\"}}";

    [Fact]
    public async Task Getsign_opens_the_window_where_asked_and_answers_signbase64_with_the_png()
    {
        var fakes = new FakeDevices();
        await using var terminal = await RunningTerminal.StartWithFakesAsync(fakes);
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        await pc.SendAsync("{\"cmdtype \": \" getsign \", \" message \": { \" penwidth \": 8, \" pos _ x \": 250, \" pos _ y \": \"200\", \"width\": 400, \"height\": 160}}");
        var window = await fakes.Signature.WaitForWindowAsync(_cancel).AsTask().WaitAsync(Wait, _cancel);
        Assert.Equal(new SignatureRequest(new ScreenRect(250, 200, 400, 160), 8), window);
        Assert.Equal("请在框内签名 / Please sign in the box", terminal.Service<TerminalSession>().Prompt.Title);

        var png = TestImages.SignaturePng();
        fakes.Signature.Sign(png, new PenSample(10, 20, 0.5f, 0), new PenSample(30, 40, 0.7f, 16));

        var answer = await pc.ReceiveAsync();
        Assert.Equal(Image("signbase64", png), answer);
        using var decoded = TestImages.Decode(png);
        Assert.Equal(SKColors.Transparent.Alpha, decoded.GetPixel(0, 0).Alpha);
        var journal = terminal.Service<ResultsJournal>();
        var entry = Assert.Single(journal.Entries);
        Assert.True(entry.Delivered);
        Assert.Equal(2, PenSampleEncoding.Decode(journal.Read(entry)!.Image("penSamples")).Length);
    }

    [Fact]
    public async Task Return_on_the_signature_window_answers_signcancel()
    {
        var fakes = new FakeDevices();
        await using var terminal = await RunningTerminal.StartWithFakesAsync(fakes);
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        await pc.SendAsync("{\"cmdtype\":\"getsign\"}");
        Assert.Null((await fakes.Signature.WaitForWindowAsync(_cancel).AsTask().WaitAsync(Wait, _cancel)).Window);
        fakes.Signature.PressReturn();

        Assert.Equal("{\"response\":\"signcancel\"}", await pc.ReceiveAsync());
    }

    [Fact]
    public async Task A_second_capture_while_one_is_on_screen_gets_busy_and_the_first_result_reaches_every_page_of_the_pc()
    {
        var fakes = new FakeDevices();
        await using var terminal = await RunningTerminal.StartWithFakesAsync(fakes);
        await using var first = await UosClient.ConnectAsync(terminal.UosUri("1"));
        await using var second = await UosClient.ConnectAsync(terminal.UosUri("1"));

        await first.SendAsync("{\"cmdtype\":\"getsign\"}");
        await fakes.Signature.WaitForWindowAsync(_cancel).AsTask().WaitAsync(Wait, _cancel);
        await second.SendAsync("{\"cmdtype\":\"getfinger\"}");
        var busy = await second.ReceiveJsonAsync();
        Assert.Equal("9", busy.GetProperty("response").GetString());
        Assert.Contains("the terminal is busy: a Sign task", busy.GetProperty("message").GetString(), StringComparison.Ordinal);

        var png = TestImages.SignaturePng();
        fakes.Signature.Sign(png);
        Assert.Equal(Image("signbase64", png), await first.ReceiveAsync());
        Assert.Equal(Image("signbase64", png), await second.ReceiveAsync());
    }

    [Fact]
    public async Task Getfinger_answers_fingerbase64_then_mixsignfinger_merges_them_in_red_over_the_end_of_the_signature()
    {
        var fakes = new FakeDevices();
        await using var terminal = await RunningTerminal.StartWithFakesAsync(fakes);
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));
        var signature = TestImages.SignaturePng();
        var finger = TestImages.FingerprintPng();

        await pc.SendAsync("{\"cmdtype\":\"getsign\"}");
        await fakes.Signature.WaitForWindowAsync(_cancel).AsTask().WaitAsync(Wait, _cancel);
        fakes.Signature.Sign(signature);
        Assert.Equal(Image("signbase64", signature), await pc.ReceiveAsync());

        await pc.SendAsync("{\"cmdtype\":\"getfinger\",\"message\":{\"pos_x\":350,\"pos_y\":250,\"width\":256,\"height\":256}}");
        await fakes.Fingerprint.WaitForCaptureAsync(_cancel).AsTask().WaitAsync(Wait, _cancel);
        Assert.Equal(new ScreenRect(350, 250, 256, 256), terminal.Service<TerminalSession>().Prompt.Window);
        Assert.StartsWith("请将手指放在指纹仪上", fakes.Screen.Shown[^1]!.Title, StringComparison.Ordinal);
        fakes.Fingerprint.PlaceFinger(finger);
        Assert.Equal(Image("fingerbase64", finger), await pc.ReceiveAsync());

        await pc.SendAsync("{\"cmdtype\":\"mixsignfinger\",\"message\":{\"URL\":\"vuv\"}}");
        var mixed = await pc.ReceiveJsonAsync();
        Assert.Equal("mixingbase64", mixed.GetProperty("response").GetString());
        using var image = TestImages.Decode(mixed.GetProperty("message").GetBytesFromBase64());
        using var original = TestImages.Decode(signature);
        Assert.True(image.Width >= original.Width && image.Height >= original.Height);
        var red = 0;
        var black = 0;
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
            {
                var c = image.GetPixel(x, y);
                if (c.Alpha < 128) continue;
                if (c.Red > 120 && c.Green < 60 && c.Blue < 60) red++;
                else if (c.Red < 60 && c.Green < 60 && c.Blue < 60) black++;
            }
        Assert.True(red > 500, $"{red} red ink pixels");
        Assert.True(black > 300, $"{black} black ink pixels");
        Assert.Equal(SKColors.Transparent.Alpha, image.GetPixel(0, 0).Alpha);
    }

    [Fact]
    public async Task No_finger_within_the_timeout_is_error_4_and_closefinger_is_error_5()
    {
        var fakes = new FakeDevices();
        await using var terminal = await RunningTerminal.StartWithFakesAsync(fakes, null, "--session:fingerprintTimeoutSeconds=1");
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        await pc.SendAsync("{\"cmdtype\":\"getfinger\"}");
        Assert.Equal("{\"response\":\"4\",\"message\":\"1 秒内无操作 / nothing happened within 1 s\"}", await pc.ReceiveAsync());

        await pc.SendAsync("{\"cmdtype\":\"getfinger\"}");
        await fakes.Fingerprint.WaitForCaptureAsync(_cancel).AsTask().WaitAsync(Wait, _cancel); // the first one's wait
        await fakes.Fingerprint.WaitForCaptureAsync(_cancel).AsTask().WaitAsync(Wait, _cancel);
        await pc.SendAsync("{\"cmdtype\":\"closefinger\",\"message\":{\"URL\":\"vuv\"}}");
        Assert.Equal("{\"response\":\"5\",\"message\":\"指纹窗口已被关闭 / the fingerprint window was closed by closefinger (127.0.0.1)\"}", await pc.ReceiveAsync());
    }

    [Fact]
    public void The_fingerprint_window_closes_after_5_seconds_by_default()
    {
        Assert.Equal(5, new TerminalSessionOptions().FingerprintTimeoutSeconds);
    }

    [Fact]
    public async Task Getcard_answers_idcardinfo_with_every_key_and_empty_fields_after_a_timeout_without_card()
    {
        var fakes = new FakeDevices();
        await using var terminal = await RunningTerminal.StartWithFakesAsync(fakes, null, "--session:idCardTimeoutSeconds=1");
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        await pc.SendAsync("{\"cmdtype\":\"getcard\",\"message\":{\"URL\":\"vuv\"}}");
        Assert.Equal("{\"response\":\"idcardinfo\",\"message\":{\"name\":\"\",\"sex\":\"\",\"nation\":\"\",\"birthday\":\"\",\"address\":\"\",\"idnum\":\"\",\"issue\":\"\",\"efficientDate\":\"\",\"expireDate\":\"\",\"bareheadBase64\":\"\",\"frontingBase64\":\"\",\"backingBase64\":\"\"}}",
            await pc.ReceiveAsync());

        await pc.SendAsync("{\"cmdtype\":\"getcard\"}");
        await fakes.IdCard.WaitForReadAsync(_cancel).AsTask().WaitAsync(Wait, _cancel);
        await fakes.IdCard.WaitForReadAsync(_cancel).AsTask().WaitAsync(Wait, _cancel);
        var photo = TestImages.CameraJpeg(3, 102, 126);
        fakes.IdCard.PlaceCard(new IdCardRead
        {
            Name = "张测试", Sex = "男", Nation = "汉", Birthday = "19900307", Address = "北京市东城区测试路1号",
            IdNumber = "110101199003070011", Issuer = "北京市公安局东城分局", ValidFrom = "20200101", ValidTo = "20400101", Photo = photo,
        });
        Assert.Equal("{\"response\":\"idcardinfo\",\"message\":{\"name\":\"张测试\",\"sex\":\"男\",\"nation\":\"汉\",\"birthday\":\"19900307\",\"address\":\"北京市东城区测试路1号\",\"idnum\":\"110101199003070011\",\"issue\":\"北京市公安局东城分局\",\"efficientDate\":\"20200101\",\"expireDate\":\"20400101\",\"bareheadBase64\":\"" + Convert.ToBase64String(photo) + "\",\"frontingBase64\":\"\",\"backingBase64\":\"\"}}",
            await pc.ReceiveAsync());
    }

    [Fact]
    public async Task Previewcamera_streams_jpeg_frames_until_stopcamera_and_getcamera_answers_picbase64()
    {
        var fakes = new FakeDevices();
        await using var terminal = await RunningTerminal.StartWithFakesAsync(fakes, null, "--uos:previewFramesPerSecond=20");
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        await pc.SendAsync("{\"cmdtype\":\"Preview camera\",\"Message\":{\"URL\":\"vuv\"}}");
        for (var i = 0; i < 3; i++)
        {
            var frame = await pc.ReceiveJsonAsync();
            Assert.Equal("camerabase64", frame.GetProperty("response").GetString());
            using var jpeg = TestImages.Decode(frame.GetProperty("message").GetBytesFromBase64());
            Assert.Equal(320, jpeg.Width);
        }
        await pc.SendAsync("{\"cmdtype\":\"stop camera\",\"message\":{\"URL\":\"vuv\"}}");
        await pc.DrainUntilSerialAsync(); // frames already on their way
        var grabbed = fakes.Camera.FramesGrabbed;
        await Task.Delay(300, _cancel);
        Assert.Equal(grabbed, fakes.Camera.FramesGrabbed);
        Assert.Equal(0, terminal.Service<Protocols.Uos.UosCameraPreview>().ActiveStreams);

        await pc.SendAsync("{\"cmdtype\":\"get camera\",\"message\":{\"URL\":\"vuv\"}}");
        var photo = await pc.ReceiveJsonAsync();
        Assert.Equal("picbase64", photo.GetProperty("response").GetString());
        using var picture = TestImages.Decode(photo.GetProperty("message").GetBytesFromBase64());
        Assert.Equal((640, 480), (picture.Width, picture.Height));
    }

    [Fact]
    public async Task A_pc_that_dropped_gets_its_result_when_it_connects_again_exactly_once()
    {
        var fakes = new FakeDevices();
        await using var terminal = await RunningTerminal.StartWithFakesAsync(fakes);
        var png = TestImages.SignaturePng();
        await using (var pc = await UosClient.ConnectAsync(terminal.UosUri("1")))
        {
            await pc.SendAsync("{\"cmdtype\":\"getsign\"}");
            await fakes.Signature.WaitForWindowAsync(_cancel).AsTask().WaitAsync(Wait, _cancel);
        }
        var registry = terminal.Service<Protocols.Uos.UosConnectionRegistry>();
        while (registry.Count > 0) await Task.Delay(20, _cancel); // the terminal noticed the page left
        fakes.Signature.Sign(png);
        var journal = terminal.Service<ResultsJournal>();
        while (journal.Entries.Count == 0) await Task.Delay(20, _cancel);
        Assert.False(journal.Entries[0].Delivered);

        await using var again = await UosClient.ConnectAsync(terminal.UosUri("1"));
        Assert.Equal(Image("signbase64", png), await again.ReceiveAsync());
        Assert.Empty(await again.DrainUntilSerialAsync());
        await using var third = await UosClient.ConnectAsync(terminal.UosUri("1"));
        Assert.Empty(await third.DrainUntilSerialAsync());
        Assert.True(journal.Entries[0].Delivered);
    }

    [Fact]
    public async Task Stopping_the_terminal_journals_the_task_on_screen_and_the_next_run_delivers_it_once()
    {
        var fakes = new FakeDevices();
        using var state = new TempDir();
        var terminal = await RunningTerminal.StartWithFakesAsync(fakes, state.Path);
        var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));
        await pc.SendAsync("{\"cmdtype\":\"getsign\"}");
        await fakes.Signature.WaitForWindowAsync(_cancel).AsTask().WaitAsync(Wait, _cancel);

        var receiving = pc.ReceiveAsync(); // the connected page hears the abort before the port closes
        await terminal.DisposeAsync();
        Assert.Equal("{\"response\":\"5\",\"message\":\"终端正在关闭 / the terminal is shutting down\"}", await receiving);
        Assert.Null(await pc.ReceiveAsync());
        await pc.DisposeAsync();

        await using var next = await RunningTerminal.StartWithFakesAsync(new FakeDevices(), state.Path);
        var entry = Assert.Single(next.Service<ResultsJournal>().Entries);
        Assert.Equal((TaskKind.Sign, TaskState.Aborted, true), (entry.Kind, entry.State, entry.Delivered));
        await using var back = await UosClient.ConnectAsync(next.UosUri("1"));
        Assert.Empty(await back.DrainUntilSerialAsync());
    }
}
