using System.Text;
using System.Text.Json;
using Appliance.Core.Capture;
using Appliance.Protocols.Shell;
using Appliance.Protocols.Tests.Uos;
using Appliance.Protocols.Wire;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Protocols.Tests.Shell;

/// <summary>The shared message loop with a protocol of the tests' own: handlers' answers, their failures, and acknowledgements.</summary>
public sealed class JsonMessageLoopTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public delegate ValueTask<OutgoingMessage?> Handler(JsonElement parameters);

    /// <summary>Framed as <c>{"op": NAME, "args": {...}}</c>; errors as <c>{"op": NAME, "code": CODE, "message": TEXT}</c>.</summary>
    private sealed class ProbeProtocol : IJsonMessageProtocol<Handler>
    {
        public MessageEnvelope Envelope { get; } = new("op", "args", "操作", "JSON 错误", "太大", 1024, TextOnly: true);

        public CommandTable<Handler> Commands { get; } = new("probe op");

        public OutgoingMessage Error(ErrorCode code, string message, string? command)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteString("op", command ?? "");
                writer.WriteString("code", code.Wire());
                writer.WriteString("message", message);
                writer.WriteEndObject();
            }
            return new OutgoingMessage(buffer.ToArray());
        }

        public ValueTask<OutgoingMessage?> RunAsync(Handler handler, string command, JsonElement parameters, CancellationToken cancel) => handler(parameters);
    }

    private static async Task<string> NextSentAsync(ScriptedWebSocket socket, int count)
    {
        socket.ReleaseSends(1);
        using var deadline = new CancellationTokenSource(Wait);
        while (socket.Sent.Count < count) await Task.Delay(10, deadline.Token);
        return socket.Sent[count - 1];
    }

    [Theory]
    [InlineData(CaptureFailure.Busy, "9")]
    [InlineData(CaptureFailure.DeviceAbsent, "2")]
    [InlineData(CaptureFailure.TimedOut, "4")]
    [InlineData(CaptureFailure.Cancelled, "5")]
    public async Task A_handlers_failure_is_answered_with_the_one_code_for_it_and_the_connection_goes_on(CaptureFailure failure, string code)
    {
        var protocol = new ProbeProtocol();
        protocol.Commands
            .Map("fail", _ => throw new CaptureException(failure, "无法 / cannot"))
            .Map("crash", _ => throw new InvalidOperationException("bug"))
            .Map("echo", p => ValueTask.FromResult<OutgoingMessage?>(new OutgoingMessage(Encoding.UTF8.GetBytes(p.GetRawText()))));
        using var socket = new ScriptedWebSocket();
        using var hangUp = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var connection = new MessageSocket(socket, protocol.Envelope.MaxMessageBytes);
        var running = new JsonMessageLoop<Handler>(protocol, connection, NullLogger.Instance).RunAsync(hangUp.Token);

        socket.Receive("""{"OP": " Fail "}""");
        Assert.Equal($$"""{"op":" Fail ","code":"{{code}}","message":"无法 / cannot"}""", await NextSentAsync(socket, 1));
        socket.Receive("""{"op": "crash"}""");
        // A bug's own text ("bug") is for the log, never for the PC.
        Assert.Equal("""{"op":"crash","code":"3","message":"内部错误，详见终端日志 / internal error; the terminal's log has the details"}""", await NextSentAsync(socket, 2));
        socket.Receive("""{"op": "echo", "args": {"n": 1}}""");
        Assert.Equal("""{"n": 1}""", await NextSentAsync(socket, 3));

        await hangUp.CancelAsync();
        await running.WaitAsync(Wait, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task An_answer_queued_with_an_acknowledgement_hears_that_it_went_out()
    {
        var heard = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var protocol = new ProbeProtocol();
        protocol.Commands.Map("result", _ => ValueTask.FromResult<OutgoingMessage?>(new OutgoingMessage("{}"u8.ToArray(), heard.SetResult)));
        using var socket = new ScriptedWebSocket();
        var connection = new MessageSocket(socket, protocol.Envelope.MaxMessageBytes);
        _ = new JsonMessageLoop<Handler>(protocol, connection, NullLogger.Instance).RunAsync(TestContext.Current.CancellationToken);

        socket.Receive("""{"op": "result"}""");
        Assert.Equal("{}", await NextSentAsync(socket, 1));
        Assert.True(await heard.Task.WaitAsync(Wait, TestContext.Current.CancellationToken));
    }
}
