using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using Appliance.Protocols.Tests.CameraService;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests;

/// <summary>
/// Issue 26 "errors in words": no answer a PC gets carries a runtime resource key (the AOT build, and these tests, run
/// with <c>UseSystemResourceKeys</c>, so an exception's text that reached the wire would read <c>Arg_ParamName_Name</c>).
/// It reads every answer the terminals of this run sent: those recorded by the whole suite (tools/run-tests.sh runs
/// this class after the others, with <c>APPLIANCE_WIRE_LOG</c> set) and those of the hostile requests sent here.
/// </summary>
[Trait("Category", "AfterSuite")]
public sealed partial class AnswersInOurWordsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_answer_of_the_suite_or_of_hostile_requests_carries_a_runtime_resource_key()
    {
        using var own = new TempDir("appliance-wire-");
        await using (var terminal = await RunningTerminal.StartAsync(null, s => WireRecorder.AddTo(s, own.Path)))
            await SendHostileRequestsAsync(terminal);

        var folders = new[] { own.Path, WireRecorder.SuiteFolder }.OfType<string>().Where(Directory.Exists);
        var answers = folders.SelectMany(f => Directory.EnumerateFiles(f, "wire-*.log")).SelectMany(File.ReadLines).ToList();
        var texts = answers.SelectMany(a => MessageMember().Matches(a).Select(m => Regex.Unescape(m.Groups[2].Value))).ToList();
        var offenders = texts.Where(t => ResourceKeyShape().IsMatch(t)).Distinct().ToList();
        Assert.True(offenders.Count == 0, $"{offenders.Count} answers carry runtime texts:\n" + string.Join("\n", offenders.Take(20)));
        // The hostile requests alone give dozens of error texts; with the suite's recording, thousands.
        Assert.True(texts.Count >= 20, $"only {texts.Count} answer texts were read from {answers.Count} answers");
        TestContext.Current.SendDiagnosticMessage($"read {texts.Count} answer texts in {answers.Count} answers");
    }

    /// <summary>Requests that once answered in the runtime's words: bad JSON and bytes, broken framing, bad pictures.</summary>
    private static async Task SendHostileRequestsAsync(RunningTerminal terminal)
    {
        string[] bodies =
        [
            """{"piclist":["/etc/passwd"]}""", """{"piclist":["/nonexistent.jpg"]}""", """{"piclist":["AAAA"]}""",
            $$"""{"piclist":["http://127.0.0.1:{{terminal.AdminPort}}/health"]}""", """{"piclist":["http://[::1"]}""",
            """{"a":""", """{"a":"\ud800"}""", "[1,2", "{\"a\":1}}", new string('[', 100) + new string(']', 100), "{'a':1}",
            """{"piclist":[{"x":1}]}""", """{"time":"x","piclist":["iVBORw0KGgo="]}""",
        ];
        foreach (var body in bodies)
        {
            await terminal.CallAsync("/sign=showadvertisingplayer", body);
            await terminal.CallAsync("/sign=start", body.Replace("piclist", "background_image", StringComparison.Ordinal));
        }
        await terminal.CallAsync("/sign=start", """{"pos":{"left":"5000","top":"5000","width":"10","height":"10"}}""");
        await terminal.CallAsync("/sign=stop");
        await terminal.CallAsync("/video=grabimage", """{"camidx":"0","filepath":"/tmp/.."}""");
        await terminal.CallAsync("/video=grabimage", """{"camidx":"99"}""");
        await terminal.CallAsync("/param=set", """{"resolution":{"width":"x"}}""");

        // Not UTF-8, and a broken chunked body (Kestrel's own exception).
        using (var http = new HttpClient())
            await http.PostAsync(terminal.CameraUri("/sign=start"), new ByteArrayContent([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]), Ct);
        using (var raw = new TcpClient())
        {
            await raw.ConnectAsync("127.0.0.1", terminal.CameraPort, Ct);
            var stream = raw.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /sign=start HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"), Ct);
            var buffer = new byte[4096];
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            wait.CancelAfter(TimeSpan.FromSeconds(10));
            try { while (await stream.ReadAsync(buffer, wait.Token) > 0) { } } catch (Exception e) when (e is IOException or OperationCanceledException) { }
        }

        // Both WebSocket ports: malformed JSON, a lone surrogate, an unknown command, a binary frame.
        await using var uos = await UosClient.ConnectAsync(terminal.UosUri());
        foreach (var message in new[] { "{\"cmdtype\":", "{\"cmdtype\":\"getsign\",\"message\":\"\\ud800\"}", "{\"cmdtype\":\"nosuch\"}", "[]" })
        {
            await uos.SendAsync(message);
            await uos.ReceiveAsync(TimeSpan.FromSeconds(30));
        }
        await uos.SendBytesAsync([0xFF, 0xFE], WebSocketMessageType.Binary);
        await uos.ReceiveAsync(TimeSpan.FromSeconds(30));
        using var camera = new ClientWebSocket();
        await camera.ConnectAsync(new Uri($"ws://127.0.0.1:{terminal.CameraPort}/"), Ct);
        foreach (var message in new[] { "{\"function\":", "{\"function\":\"nosuch\"}", "{\"function\":\"grab_image\",\"params\":{\"camidx\":\"x\"}}" })
        {
            await camera.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, Ct);
            var buffer = new byte[64 * 1024];
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            wait.CancelAfter(TimeSpan.FromSeconds(30));
            WebSocketReceiveResult result;
            do result = await camera.ReceiveAsync(buffer, wait.Token); while (!result.EndOfMessage);
        }
        // Recorded as the send completes: give the last answers' trace a moment to be written.
        await Task.Delay(200, Ct);
    }

    /// <summary>The human-readable members of an answer (CameraService <c>message</c>, UOS <c>message</c>, management <c>message</c>).</summary>
    [GeneratedRegex("\"(message|msg|error|detail|reason)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex MessageMember();

    /// <summary>
    /// What a resource key looks like: <c>Arg_ParamName_Name</c>, <c>IO_FileNotFound</c>, <c>CannotTranscodeInvalidUtf8</c>,
    /// <c>ExpectedStartOfPropertyOrValueNotFound</c> (four or more capitalised words run together).
    /// </summary>
    [GeneratedRegex(@"[A-Z][a-z]+_[A-Z]|Arg_|CannotTranscode|\b(?:[A-Z][a-z]+){4,}\b")]
    private static partial Regex ResourceKeyShape();
}
