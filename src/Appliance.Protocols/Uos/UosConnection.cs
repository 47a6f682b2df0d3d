using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace Appliance.Protocols.Uos;

/// <summary>
/// One WebSocket client of the UOS port: reads text messages (at most <see cref="MaxMessageBytes"/>), hands each to
/// the command handler, and sends answers through a bounded queue so a slow client only ever slows itself. A message
/// queued with an acknowledgement callback hears whether it actually went out (the journal marks delivery on it).
/// </summary>
public sealed class UosConnection : IAsyncDisposable
{
    public const int MaxMessageBytes = 1 << 20;
    private const int SendQueueLength = 256;
    private static long s_nextId;

    private readonly WebSocket _socket;
    private readonly UosCommandHandler _handler;
    private readonly Channel<Outgoing> _outbox =
        Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(SendQueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _closing = new();
    private int _queued;
    private Task _sender = Task.CompletedTask;

    public UosConnection(WebSocket socket, UosClientKind kind, string peer, UosCommandHandler handler)
    {
        _socket = socket;
        Kind = kind;
        Peer = peer;
        _handler = handler;
        Id = $"uos-{Interlocked.Increment(ref s_nextId)}";
    }

    /// <summary>Unique for the life of the process; results name the connection that asked by it.</summary>
    public string Id { get; }
    public UosClientKind Kind { get; }

    /// <summary>The PC this connection comes from (its IP address until pairing lands).</summary>
    public string Peer { get; }

    /// <summary>Cancelled when the connection ends; per-connection work (camera preview) stops with it.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>Messages waiting to go out.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>
    /// Queues one message; false when the client has fallen <see cref="SendQueueLength"/> messages behind (it is then
    /// closed). <paramref name="sent"/> hears true once the message was handed to the socket, false if it never was.
    /// </summary>
    public bool TrySend(ReadOnlyMemory<byte> utf8Json, Action<bool>? sent = null)
    {
        if (_outbox.Writer.TryWrite(new Outgoing(utf8Json, sent)))
        {
            Interlocked.Increment(ref _queued);
            return true;
        }
        _closing.Cancel();
        return false;
    }

    /// <summary>Queues a message only while fewer than <paramref name="maxQueued"/> wait (a preview frame may be skipped, an answer may not).</summary>
    public bool TrySendDroppable(ReadOnlyMemory<byte> utf8Json, int maxQueued) => Queued < maxQueued && TrySend(utf8Json);

    /// <param name="ending">Called first when the connection ends, before unsent messages are reported as not sent.</param>
    public async Task RunAsync(CancellationToken aborted, Action? ending = null)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _closing.Token);
        var sender = _sender = SendLoopAsync(linked.Token);
        try
        {
            await ReceiveLoopAsync(linked.Token).ConfigureAwait(false);
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
            // Whatever never went out is reported as not sent, so its result stays pending for the next connection.
            while (_outbox.Reader.TryRead(out var left)) left.Sent?.Invoke(false);
            if (tooSlow && _socket.State == WebSocketState.Open)
                await CloseQuietly(WebSocketCloseStatus.PolicyViolation, "client too slow: send queue full").ConfigureAwait(false);
        }
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

    private async Task ReceiveLoopAsync(CancellationToken cancel)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var message = new ArrayBufferWriter<byte>();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), cancel).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await CloseQuietly(WebSocketCloseStatus.NormalClosure, "").ConfigureAwait(false);
                    return;
                }
                if (message.WrittenCount + result.Count > MaxMessageBytes)
                {
                    // Drain the rest of the oversized message, answer, keep the connection.
                    while (!result.EndOfMessage)
                        result = await _socket.ReceiveAsync(buffer.AsMemory(), cancel).ConfigureAwait(false);
                    message.Clear();
                    TrySend(UosMessages.Error(Wire.ErrorCode.TooLarge, $"消息超过 {MaxMessageBytes} 字节 / message larger than {MaxMessageBytes} bytes"));
                    continue;
                }
                message.Write(buffer.AsSpan(0, result.Count));
                if (!result.EndOfMessage) continue;
                var request = message.WrittenMemory.ToArray();
                message.Clear();
                if (result.MessageType != WebSocketMessageType.Text)
                {
                    TrySend(UosMessages.Error(Wire.ErrorCode.BadRequest, "只接受文本 JSON 消息 / only text JSON messages are accepted"));
                    continue;
                }
                await _handler.HandleAsync(this, request, cancel).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
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
                        await _socket.SendAsync(message.Bytes, WebSocketMessageType.Text, endOfMessage: true, cancel).ConfigureAwait(false);
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

    public ValueTask DisposeAsync()
    {
        // _closing is not disposed: late senders (a result announced as the connection ends) may still cancel it.
        _outbox.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    private readonly record struct Outgoing(ReadOnlyMemory<byte> Bytes, Action<bool>? Sent);
}
