using System.Net.WebSockets;
using System.Text.Json;
using Appliance.TestSupport;

namespace Appliance.Host.Tests;

/// <summary>
/// systemd stops the service (SIGTERM) while a person is signing: the process exits cleanly, the task in progress
/// is journaled as aborted, and the PC hears of it exactly once — live before the port closes, or when it
/// reconnects to the next run.
/// </summary>
public sealed class GracefulShutdownTests
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sigterm_during_a_signature_journals_the_task_and_the_pc_hears_of_it_exactly_once()
    {
        using var dir = new TempDir();
        var state = dir.Combine("state");
        var ports = FreePorts.Take(3);
        string[] args = ["--board", "sim", "--state-dir", state, "--config", "none", "--bind", "127.0.0.1",
            "--discovery:enabled=false",
            "--uos-port", $"{ports[0]}", "--camera-port", $"{ports[1]}", "--admin-port", $"{ports[2]}"];
        var uos = new Uri($"ws://127.0.0.1:{ports[0]}/1");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[2]}"), Timeout = TimeSpan.FromSeconds(5) };
        var heard = new List<JsonElement>();

        await using (var first = ApplianceProcess.Start(args))
        {
            await first.WaitForHealthAsync(ports[2], _cancel);
            await using var page = await UosClient.ConnectAsync(uos);
            await page.SendAsync("{\"cmdtype\":\"getsign\",\"message\":{\"penwidth\":4,\"pos_x\":300,\"pos_y\":200,\"width\":600,\"height\":300}}");
            var task = await WaitForSessionAsync(http, "busy");
            Assert.Equal("Sign", task.GetProperty("kind").GetString());
            using (var pen = await SimPen.OpenAsync(state))
                pen.Line(350, 300, 700, 350); // the person is half-way through signing

            first.Terminate();
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            heard.AddRange(await DrainAsync(page));
        }

        await using var second = ApplianceProcess.Start(args);
        await second.WaitForHealthAsync(ports[2], _cancel);
        Assert.Equal(JsonValueKind.Null, (await SessionAsync(http)).GetProperty("task").ValueKind);
        await using (var back = await UosClient.ConnectAsync(uos))
            heard.AddRange((await back.DrainUntilSerialAsync()).Select(m => JsonDocument.Parse(m).RootElement.Clone()));

        var aborted = Assert.Single(heard);
        Assert.Equal("5", aborted.GetProperty("response").GetString());
        Assert.Contains("shutting down", aborted.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(state, "journal"), "*.pending.json"));
    }

    [Fact]
    public async Task Sigterm_ends_both_ports_websockets_with_a_going_away_close_frame()
    {
        using var dir = new TempDir();
        var ports = FreePorts.Take(3);
        await using var terminal = ApplianceProcess.Start(ApplianceProcess.SimBoardArgs(dir.Combine("state"), ports, "--tls:mode=http"));
        await terminal.WaitForHealthAsync(ports[2], _cancel);
        using var camera = new ClientWebSocket();
        await camera.ConnectAsync(new Uri($"ws://127.0.0.1:{ports[1]}/"), _cancel);
        using var uos = new ClientWebSocket();
        await uos.ConnectAsync(new Uri($"ws://127.0.0.1:{ports[0]}/1"), _cancel);

        terminal.Terminate();
        foreach (var socket in new[] { camera, uos })
        {
            var buffer = new byte[4096];
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_cancel);
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            WebSocketReceiveResult result;
            do result = await socket.ReceiveAsync(buffer, deadline.Token);
            while (result.MessageType != WebSocketMessageType.Close);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, result.CloseStatus);
            Assert.Equal("terminal shutting down", result.CloseStatusDescription);
        }
        Assert.Equal(0, await terminal.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    /// <summary>Everything the page receives until the terminal closes the connection.</summary>
    private static async Task<List<JsonElement>> DrainAsync(UosClient page)
    {
        var messages = new List<JsonElement>();
        try
        {
            while (await page.ReceiveAsync(TimeSpan.FromSeconds(10)) is { } text)
                messages.Add(JsonDocument.Parse(text).RootElement.Clone());
        }
        catch (WebSocketException)
        {
            // the process is gone: nothing more can arrive
        }
        catch (OperationCanceledException)
        {
            // nothing more within 10 s
        }
        return messages;
    }

    private async Task<JsonElement> SessionAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("/health", _cancel)).RootElement.GetProperty("session").Clone();

    private async Task<JsonElement> WaitForSessionAsync(HttpClient http, string state)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var session = await SessionAsync(http);
            if (session.GetProperty("state").GetString() == state) return session.GetProperty("task");
            await Task.Delay(50, deadline.Token);
        }
    }
}
