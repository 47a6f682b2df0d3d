using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Appliance.Protocols.Wire;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.Shell;

/// <summary>
/// docs/PROTOCOLS.md "Bad bytes get coded answers": bytes no handler can read (invalid UTF-8, a lone surrogate escape,
/// NUL, deep nesting, numbers that do not fit, wrong types) are answered 1 on every port, at the byte level, and the
/// connection goes on; a WebSocket text frame that is not UTF-8 is closed with 1007.
/// </summary>
public sealed class BadBytesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Http_body_with_invalid_utf8_is_code_1_and_the_same_connection_serves_the_next_request()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = await RawHttp.ConnectAsync(terminal.CameraPort);

        var answer = await http.PostAsync("/video=grabimage", [.. "{\"ca"u8, 0xA7, .. "midx\":\"0\"}"u8]);
        Assert.Equal(200, answer.Status);
        Assert.Equal("1", Code(answer.Body));
        Assert.Contains("UTF-8", Message(answer.Body), StringComparison.Ordinal);

        var next = await http.PostAsync("/param=get", """{"type":"screen_pos"}"""u8.ToArray());
        Assert.Equal("""{"code":"0","message":"","pos":{"x":"0","y":"0","width":"1280","height":"800"}}""", next.Body);
    }

    [Theory]
    [InlineData("""{"type":"screen_pos","note":"a\ud800b"}""", "lone surrogate")]
    [InlineData("""{"type":"screen_pos","no\udc00te":"x"}""", "lone surrogate")]
    [InlineData("""{"type":"screen_pos","note":"a\u0000b"}""", "NUL")]
    public async Task Http_strings_no_handler_can_read_are_code_1_naming_the_problem(string body, string named)
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = await RawHttp.ConnectAsync(terminal.CameraPort);

        // The same call without the bad member is fine: the answer is about the bytes.
        Assert.Equal("0", Code((await http.PostAsync("/param=get", """{"type":"screen_pos","note":"ab"}"""u8.ToArray())).Body));
        var answer = await http.PostAsync("/param=get", Encoding.UTF8.GetBytes(body));
        Assert.Equal(200, answer.Status);
        Assert.Equal("1", Code(answer.Body));
        Assert.Contains(named, Message(answer.Body), StringComparison.Ordinal);
        Assert.Equal("0", Code((await http.PostAsync("/param=get", """{"type":"screen_pos"}"""u8.ToArray())).Body));
    }

    [Theory]
    [InlineData("/param=get?type=screen%00_pos")]
    [InlineData("/param=get?ty%00pe=screen_pos")]
    public async Task Http_url_parameters_holding_nul_are_code_1_and_the_connection_goes_on(string path)
    {
        // (A %00 in the path itself, "/param=get&type=a%00b", never reaches the port: Kestrel's request-target parser
        // answers 400 and closes, before any application code.)
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = await RawHttp.ConnectAsync(terminal.CameraPort);

        var answer = await http.PostAsync(path, []);
        Assert.Equal(200, answer.Status);
        Assert.Equal("1", Code(answer.Body));
        Assert.Contains("NUL", Message(answer.Body), StringComparison.Ordinal);
        Assert.Equal("0", Code((await http.PostAsync("/param=get?type=screen_pos", []).ConfigureAwait(true)).Body));
    }

    [Theory]
    [InlineData("""{"camidx":1e400}""")]
    [InlineData("""{"camidx":1234567890123456789012345678901234567890}""")]
    [InlineData("""{"camidx":{"a":1}}""")]
    [InlineData("""{"camidx":[0]}""")]
    [InlineData("""{"camidx":"0","image_process_info":{"rotate":99999999999999999999}}""")]
    public async Task Http_numbers_that_do_not_fit_and_wrong_types_are_code_1(string body)
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = await RawHttp.ConnectAsync(terminal.CameraPort);

        var answer = await http.PostAsync("/video=grabimage", Encoding.UTF8.GetBytes(body));
        Assert.Equal(200, answer.Status);
        Assert.Equal("1", Code(answer.Body));
        Assert.Equal("0", Code((await http.PostAsync("/param=get", """{"type":"screen_pos"}"""u8.ToArray())).Body));
    }

    [Theory]
    [InlineData("/sign=start", "[1,2,3]", "JSON object")]
    [InlineData("/sign=showevaluator", "[1,2,3]", "JSON object")]
    public async Task Http_an_array_where_a_route_takes_an_object_is_code_1(string path, string body, string named)
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = await RawHttp.ConnectAsync(terminal.CameraPort);

        var answer = await http.PostAsync(path, Encoding.UTF8.GetBytes(body));

        Assert.Equal(200, answer.Status);
        Assert.Equal("1", Code(answer.Body));
        Assert.Contains(named, Message(answer.Body), StringComparison.Ordinal);
        Assert.Equal("0", Code((await http.PostAsync("/param=get", """{"type":"screen_pos"}"""u8.ToArray())).Body));
    }

    [Fact]
    public async Task Http_a_grab_file_name_longer_than_255_bytes_is_code_1()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = await RawHttp.ConnectAsync(terminal.CameraPort);

        var answer = await http.PostAsync("/video=grabimage", Encoding.UTF8.GetBytes("{\"camidx\":\"0\",\"filepath\":\"" + new string('x', 300) + ".jpg\"}"));

        Assert.Equal(200, answer.Status);
        Assert.Equal("1", Code(answer.Body));
        Assert.Contains("255", Message(answer.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_nesting_deeper_than_64_is_code_1()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = await RawHttp.ConnectAsync(terminal.CameraPort);

        var deep = "{\"type\":\"screen_pos\",\"x\":" + new string('[', 100) + new string(']', 100) + "}";
        var answer = await http.PostAsync("/param=get", Encoding.UTF8.GetBytes(deep));
        Assert.Equal(200, answer.Status);
        Assert.Equal("1", Code(answer.Body));
        var fine = "{\"type\":\"screen_pos\",\"x\":" + new string('[', 40) + new string(']', 40) + "}";
        Assert.Equal("0", Code((await http.PostAsync("/param=get", Encoding.UTF8.GetBytes(fine))).Body));
    }

    [Fact]
    public async Task Uos_lone_surrogate_nul_nesting_and_huge_numbers_are_response_1_and_the_socket_still_answers()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));
        var serial = $"{{\"response\":\"serialnum\",\"message\":\"{terminal.Service<Core.Identity.TerminalIdentity>().Serial}\"}}";

        foreach (var bad in new[]
        {
            """{"cmdtype":"getSerialnu\ud800m"}""",
            """{"cmdtype":"getSerialnum","message":{"u\udfffrl":"x"}}""",
            """{"cmdtype":"getSerialnum","message":{"url":"a\u0000"}}""",
            "{\"cmdtype\":\"getSerialnum\",\"message\":" + new string('[', 100) + new string(']', 100) + "}",
            """{"cmdtype":"getsign","message":{"penwidth":1e400}}""",
            """{"cmdtype":"getsign","message":{"penwidth":1234567890123456789012345678901234567890}}""",
            """{"cmdtype":"getsign","message":{"penwidth":{"a":1}}}""",
            """{"cmdtype":7}""",
        })
        {
            var answer = await pc.ReceiveAfterAsync(bad);
            Assert.StartsWith("{\"response\":\"1\",\"message\":", answer, StringComparison.Ordinal);
            Assert.Equal(serial, await pc.ReceiveAfterAsync("""{"cmdtype":"getSerialnum"}"""));
        }
        Assert.Equal(WebSocketState.Open, pc.State);
    }

    [Fact]
    public async Task CameraService_websocket_lone_surrogate_is_code_1_and_the_socket_still_answers()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var socket = await UosClient.ConnectAsync(new Uri($"ws://127.0.0.1:{terminal.CameraPort}/"));

        var inParams = JsonDocument.Parse((await socket.ReceiveAfterAsync("""{"function":"grab_image","params":{"camidx":"0\ud800"}}"""))!).RootElement;
        Assert.Equal(("grab_image", "1"), (inParams.GetProperty("function").GetString(), inParams.GetProperty("code").GetString()));
        var inName = JsonDocument.Parse((await socket.ReceiveAfterAsync("""{"function":"grab_\ud800image"}"""))!).RootElement;
        Assert.Equal(("error", "1"), (inName.GetProperty("function").GetString(), inName.GetProperty("code").GetString()));
        var huge = JsonDocument.Parse((await socket.ReceiveAfterAsync("""{"function":"grab_image","params":{"camidx":1e400}}"""))!).RootElement;
        Assert.Equal("1", huge.GetProperty("code").GetString());

        var grabbed = JsonDocument.Parse((await socket.ReceiveAfterAsync("""{"function":"grab_image","params":{"camidx":"1","image_process_info":{}}}"""))!).RootElement;
        Assert.Equal(("grab_image", "0"), (grabbed.GetProperty("function").GetString(), grabbed.GetProperty("code").GetString()));
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_text_frame_that_is_not_utf8_is_closed_with_1007(bool uos)
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var socket = await UosClient.ConnectAsync(uos ? terminal.UosUri("1") : new Uri($"ws://127.0.0.1:{terminal.CameraPort}/"));

        await socket.SendBytesAsync([.. "{\"cmdtype\":\"getSerial"u8, 0xFF, 0xFE, .. "num\"}"u8], WebSocketMessageType.Text);

        Assert.Null(await socket.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, socket.CloseStatus);
    }

    [Fact]
    public async Task A_body_over_its_routes_limit_is_code_8_nothing_is_stored_and_the_connection_goes_on()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = await RawHttp.ConnectAsync(terminal.CameraPort);

        // param=set reads at most 1 MiB: a 2 MB cache value is refused whole.
        var big = Encoding.UTF8.GetBytes("{\"type\":\"set_cache_data\",\"key\":\"big\",\"value\":\"" + new string('A', 2_000_000) + "\"}");
        var answer = await http.PostAsync("/param=set", big);
        Assert.Equal(200, answer.Status);
        Assert.Equal("8", Code(answer.Body));
        Assert.Contains($"body larger than {BodyLimits.Cache} bytes", Message(answer.Body), StringComparison.Ordinal);
        Assert.Equal("1", Code((await http.PostAsync("/param=get", """{"type":"get_cache_data","key":"big"}"""u8.ToArray())).Body));

        // A control call reads at most 64 KiB; the same size on param=set is fine.
        var control = Encoding.UTF8.GetBytes("{\"type\":\"screen_pos\",\"pad\":\"" + new string('a', 100 * 1024) + "\"}");
        Assert.Equal("8", Code((await http.PostAsync("/param=get", control)).Body));
        // (A cache value is capped at 64 KiB by the store itself, so the 100 KiB rides along as an unknown member.)
        var setting = Encoding.UTF8.GetBytes("{\"camidx\":\"0\",\"framerate\":\"15\",\"pad\":\"" + new string('b', 100 * 1024) + "\"}");
        var set = await http.PostAsync("/param=set", setting);
        Assert.True(Code(set.Body) == "0", set.Body);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_code_8_too()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = await RawHttp.ConnectAsync(terminal.CameraPort);

        var answer = await http.PostChunkedAsync("/sign=status", Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('a', 200 * 1024) + "\"}"));
        Assert.Equal(200, answer.Status);
        Assert.Equal("8", Code(answer.Body));
        Assert.Equal("0", Code((await http.PostAsync("/param=get", """{"type":"screen_pos"}"""u8.ToArray())).Body));
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x6E, 0x61, 0x6D, 0x65, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D })] // {"name":"\xC3("}
    [InlineData(new byte[] { 0x7B, 0x22, 0x6E, 0x61, 0x6D, 0x65, 0x22, 0x3A, 0x22, 0x5C, 0x75, 0x64, 0x38, 0x30, 0x30, 0x22, 0x7D })] // {"name":"\ud800"}
    public async Task Management_body_no_handler_can_read_is_a_bad_parameter(byte[] body)
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = new HttpClient();

        using var response = await http.PostAsync($"http://127.0.0.1:{terminal.AdminPort}/pair/request", new ByteArrayContent(body), Ct);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("89000001", JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("status").GetString());
    }

    private static string Code(string body) => JsonDocument.Parse(body).RootElement.GetProperty("code").GetString()!;
    private static string Message(string body) => JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!;

    /// <summary>HTTP/1.1 on one raw keep-alive connection: exactly the bytes given go out.</summary>
    private sealed class RawHttp(TcpClient client, int port) : IDisposable
    {
        private readonly Stream _stream = client.GetStream();

        public static async Task<RawHttp> ConnectAsync(int port)
        {
            var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, Ct);
            return new RawHttp(client, port);
        }

        public async Task<(int Status, string Body)> PostAsync(string path, byte[] body)
        {
            var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n\r\n";
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
            await _stream.WriteAsync(body, Ct);
            return await ReadResponseAsync();
        }

        public async Task<(int Status, string Body)> PostChunkedAsync(string path, byte[] body)
        {
            var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n";
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
            for (var i = 0; i < body.Length; i += 16 * 1024)
            {
                var n = Math.Min(16 * 1024, body.Length - i);
                await _stream.WriteAsync(Encoding.ASCII.GetBytes($"{n:x}\r\n"), Ct);
                await _stream.WriteAsync(body.AsMemory(i, n), Ct);
                await _stream.WriteAsync("\r\n"u8.ToArray(), Ct);
            }
            await _stream.WriteAsync("0\r\n\r\n"u8.ToArray(), Ct);
            return await ReadResponseAsync();
        }

        private async Task<(int Status, string Body)> ReadResponseAsync()
        {
            var head = new List<byte>();
            var one = new byte[1];
            while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
            {
                if (await _stream.ReadAsync(one, Ct) == 0) throw new IOException("connection closed before the answer: " + Encoding.ASCII.GetString([.. head]));
                head.Add(one[0]);
            }
            var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            var length = lines.Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                .Select(l => int.Parse(l["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).Single();
            var body = new byte[length];
            await _stream.ReadExactlyAsync(body, Ct);
            return (status, Encoding.UTF8.GetString(body));
        }

        public void Dispose() => client.Dispose();
    }
}

internal static class SocketSteps
{
    /// <summary>Sends one text message and reads the next answer.</summary>
    public static async Task<string?> ReceiveAfterAsync(this UosClient socket, string message)
    {
        await socket.SendAsync(message);
        return await socket.ReceiveAsync();
    }
}
