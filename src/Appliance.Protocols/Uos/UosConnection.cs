using System.Net.WebSockets;
using System.Text.Json;
using Appliance.Protocols.Shell;
using Appliance.Protocols.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Protocols.Uos;

/// <summary>
/// One WebSocket client of the UOS port, served by the shared shell (<see cref="MessageSocket"/>,
/// <see cref="JsonMessageLoop{THandler}"/>): this class supplies the UOS framing (<c>{"cmdtype", "message"}</c>, text
/// only, at most <see cref="MaxMessageBytes"/>), the error shape <c>{"response": CODE, "message": TEXT}</c>, and the
/// command table. Results that arrive later (a signature finished, preview frames) are queued with
/// <see cref="TrySend"/>; one queued with an acknowledgement hears whether it went out (the journal marks delivery on it).
/// </summary>
public sealed class UosConnection : IJsonMessageProtocol<UosCommand>, IAsyncDisposable
{
    public const int MaxMessageBytes = BodyLimits.UosMessage;

    private static readonly MessageEnvelope UosEnvelope = new(
        CommandMember: "cmdtype", ParametersMember: "message", CommandNoun: "命令", MalformedJson: "JSON 格式错误",
        TooLargeWording: $"消息超过 {MaxMessageBytes} 字节", MaxMessageBytes, TextOnly: true);

    private static long s_nextId;
    private readonly MessageSocket _socket;
    private readonly UosCommands _commands;
    private readonly JsonMessageLoop<UosCommand> _loop;

    public UosConnection(WebSocket socket, UosClientKind kind, string peer, UosCommands commands, ILogger? log = null)
    {
        _socket = new MessageSocket(socket, MaxMessageBytes, log);
        _commands = commands;
        _loop = new JsonMessageLoop<UosCommand>(this, _socket, log ?? NullLogger.Instance, peer);
        Kind = kind;
        Peer = peer;
        Id = $"uos-{Interlocked.Increment(ref s_nextId)}";
    }

    /// <summary>Unique for the life of the process; results name the connection that asked by it.</summary>
    public string Id { get; }

    public UosClientKind Kind { get; }

    /// <summary>The PC this connection comes from (its IP address until pairing lands).</summary>
    public string Peer { get; }

    /// <summary>Cancelled when the connection ends; per-connection work (camera preview) stops with it.</summary>
    public CancellationToken Closing => _socket.Closing;

    /// <summary>Messages waiting to go out.</summary>
    public int Queued => _socket.Queued;

    /// <summary>
    /// Queues one message; false when the client has fallen <see cref="MessageSocket.SendQueueLength"/> messages behind
    /// (it is then closed). <paramref name="sent"/> hears true once the message was handed to the socket, false if it never was.
    /// </summary>
    public bool TrySend(ReadOnlyMemory<byte> utf8Json, Action<bool>? sent = null) => _socket.TrySend(new OutgoingMessage(utf8Json, sent));

    /// <inheritdoc cref="MessageSocket.TrySendDroppable"/>
    public bool TrySendDroppable(ReadOnlyMemory<byte> utf8Json, int maxQueued) => _socket.TrySendDroppable(utf8Json, maxQueued);

    /// <inheritdoc cref="MessageSocket.RunAsync"/>
    public Task RunAsync(CancellationToken aborted, Action? ending = null) => _loop.RunAsync(aborted, ending);

    /// <inheritdoc cref="MessageSocket.ShutdownAsync"/>
    public Task ShutdownAsync(TimeSpan flush) => _socket.ShutdownAsync(flush);

    MessageEnvelope IJsonMessageProtocol<UosCommand>.Envelope => UosEnvelope;

    CommandTable<UosCommand> IJsonMessageProtocol<UosCommand>.Commands => _commands.Table;

    OutgoingMessage IJsonMessageProtocol<UosCommand>.Error(ErrorCode code, string message, string? command) => new(UosMessages.Error(code, message));

    async ValueTask<OutgoingMessage?> IJsonMessageProtocol<UosCommand>.RunAsync(UosCommand handler, string command, JsonElement parameters, CancellationToken cancel) =>
        await handler(this, UosCommands.ReadMessage(parameters), cancel).ConfigureAwait(false) is { } answer ? new OutgoingMessage(answer) : null;

    public ValueTask DisposeAsync()
    {
        _socket.Complete();
        return ValueTask.CompletedTask;
    }
}
