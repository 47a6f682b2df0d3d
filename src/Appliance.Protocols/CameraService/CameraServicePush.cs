using Appliance.Protocols.Shell;

namespace Appliance.Protocols.CameraService;

/// <summary>
/// The WebSocket connection a call came over, for messages the terminal sends later on its own (seed 003 §9.6
/// <c>sign_pdf_info</c>). Null over HTTP.
/// </summary>
public sealed class CameraServicePush
{
    private readonly MessageSocket _socket;

    internal CameraServicePush(MessageSocket socket) => _socket = socket;

    /// <summary>Fires when the connection closes: nothing sent afterwards reaches the page.</summary>
    public CancellationToken Closing => _socket.Closing;

    /// <summary>
    /// Queues one message; <paramref name="sent"/> is told true once it went out, false if the connection ended first.
    /// False when the queue is full or the connection is closing.
    /// </summary>
    public bool TrySend(ReadOnlyMemory<byte> utf8, Action<bool>? sent = null) => _socket.TrySend(new OutgoingMessage(utf8, sent));
}
