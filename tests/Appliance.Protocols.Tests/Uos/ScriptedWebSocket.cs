using System.Net.WebSockets;
using System.Threading.Channels;

namespace Appliance.Protocols.Tests.Uos;

/// <summary>
/// A server-side WebSocket whose client the test plays: it hands the connection the messages the test writes, holds
/// every send until the test lets it through (a client that does not read), and records the close frame.
/// </summary>
internal sealed class ScriptedWebSocket : WebSocket
{
    private readonly Channel<byte[]> _incoming = Channel.CreateUnbounded<byte[]>();
    private readonly SemaphoreSlim _sendGate = new(0);
    private readonly List<string> _sent = [];
    private WebSocketState _state = WebSocketState.Open;

    /// <summary>Messages handed to the network, in order.</summary>
    public IReadOnlyList<string> Sent { get { lock (_sent) return [.. _sent]; } }

    public WebSocketCloseStatus? ClosedWith { get; private set; }
    public string? ClosedBecause { get; private set; }

    /// <summary>The client sends one text message.</summary>
    public void Receive(string text) => _incoming.Writer.TryWrite(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Lets <paramref name="count"/> sends through (the client reads that many).</summary>
    public void ReleaseSends(int count) => _sendGate.Release(count);

    public override WebSocketCloseStatus? CloseStatus => ClosedWith;
    public override string? CloseStatusDescription => ClosedBecause;
    public override WebSocketState State => _state;
    public override string? SubProtocol => null;

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var message = await _incoming.Reader.ReadAsync(cancellationToken);
        message.CopyTo(buffer.AsSpan());
        return new WebSocketReceiveResult(message.Length, WebSocketMessageType.Text, endOfMessage: true);
    }

    public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken);
        lock (_sent) _sent.Add(System.Text.Encoding.UTF8.GetString(buffer));
    }

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        ClosedWith = closeStatus;
        ClosedBecause = statusDescription;
        _state = WebSocketState.CloseSent;
        return Task.CompletedTask;
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Abort() => _state = WebSocketState.Aborted;

    public override void Dispose() => _sendGate.Dispose();
}
