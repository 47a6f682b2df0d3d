using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>What browsers need from the port besides CORS (VideoGroupTests): query form, large bodies, the size limit, keep-alive, the same over WebSocket.</summary>
[Collection(nameof(LargeBodyTurns))]
public sealed class HttpBehaviourTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Large_bodies_are_read_oversized_ones_get_code_8_and_the_connection_stays_usable()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };

        // 60 KiB: below a control call's 64 KiB limit (docs/PROTOCOLS.md "Limits"), so it is read and answered.
        var big = "{\"hwnd\":\"" + new string('a', 60 * 1024) + "\"}";
        using (var response = await http.PostAsync(terminal.CameraUri("/sign=set_recv_hwnd"), new StringContent(big, Encoding.UTF8, "text/plain"), Ct))
            Assert.Equal("6", JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("code").GetString());

        var huge = new ByteArrayContent(new byte[65 * 1024 * 1024]);
        using (var response = await http.PostAsync(terminal.CameraUri("/sign=status"), huge, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("8", JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("code").GetString());
        }

        // The query form, on the same client (keep-alive: the server does not close after an answer).
        using var query = await http.PostAsync(terminal.CameraUri("/param=get?type=screen_pos"), new StringContent(""), Ct);
        Assert.False(query.Headers.ConnectionClose ?? false);
        Assert.Equal("""{"code":"0","message":"","pos":{"x":"0","y":"0","width":"1280","height":"800"}}""", await query.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>
    /// At most two bodies above 64 KiB are read at once (docs/BUDGETS.md); a third waits 5 s for a turn and is then
    /// answered 9. A process of its own: the turns are process-wide, and tests in this process upload beside it.
    /// </summary>
    [Fact]
    public async Task A_third_large_upload_at_once_waits_then_gets_code_9_and_the_first_two_are_answered()
    {
        using var dir = new TempDir();
        var ports = FreePorts.Take(3);
        await using var terminal = ApplianceProcess.Start(ApplianceProcess.SimBoardArgs(dir.Path, ports, "--tls:mode=http", "--access:requirePairing=false"));
        await terminal.WaitForHealthAsync(ports[2], Ct);

        // 200 KiB: over a control call's 64 KiB, so it needs a turn; the value itself is small (trailing whitespace is JSON).
        var json = "{\"type\":\"set_cache_data\",\"key\":\"k\",\"value\":\"" + new string('a', 1000) + "\"}";
        var body = Encoding.ASCII.GetBytes(json.PadRight(200 * 1024));
        async Task<System.Net.Sockets.NetworkStream> BeginAsync()
        {
            var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, ports[1], Ct);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /param=set HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n\r\n"), Ct);
            await stream.WriteAsync(body.AsMemory(0, 1000), Ct);
            return stream;
        }
        static async Task<string> AnswerAsync(System.Net.Sockets.NetworkStream stream)
        {
            var text = new StringBuilder();
            var buffer = new byte[4096];
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            while (!text.ToString().Contains("\"code\"", StringComparison.Ordinal) || !text.ToString().TrimEnd().EndsWith('}'))
            {
                var n = await stream.ReadAsync(buffer, deadline.Token);
                if (n == 0) break;
                text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
            return text.ToString();
        }

        await using var first = await BeginAsync();
        await using var second = await BeginAsync();
        await Task.Delay(300, Ct); // both hold their turn
        await using var third = await BeginAsync();
        var refused = await AnswerAsync(third);
        Assert.StartsWith("HTTP/1.1 200", refused, StringComparison.Ordinal);
        Assert.Contains("Connection: close", refused, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"code\":\"9\"", refused, StringComparison.Ordinal);
        Assert.Contains("too many uploads", refused, StringComparison.Ordinal);

        // The two that held their turns finish and are answered; then a turn is free again.
        foreach (var stream in new[] { first, second })
        {
            await stream.WriteAsync(body.AsMemory(1000), Ct);
            Assert.Contains("\"code\":\"0\"", await AnswerAsync(stream), StringComparison.Ordinal);
        }
        await using var fourth = await BeginAsync();
        await fourth.WriteAsync(body.AsMemory(1000), Ct);
        Assert.Contains("\"code\":\"0\"", await AnswerAsync(fourth), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Websocket_oversized_and_malformed_messages_are_answered_and_the_socket_stays_up()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{terminal.CameraPort}/"), Ct);

        // 65 MiB in 1 MiB frames: far above the limit (a 24 MiB document as base64, and room for its parameters). The answer names the function the message started with.
        var head = "{\"function\":\"grab_image\",\"params\":{\"camidx\":\"0\",\"padding\":\""u8.ToArray();
        await socket.SendAsync(head, WebSocketMessageType.Text, endOfMessage: false, Ct);
        var chunk = new byte[1024 * 1024];
        Array.Fill(chunk, (byte)'a');
        for (var i = 0; i < 65; i++) await socket.SendAsync(chunk, WebSocketMessageType.Text, endOfMessage: false, Ct);
        await socket.SendAsync("\"}}"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, Ct);
        Assert.Equal("""{"function":"grab_image","code":"8","message":"消息过大 / message larger than 33619968 bytes"}""", await ReceiveTextAsync(socket));

        // Malformed after the function name: answered under that name; nothing readable: under "error".
        await socket.SendAsync("""{"function":"grab_image","params":{"camidx":}"""u8.ToArray(), WebSocketMessageType.Text, true, Ct);
        var broken = JsonDocument.Parse(await ReceiveTextAsync(socket)).RootElement;
        Assert.Equal(("grab_image", "1"), (broken.GetProperty("function").GetString(), broken.GetProperty("code").GetString()));
        Assert.StartsWith("JSON 解析失败 / malformed JSON", broken.GetProperty("message").GetString(), StringComparison.Ordinal);
        await socket.SendAsync("not json at all"u8.ToArray(), WebSocketMessageType.Text, true, Ct);
        var garbage = JsonDocument.Parse(await ReceiveTextAsync(socket)).RootElement;
        Assert.Equal(("error", "1"), (garbage.GetProperty("function").GetString(), garbage.GetProperty("code").GetString()));
        await socket.SendAsync("""{"params":{}}"""u8.ToArray(), WebSocketMessageType.Text, true, Ct);
        Assert.Equal("""{"function":"error","code":"1","message":"缺少 function / expected {\"function\": NAME, \"params\": {...}}"}""",
            await ReceiveTextAsync(socket));

        // Still up: a real call is answered.
        await socket.SendAsync("""{"function":"grab_image","params":{"camidx":"1","image_process_info":{}}}"""u8.ToArray(), WebSocketMessageType.Text, true, Ct);
        var grabbed = JsonDocument.Parse(await ReceiveTextAsync(socket)).RootElement;
        Assert.Equal(("grab_image", "0"), (grabbed.GetProperty("function").GetString(), grabbed.GetProperty("code").GetString()));
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        using var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, Ct);
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            message.Write(buffer, 0, result.Count);
        } while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }
}

/// <summary>
/// The process holds at most two large bodies at once (<c>BodyLimits.LargeBodies</c>, one gate for every port and every
/// terminal in the process): tests that count those turns run alone, or another test's upload (an order's PDF, a
/// document) would take a turn they count on.
/// </summary>
[CollectionDefinition(nameof(LargeBodyTurns), DisableParallelization = true)]
public sealed class LargeBodyTurns;
