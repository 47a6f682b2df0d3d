using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace Appliance.Protocols.Uos;

/// <summary>
/// One WebSocket client of the UOS port: reads text messages (at most <see cref="MaxMessageBytes"/>),
/// hands each to the command handler, and sends answers through a bounded queue so a slow client
/// only ever slows itself.
/// </summary>
public sealed class UosConnection : IAsyncDisposable
{
    public const int MaxMessageBytes = 1 << 20;
    private const int SendQueueLength = 256;

    private readonly WebSocket _socket;
    private readonly UosCommandHandler _handler;
    private readonly Channel<ReadOnlyMemory<byte>> _outbox =
        Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(SendQueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _closing = new();

    public UosConnection(WebSocket socket, UosClientKind kind, UosCommandHandler handler)
    {
        _socket = socket;
        Kind = kind;
        _handler = handler;
    }

    public UosClientKind Kind { get; }

    /// <summary>Queues one message; false when the client has fallen <see cref="SendQueueLength"/> messages behind (it is then closed).</summary>
    public bool TrySend(ReadOnlyMemory<byte> utf8Json)
    {
        if (_outbox.Writer.TryWrite(utf8Json)) return true;
        _closing.Cancel();
        return false;
    }

    public async Task RunAsync(CancellationToken aborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _closing.Token);
        var sender = SendLoopAsync(linked.Token);
        try
        {
            await ReceiveLoopAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
        finally
        {
            _outbox.Writer.TryComplete();
            await sender.ConfigureAwait(false);
            if (_closing.IsCancellationRequested && _socket.State == WebSocketState.Open)
                await CloseQuietly(WebSocketCloseStatus.PolicyViolation, "client too slow: send queue full").ConfigureAwait(false);
        }
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
            await foreach (var message in _outbox.Reader.ReadAllAsync(cancel).ConfigureAwait(false))
                await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
    }

    private async Task CloseQuietly(WebSocketCloseStatus status, string reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
    }

    public ValueTask DisposeAsync()
    {
        _closing.Dispose();
        return ValueTask.CompletedTask;
    }
}
