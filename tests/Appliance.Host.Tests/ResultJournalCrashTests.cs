using System.Net.WebSockets;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.TestSupport;
using Appliance.TestSupport.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Host.Tests;

/// <summary>
/// The real `appliance` process is killed (SIGKILL, APPLIANCE_FAULT=kill-after-journal) after a result was journaled
/// and before it was sent; the next run delivers it to the reconnecting PC exactly once.
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
            await WaitForHealthAsync(ports[2], doomed);
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
        await WaitForHealthAsync(ports[2], next);
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

    private async Task WaitForHealthAsync(int adminPort, ApplianceProcess process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(90));
        while (true)
        {
            Assert.False(process.HasExited, process.Output);
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{adminPort}/health", deadline.Token);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested) { }
            await Task.Delay(100, deadline.Token);
        }
    }
}
