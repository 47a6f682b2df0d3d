using System.Net.WebSockets;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.TestSupport;
using Appliance.TestSupport.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Host.Tests;

/// <summary>
/// The real `appliance` process is killed (SIGKILL, APPLIANCE_FAULT=kill-after-journal) after a result was journaled
/// and before it was sent; the next run delivers it to the reconnecting PC exactly once (UOS), or hands it out when
/// the PC asks for it (CameraService sign=get).
/// </summary>
public sealed class ResultJournalCrashTests
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_result_journaled_before_a_crash_reaches_the_reconnecting_pc_exactly_once()
    {
        using var dir = new TempDir();
        var state = dir.Combine("state");
        // An earlier run left this PC's signature and fingerprint in the journal (delivered); mixsignfinger merges them.
        var seed = new ResultsJournal(state, new JournalOptions(), TimeProvider.System, NullLogger<ResultsJournal>.Instance);
        var pc = new TaskRequester("uos", "127.0.0.1", "uos-earlier");
        foreach (var (kind, part, image) in new[] { (TaskKind.Sign, "signature", TestImages.SignaturePng()), (TaskKind.Fingerprint, "fingerprint", TestImages.FingerprintPng()) })
            seed.MarkDelivered(seed.Append(new ResultRecord
            {
                TaskId = Guid.NewGuid().ToString("N"), Kind = kind, State = TaskState.Completed, Requester = pc,
                FinishedAt = DateTimeOffset.UtcNow, Images = [new(part, image)],
            }).Sequence);

        var ports = FreePorts.Take(3);
        string[] args = ["--board", "sim", "--state-dir", state, "--config", "none", "--bind", "127.0.0.1",
            "--uos-port", $"{ports[0]}", "--camera-port", $"{ports[1]}", "--admin-port", $"{ports[2]}"];
        var uos = new Uri($"ws://127.0.0.1:{ports[0]}/1");

        await using (var doomed = ApplianceProcess.Start(args, new Dictionary<string, string> { [FaultInjection.Variable] = "kill-after-journal" }))
        {
            await doomed.WaitForHealthAsync(ports[2], _cancel);
            await using var page = await UosClient.ConnectAsync(uos);
            await page.SendAsync("{\"cmdtype\":\"mixsignfinger\",\"message\":{\"URL\":\"vuv\"}}");
            string? answer;
            try
            {
                answer = await page.ReceiveAsync(TimeSpan.FromSeconds(60));
            }
            catch (WebSocketException)
            {
                answer = null; // the connection died with the process
            }
            Assert.Null(answer);
            Assert.NotEqual(0, await doomed.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }
        var journalFolder = Path.Combine(state, "journal");
        var pending = Assert.Single(Directory.GetFiles(journalFolder, "*.pending.json"));
        Assert.Contains("\"kind\":\"SignFingerMix\"", File.ReadAllText(pending), StringComparison.Ordinal);

        await using var next = ApplianceProcess.Start(args);
        await next.WaitForHealthAsync(ports[2], _cancel);
        await using (var back = await UosClient.ConnectAsync(uos))
        {
            var mixed = await back.ReceiveJsonAsync();
            Assert.Equal("mixingbase64", mixed.GetProperty("response").GetString());
            using var image = TestImages.Decode(mixed.GetProperty("message").GetBytesFromBase64());
            Assert.True(image.Width >= 400);
            Assert.Empty(await back.DrainUntilSerialAsync());
        }
        await using (var again = await UosClient.ConnectAsync(uos))
            Assert.Empty(await again.DrainUntilSerialAsync());
        Assert.Empty(Directory.GetFiles(journalFolder, "*.pending.json"));
    }

    [Fact]
    public async Task A_signature_journaled_before_a_crash_is_fetched_with_sign_get_after_the_restart()
    {
        using var dir = new TempDir();
        var state = dir.Combine("state");
        var ports = FreePorts.Take(3);
        string[] args = ["--board", "sim", "--state-dir", state, "--config", "none", "--bind", "127.0.0.1",
            "--uos-port", $"{ports[0]}", "--camera-port", $"{ports[1]}", "--admin-port", $"{ports[2]}"];
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[1]}/"), Timeout = TimeSpan.FromSeconds(30) };
        string taskId;

        await using (var doomed = ApplianceProcess.Start(args, new Dictionary<string, string> { [FaultInjection.Variable] = "kill-after-journal" }))
        {
            await doomed.WaitForHealthAsync(ports[2], _cancel);
            var start = await CallAsync(http, "/sign=start", """{"remark":"before-the-crash"}""");
            Assert.Equal("0", start.GetProperty("code").GetString());
            taskId = start.GetProperty("task_id").GetString()!;
            using var pen = await SimPen.OpenAsync(state);
            // Sign and press OK until the process dies journaling it (the first strokes may come before the window is up).
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (!doomed.HasExited)
            {
                try
                {
                    pen.Line(300, 300, 700, 420);
                    pen.Tap(SignOkX, SignOkY);
                }
                catch (IOException)
                {
                    break; // the reader went with the process
                }
                await Task.Delay(300, deadline.Token);
            }
            Assert.NotEqual(0, await doomed.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }
        var journalFolder = Path.Combine(state, "journal");
        var pending = Assert.Single(Directory.GetFiles(journalFolder, "*.pending.json"));
        Assert.Contains(taskId, Path.GetFileName(pending), StringComparison.Ordinal);

        await using var next = ApplianceProcess.Start(args);
        await next.WaitForHealthAsync(ports[2], _cancel);
        var status = await CallAsync(http, "/sign=status", $$"""{"task_id":"{{taskId}}"}""");
        Assert.Equal(("0", "2", taskId), (status.GetProperty("code").GetString(), status.GetProperty("status").GetString(), status.GetProperty("task_id").GetString()));
        // The page polls sign=get without a task_id, as before the restart: the signature it never got is the current one.
        var get = await CallAsync(http, "/sign=get", "");
        Assert.Equal("0", get.GetProperty("code").GetString());
        Assert.Equal(taskId, get.GetProperty("task_id").GetString());
        Assert.Equal("before-the-crash", get.GetProperty("remark").GetString());
        using (var png = TestImages.Decode(get.GetProperty("image").GetBytesFromBase64()))
        {
            Assert.Equal((1280, 800), (png.Width, png.Height));
            var inked = 0;
            for (var x = 300; x < 700; x += 2) for (var y = 290; y < 430; y++) if (png.GetPixel(x, y).Alpha > 128) inked++;
            Assert.True(inked > 100, $"the stroke signed before the crash is in the image ({inked} inked pixels)");
        }
        var byId = await CallAsync(http, "/sign=get", $$"""{"task_id":"{{taskId}}"}""");
        Assert.Equal(get.GetProperty("image").GetString(), byId.GetProperty("image").GetString());

        // Marked delivered once the answer went out.
        using var delivered = CancellationTokenSource.CreateLinkedTokenSource(_cancel);
        delivered.CancelAfter(TimeSpan.FromSeconds(30));
        while (Directory.GetFiles(journalFolder, "*.pending.json").Length > 0) await Task.Delay(50, delivered.Token);
        Assert.Single(Directory.GetFiles(journalFolder, "*.delivered.json"));
    }

    // The sim screen is 1280x800; the default OK button is the rightmost, 140x56, 20 px from the bottom-right corner.
    private const int SignOkX = 1190, SignOkY = 752;

    private async Task<System.Text.Json.JsonElement> CallAsync(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "text/plain"), _cancel);
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(_cancel)).RootElement.Clone();
    }
}
