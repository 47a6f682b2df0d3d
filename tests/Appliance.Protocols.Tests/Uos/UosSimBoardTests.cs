using System.Net.WebSockets;
using System.Text.Json;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.Uos;

/// <summary>The UOS port of the sim board: identity, the web-preview commands not built yet, and robustness.</summary>
public sealed class UosSimBoardTests
{
    private static string Serial(RunningTerminal t) => t.Service<Core.Identity.TerminalIdentity>().Serial;

    [Theory]
    [InlineData("{\"cmdtype\":\"getSerialnum\"}")]
    [InlineData("{\"cmdtype \": \" get Serialnum \"}")]
    [InlineData("{\"CmdType\":\"GET_SERIALNUM\",\"message\":{\"URL\":\"vuv\"}}")]
    [InlineData("{\"cmdtype\":\"getSerialnum\",\"message\":\"vuv\"}")]
    public async Task GetSerialnum_answers_the_serial_exactly(string request)
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        await pc.SendAsync(request);

        Assert.Equal($"{{\"response\":\"serialnum\",\"message\":\"{Serial(terminal)}\"}}", await pc.ReceiveAsync());
    }

    [Theory]
    [InlineData("openext screen")]
    [InlineData("closeextscreen")]
    [InlineData("btninfo")]
    public async Task Web_preview_commands_answer_not_supported_until_that_issue_lands(string command)
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("2"));

        await pc.SendAsync($"{{\"cmdtype\":\"{command}\",\"message\":{{\"URL\":\"http://x/preview\"}}}}");

        var canonical = command.Replace(" ", "", StringComparison.Ordinal); // named as the seed spells it, whatever arrived
        Assert.Equal($"{{\"response\":\"6\",\"message\":\"此终端尚不支持 {canonical} / {canonical} is not supported by this terminal yet\"}}", await pc.ReceiveAsync());
    }

    [Fact]
    public async Task Mixsignfinger_before_a_signature_and_a_fingerprint_is_a_clear_error()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        await pc.SendAsync("{\"cmdtype\":\"mixsignfinger\",\"message\":{\"URL\":\"vuv\"}}");

        Assert.Equal("{\"response\":\"1\",\"message\":\"请先完成签名和指纹采集 / mixsignfinger needs a signature (getsign) and a fingerprint (getfinger) first\"}",
            await pc.ReceiveAsync());
    }

    [Fact]
    public async Task Bad_input_gets_its_own_error_and_the_connection_stays_usable()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        await pc.SendAsync("{\"cmdtype\": \"getsign\", ");
        Assert.StartsWith("{\"response\":\"1\",\"message\":\"JSON 格式错误 / malformed JSON:", await pc.ReceiveAsync());

        await pc.SendAsync("{\"cmdtype\":\"formatdisk\"}");
        Assert.Equal("{\"response\":\"1\",\"message\":\"未知命令 / unknown cmdtype \\\"formatdisk\\\"\"}", await pc.ReceiveAsync());

        await pc.SendAsync("[1,2,3]");
        Assert.Equal("{\"response\":\"1\",\"message\":\"缺少 cmdtype / expected {\\\"cmdtype\\\": NAME, \\\"message\\\": {...}}\"}", await pc.ReceiveAsync());

        await pc.SendAsync("{\"cmdtype\":\"getsign\",\"message\":{\"pos_x\":true,\"pos_y\":1,\"width\":10,\"height\":10}}");
        Assert.Equal("{\"response\":\"1\",\"message\":\"参数 pos_x 应为数字 / pos_x: expected a number, found a boolean\"}", await pc.ReceiveAsync());

        await pc.SendAsync("{\"cmdtype\":\"getsign\",\"message\":{\"penwidth\":\"fat\"}}");
        Assert.Equal("{\"response\":\"1\",\"message\":\"参数 penwidth 应为数字 / penwidth: expected a number, found \\\"fat\\\"\"}", await pc.ReceiveAsync());

        await pc.SendAsync("{\"cmdtype\":\"getsign\",\"message\":{\"pos_x\":10}}");
        Assert.StartsWith("{\"response\":\"1\",\"message\":\"pos_x、pos_y、width、height 须同时给出", await pc.ReceiveAsync());

        await pc.SendAsync("{\"cmdtype\":\"getsign\",\"message\":[1]}");
        Assert.Equal("{\"response\":\"1\",\"message\":\"message 应为对象 / message: expected an object {...}\"}", await pc.ReceiveAsync());

        var huge = "{\"cmdtype\":\"getsign\",\"message\":{\"pad\":\"" + new string('x', (1 << 20) + 10) + "\"}}";
        await pc.SendAsync(huge);
        Assert.Equal("{\"response\":\"8\",\"message\":\"消息超过 1048576 字节 / message larger than 1048576 bytes\"}", await pc.ReceiveAsync());

        await pc.SendBytesAsync([1, 2, 3], WebSocketMessageType.Binary);
        Assert.Equal("{\"response\":\"1\",\"message\":\"只接受文本 JSON 消息 / only text JSON messages are accepted\"}", await pc.ReceiveAsync());

        Assert.Empty(await pc.DrainUntilSerialAsync());
        Assert.Equal(WebSocketState.Open, pc.State);
    }

    [Fact]
    public async Task An_unknown_flag_is_closed_with_policy_violation_and_a_reason()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var stranger = await UosClient.ConnectAsync(terminal.UosUri("3"));

        Assert.Null(await stranger.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, stranger.CloseStatus);
        Assert.Contains("/1 (PC page) or /2 (preview page)", stranger.CloseStatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hundred_connections_at_once_each_get_their_own_answers()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var expected = $"{{\"response\":\"serialnum\",\"message\":\"{Serial(terminal)}\"}}";
        var clients = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => UosClient.ConnectAsync(terminal.UosUri("1"))));
        try
        {
            // One client never reads: it must not hold up anyone else.
            await clients[0].SendAsync("{\"cmdtype\":\"getSerialnum\"}");
            await Task.WhenAll(clients.Skip(1).Select(async c =>
            {
                for (var i = 0; i < 5; i++)
                {
                    await c.SendAsync("{\"cmdtype\":\"getSerialnum\"}");
                    Assert.Equal(expected, await c.ReceiveAsync(TimeSpan.FromSeconds(60)));
                }
            }));
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task Every_answer_is_valid_json_with_a_string_response()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));
        foreach (var request in new[] { "{}", "{\"cmdtype\":5}", "{\"cmdtype\":\"\"}", "null", "\"getSerialnum\"" })
        {
            await pc.SendAsync(request);
            var answer = await pc.ReceiveJsonAsync();
            Assert.Equal("1", answer.GetProperty("response").GetString());
            Assert.Equal(JsonValueKind.String, answer.GetProperty("message").ValueKind);
        }
    }
}
