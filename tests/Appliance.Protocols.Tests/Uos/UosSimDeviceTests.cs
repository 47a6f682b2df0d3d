using System.Text.Json;
using Appliance.TestSupport;
using Appliance.TestSupport.Fakes;
using Appliance.Ui;

namespace Appliance.Protocols.Tests.Uos;

/// <summary>
/// getcard, getfinger, mixsignfinger and the camera commands on the sim board end to end: the real serial drivers
/// talk to the pty simulators, the real V4L2 driver to the sim camera, and the PC sees the seed-000 answers.
/// </summary>
public sealed class UosSimDeviceTests
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    private static async Task PostAsync(RunningTerminal terminal, string path, string json)
    {
        using var response = await terminal.Http.PostAsync(path, new StringContent(json), TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The serial drivers connect to their simulators just after start-up; /health says when.</summary>
    private static async Task WaitForReadyAsync(RunningTerminal terminal, string device)
    {
        using var timeout = new CancellationTokenSource(Long);
        while (true)
        {
            using var health = JsonDocument.Parse(await terminal.Http.GetStringAsync("/health", timeout.Token));
            if (health.RootElement.GetProperty("devices").EnumerateArray()
                .Any(d => d.GetProperty("name").GetString() == device && d.GetProperty("state").GetString() == "ready"))
                return;
            await Task.Delay(50, timeout.Token);
        }
    }

    [Fact]
    public async Task Getcard_reads_the_placed_card_with_both_faces_and_says_why_there_is_no_photo()
    {
        var log = new LogCapture();
        await using var terminal = await RunningTerminal.StartAsync(null, log.AddTo);
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));
        await WaitForReadyAsync(terminal, "idCard");
        await PostAsync(terminal, "/sim/card", """{"preset":"mainland"}""");

        await pc.SendAsync("""{"cmdtype":"getcard","message":{"URL":"vuv"}}""");

        var answer = await pc.ReceiveJsonAsync(Long);
        Assert.Equal("idcardinfo", answer.GetProperty("response").GetString());
        var card = answer.GetProperty("message");
        Assert.False(string.IsNullOrEmpty(card.GetProperty("name").GetString()));
        var id = card.GetProperty("idnum").GetString()!;
        Assert.Equal(18, id.Length);
        Assert.Equal(Gb11643CheckCharacter(id[..17]), id[17]);
        Assert.Equal(id.Substring(6, 8), card.GetProperty("birthday").GetString());
        Assert.False(string.IsNullOrEmpty(card.GetProperty("expireDate").GetString()));
        // The sim board names no WLT decoder library: no photo, everything else present.
        Assert.Equal("", card.GetProperty("bareheadBase64").GetString());
        using var front = TestImages.Decode(card.GetProperty("frontingBase64").GetBytesFromBase64());
        using var back = TestImages.Decode(card.GetProperty("backingBase64").GetBytesFromBase64());
        Assert.True(front.Width > front.Height && back.Width > back.Height, "card faces are landscape");

        // The screen told the person each step: place the card, keep it still while it is read, then that it was read.
        var said = log.Lines.Where(l => l.Category.EndsWith(".TerminalSession", StringComparison.Ordinal)).Select(l => l.Message).ToList();
        int At(string text) => said.FindIndex(m => m.Contains(text, StringComparison.Ordinal));
        Assert.True(At("on Open") >= 0 && At("on Open") < At("正在读卡，请勿移动 / Reading the card, keep it still")
            && At("正在读卡") < At("on Complete"), string.Join(" | ", said));
    }

    [Fact]
    public async Task Getcard_with_no_card_answers_empty_fields_after_the_timeout()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--session:idCardTimeoutSeconds=2");
        await WaitForReadyAsync(terminal, "idCard");
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        await pc.SendAsync("""{"cmdtype":"getcard","message":{"URL":"vuv"}}""");

        var answer = await pc.ReceiveJsonAsync(Long);
        Assert.Equal("idcardinfo", answer.GetProperty("response").GetString());
        foreach (var field in answer.GetProperty("message").EnumerateObject())
            Assert.Equal("", field.Value.GetString());
    }

    [Fact]
    public async Task Closefinger_closes_the_fingerprint_window_on_the_sim_board_and_getfinger_answers_5()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await WaitForReadyAsync(terminal, "fingerprint");
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));
        var session = terminal.Service<Appliance.Core.Session.TerminalSession>();

        await pc.SendAsync("""{"cmdtype":"getfinger","message":{"URL":"vuv"}}""");
        using (var started = new CancellationTokenSource(Long))
            while (session.Current is not { Kind: Appliance.Core.Session.TaskKind.Fingerprint }) await Task.Delay(20, started.Token);
        Assert.StartsWith("请将手指放在指纹仪上", session.Prompt.Title, StringComparison.Ordinal);
        await pc.SendAsync("""{"cmdtype":"closefinger","message":{"URL":"vuv"}}""");

        Assert.Equal("{\"response\":\"5\",\"message\":\"指纹窗口已被关闭 / the fingerprint window was closed by closefinger (127.0.0.1)\"}", await pc.ReceiveAsync(Long));
        Assert.Null(session.Current);
        Assert.Equal("欢迎使用 / Welcome", session.Prompt.Title);
        // The module is free again: a finger placed now is captured by the next getfinger.
        await PostAsync(terminal, "/sim/finger", """{"person":1,"finger":2}""");
        await pc.SendAsync("""{"cmdtype":"getfinger","message":{"URL":"vuv"}}""");
        var finger = await pc.ReceiveJsonAsync(Long);
        Assert.Equal("fingerbase64", finger.GetProperty("response").GetString());
    }

    [Fact]
    public async Task Getfinger_captures_the_placed_finger_and_mixsignfinger_merges_it_with_the_signature()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));
        using var pen = await SimPen.OpenAsync(terminal.StateDir);
        await WaitForReadyAsync(terminal, "fingerprint");

        await terminal.OpenUosSignWindowAsync(pc);
        pen.Line(350, 300, 700, 350);
        pen.Tap(300 + 600 - 20 - 70, 200 + 300 - 20 - 28);
        Assert.Equal("signbase64", (await pc.ReceiveJsonAsync(Long)).GetProperty("response").GetString());

        await PostAsync(terminal, "/sim/finger", """{"person":1,"finger":2}""");
        await pc.SendAsync("""{"cmdtype":"getfinger","message":{"pos_x":350,"pos_y":250,"width":256,"height":256}}""");
        var finger = await pc.ReceiveJsonAsync(Long);
        Assert.Equal("fingerbase64", finger.GetProperty("response").GetString());
        using (var image = TestImages.Decode(finger.GetProperty("message").GetBytesFromBase64()))
            Assert.True(image.Width >= 100 && image.Height >= 100);

        await pc.SendAsync("""{"cmdtype":"mixsignfinger","message":{"URL":"vuv"}}""");
        var mixed = await pc.ReceiveJsonAsync(Long);
        Assert.Equal("mixingbase64", mixed.GetProperty("response").GetString());
        using var merged = TestImages.Decode(mixed.GetProperty("message").GetBytesFromBase64());
        Assert.True(merged.Width >= 600, $"the merge keeps the signature's size, found {merged.Width}x{merged.Height}");
    }

    [Fact]
    public async Task Getfinger_without_a_finger_closes_after_five_seconds_with_the_timeout_error()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await WaitForReadyAsync(terminal, "fingerprint");
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        await pc.SendAsync("""{"cmdtype":"getfinger","message":{"pos_x":350,"pos_y":250,"width":256,"height":256}}""");

        var answer = await pc.ReceiveJsonAsync(Long);
        Assert.Equal("4", answer.GetProperty("response").GetString());
    }

    [Fact]
    public async Task Camera_preview_streams_jpeg_frames_getcamera_takes_a_photo_and_stopcamera_stops()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await WaitForReadyAsync(terminal, "camera1");
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        await pc.SendAsync("""{"cmdtype":"Preview camera","Message":{"URL":"vuv"}}""");
        for (var i = 0; i < 2; i++)
        {
            var frame = await pc.ReceiveJsonAsync(Long);
            Assert.Equal("camerabase64", frame.GetProperty("response").GetString());
            AssertJpeg(frame.GetProperty("message").GetBytesFromBase64());
        }

        await pc.SendAsync("""{"cmdtype":"get camera","message":{"URL":"vuv"}}""");
        JsonElement photo;
        do photo = await pc.ReceiveJsonAsync(Long);
        while (photo.GetProperty("response").GetString() == "camerabase64");
        Assert.Equal("picbase64", photo.GetProperty("response").GetString());
        AssertJpeg(photo.GetProperty("message").GetBytesFromBase64());

        await pc.SendAsync("""{"cmdtype":"stop camera","message":{"URL":"vuv"}}""");
        await pc.DrainUntilSerialAsync(Long);             // frames already queued before the stop may still arrive
        var after = await pc.DrainUntilSerialAsync(Long);  // after the stop was handled, nothing more
        Assert.Empty(after);
    }

    private static void AssertJpeg(byte[] bytes)
    {
        Assert.True(bytes.Length > 100 && bytes[0] == 0xFF && bytes[1] == 0xD8, "a JPEG starts with FF D8");
        using var image = TestImages.Decode(bytes);
        Assert.True(image.Width >= 160);
    }

    private static char Gb11643CheckCharacter(string first17)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = first17.Select((c, i) => (c - '0') * weights[i]).Sum();
        return "10X98765432"[sum % 11];
    }
}
