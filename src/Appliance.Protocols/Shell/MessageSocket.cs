using System.Buffers;
using System.Net.WebSockets;
using System.Text.Unicode;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Shell;

/// <summary>One message for the send queue, and who wants to hear whether it went out (null: nobody).</summary>
/// <param name="Sent">Hears true once the message was handed to the socket, false if it never was.</param>
public readonly record struct OutgoingMessage(ReadOnlyMemory<byte> Utf8, Action<bool>? Sent = null);

/// <summary>
/// One whole message from the client. <see cref="TooLarge"/>: it passed the size limit; <see cref="Utf8"/> then holds
/// only its first bytes (the rest is read and dropped after it is answered). <see cref="Utf8"/> stays valid until
/// the receiver's task completes.
/// </summary>
public readonly record struct ReceivedMessage(ReadOnlyMemory<byte> Utf8, bool IsText, bool TooLarge);

/// <summary>
/// The WebSocket transport both ports share: reads whole messages up to a size limit (a larger one is reported, the
/// rest drained, the connection kept), and sends through a bounded queue so a slow client only ever slows itself —
/// a client <see cref="SendQueueLength"/> messages behind is closed as too slow. A message queued with an
/// acknowledgement hears whether it actually went out (UOS result delivery marks the journal on it).
/// </summary>
public sealed class MessageSocket
{
    public const int SendQueueLength = 256;
    private const int ReceiveChunkBytes = 64 * 1024;

    /// <summary>A receive buffer grown past this for one large message is let go afterwards, not kept for the connection's life.</summary>
    private const int RetainedBufferBytes = 2 * ReceiveChunkBytes;

    private readonly WebSocket _socket;
    private readonly int _maxMessageBytes;
    private readonly Channel<OutgoingMessage> _outbox =
        Channel.CreateBounded<OutgoingMessage>(new BoundedChannelOptions(SendQueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _closing = new();
    private int _queued;
    private Task _sender = Task.CompletedTask;

    private readonly ILogger? _wire;

    /// <param name="wire">Where every sent message is traced (<see cref="WireLog"/>); null for none.</param>
    public MessageSocket(WebSocket socket, int maxMessageBytes, ILogger? wire = null)
    {
        _socket = socket;
        _maxMessageBytes = maxMessageBytes;
        _wire = wire;
    }

    /// <summary>Cancelled when the connection ends; per-connection work (a preview stream) stops with it.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>Messages waiting to go out.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Queues one message; false when the client has fallen <see cref="SendQueueLength"/> behind (it is then closed).</summary>
    public bool TrySend(OutgoingMessage message)
    {
        if (_outbox.Writer.TryWrite(message))
        {
            Interlocked.Increment(ref _queued);
            return true;
        }
        _closing.Cancel();
        return false;
    }

    /// <summary>Queues a message only while fewer than <paramref name="maxQueued"/> wait (a preview frame may be skipped, an answer may not).</summary>
    public bool TrySendDroppable(ReadOnlyMemory<byte> utf8, int maxQueued) => Queued < maxQueued && TrySend(new OutgoingMessage(utf8));

    /// <summary>Reads messages and hands each to <paramref name="receive"/> (one at a time, in order) until the connection ends.</summary>
    /// <param name="ending">Called first when the connection ends, before unsent messages are reported as not sent.</param>
    public async Task RunAsync(Func<ReceivedMessage, CancellationToken, ValueTask> receive, CancellationToken aborted, Action? ending = null)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _closing.Token);
        var sender = _sender = SendLoopAsync(linked.Token);
        try
        {
            await ReceiveLoopAsync(receive, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
        finally
        {
            ending?.Invoke();
            var tooSlow = _closing.IsCancellationRequested;
            await _closing.CancelAsync().ConfigureAwait(false);
            _outbox.Writer.TryComplete();
            await sender.ConfigureAwait(false);
            // Whatever never went out is reported as not sent (a UOS result then stays pending for the next connection).
            while (_outbox.Reader.TryRead(out var left)) left.Sent?.Invoke(false);
            if (tooSlow && _socket.State == WebSocketState.Open)
                await CloseQuietly(WebSocketCloseStatus.PolicyViolation, "client too slow: send queue full").ConfigureAwait(false);
            // Our close frame went out (1007, too slow): wait briefly for the client's, as RFC 6455 §7.1.1 asks, so the
            // connection ends with the handshake and not with a reset that could overtake our close frame.
            if (_socket.State is WebSocketState.CloseSent or WebSocketState.Aborted) await AwaitPeerCloseAsync().ConfigureAwait(false);
        }
    }

    private async Task AwaitPeerCloseAsync()
    {
        var sink = new byte[1024];
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            while ((await _socket.ReceiveAsync(sink.AsMemory(), timeout.Token).ConfigureAwait(false)).MessageType != WebSocketMessageType.Close) { }
        }
        catch (Exception e) when (e is WebSocketException or InvalidOperationException or ObjectDisposedException or IOException)
        {
            // The socket failed the connection itself (1007 for a text frame that is not UTF-8: the framing layer checks
            // it as it reads) and cannot read on: give its close frame a moment to reach the client before the
            // connection is torn down, so it is not overtaken by a reset.
            await Task.Delay(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>
    /// Graceful end for a terminal shutdown: no new messages, what is queued goes out (up to <paramref name="flush"/>),
    /// then a close frame "going away"; the receive loop ends when the client answers it.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan flush)
    {
        _outbox.Writer.TryComplete();
        try
        {
            await _sender.WaitAsync(flush).ConfigureAwait(false);
        }
        catch (TimeoutException) { }
        await CloseQuietly(WebSocketCloseStatus.EndpointUnavailable, "terminal shutting down").ConfigureAwait(false);
    }

    /// <summary>No more messages are queued. <see cref="Closing"/> is left alone: a late sender may still cancel it.</summary>
    public void Complete() => _outbox.Writer.TryComplete();

    private async Task ReceiveLoopAsync(Func<ReceivedMessage, CancellationToken, ValueTask> receive, CancellationToken cancel)
    {
        var message = new ArrayBufferWriter<byte>(ReceiveChunkBytes);
        // A message buffered past BodyLimits.Control holds one of the process's turns for large bodies until it is answered.
        var holdsTurn = false;
        void ReleaseTurn()
        {
            if (holdsTurn) BodyLimits.LargeBodies.Release();
            holdsTurn = false;
        }
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var chunk = message.GetMemory(ReceiveChunkBytes);
                var result = await _socket.ReceiveAsync(chunk, cancel).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await CloseQuietly(WebSocketCloseStatus.NormalClosure, "").ConfigureAwait(false);
                    return;
                }
                var isText = result.MessageType == WebSocketMessageType.Text;
                if (message.WrittenCount + result.Count > _maxMessageBytes)
                {
                    // docs/PROTOCOLS.md: an oversized payload is an answer (8), not a dropped connection.
                    var head = message.WrittenCount > 0 ? message.WrittenMemory : chunk[..result.Count];
                    await receive(new ReceivedMessage(head, isText, TooLarge: true), cancel).ConfigureAwait(false);
                    while (!result.EndOfMessage)
                        result = await _socket.ReceiveAsync(chunk, cancel).ConfigureAwait(false);
                    message = Emptied(message);
                    ReleaseTurn();
                    continue;
                }
                if (!holdsTurn && message.WrittenCount + result.Count > BodyLimits.Control)
                {
                    await BodyLimits.LargeBodies.WaitAsync(cancel).ConfigureAwait(false);
                    holdsTurn = true;
                }
                message.Advance(result.Count);
                if (!result.EndOfMessage) continue;
                if (isText && !Utf8.IsValid(message.WrittenSpan))
                {
                    // RFC 6455 §8.1: a text message that is not UTF-8 fails the connection with 1007. (JSON that is UTF-8 but
                    // escapes a lone surrogate is the protocol's business: answered 1, the connection stays.)
                    await CloseQuietly(WebSocketCloseStatus.InvalidPayloadData, "text message is not valid UTF-8").ConfigureAwait(false);
                    return;
                }
                await receive(new ReceivedMessage(message.WrittenMemory, isText, TooLarge: false), cancel).ConfigureAwait(false);
                message = Emptied(message);
                ReleaseTurn();
            }
        }
        finally
        {
            ReleaseTurn();
        }
    }

    private static ArrayBufferWriter<byte> Emptied(ArrayBufferWriter<byte> message)
    {
        if (message.Capacity > RetainedBufferBytes) return new ArrayBufferWriter<byte>(ReceiveChunkBytes);
        message.ResetWrittenCount();
        return message;
    }

    private async Task SendLoopAsync(CancellationToken cancel)
    {
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(cancel).ConfigureAwait(false))
            {
                while (_outbox.Reader.TryRead(out var message))
                {
                    Interlocked.Decrement(ref _queued);
                    try
                    {
                        await _socket.SendAsync(message.Utf8, WebSocketMessageType.Text, endOfMessage: true, cancel).ConfigureAwait(false);
                        if (_wire is not null) WireLog.Answer(_wire, message.Utf8.Span);
                    }
                    catch
                    {
                        message.Sent?.Invoke(false);
                        throw;
                    }
                    message.Sent?.Invoke(true);
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
        catch (IOException) { }
    }

    private async Task CloseQuietly(WebSocketCloseStatus status, string reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException or ObjectDisposedException) { }
    }
}
