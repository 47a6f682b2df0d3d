using System.Buffers.Binary;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace HostileLoad;

internal enum WsEndKind
{
    /// <summary>The terminal sent a close frame first.</summary>
    ServerClosed,

    /// <summary>The tool sent a close frame and the terminal answered with one.</summary>
    AnsweredToolClose,

    /// <summary>The connection ended with no close frame from the terminal (EOF or reset).</summary>
    Dropped,

    /// <summary>The tool sent a close frame; the terminal hung up without answering it.</summary>
    DroppedAfterToolClose,

    /// <summary>The tool's close frame was not answered in time; the tool hung up.</summary>
    CloseUnanswered,

    /// <summary>The tool hung up on purpose (no close handshake), or the client library failed on its own.</summary>
    Aborted,

    /// <summary>The upgrade was refused (an HTTP status instead of 101) or the connection could not be made.</summary>
    Refused,
}

internal sealed record WsEnd(WsEndKind Kind, int? Status, string Detail)
{
    /// <summary>How the end is counted in the report's "WebSocket end" section.</summary>
    public string Label => Kind switch
    {
        WsEndKind.ServerClosed => $"close {StatusText} sent by the terminal",
        WsEndKind.AnsweredToolClose => $"close {StatusText} answering the tool's close",
        WsEndKind.Dropped => $"{Tally.Dropped} ({Detail})",
        WsEndKind.DroppedAfterToolClose => $"{Tally.Dropped}, after the tool's close ({Detail})",
        WsEndKind.CloseUnanswered => "tool's close not answered in time (tool hung up)",
        WsEndKind.Aborted => $"tool hung up ({Detail})",
        _ => $"refused: {Detail}",
    };

    public bool IsDrop => Kind is WsEndKind.Dropped or WsEndKind.DroppedAfterToolClose;

    private string StatusText => Status is { } s ? $"{s}{StatusName(s)}" : "without status";

    private static string StatusName(int status) => status switch
    {
        1000 => " normal",
        1001 => " going away",
        1002 => " protocol error",
        1003 => " unsupported data",
        1007 => " invalid payload",
        1008 => " policy violation",
        1009 => " too big",
        1011 => " internal error",
        _ => "",
    };
}

/// <summary>Called for each whole message received: its first bytes (at most 64 KiB), its full length, text or binary.</summary>
internal delegate void WsMessageHandler(byte[] head, long length, bool text);

/// <summary>A WebSocket client connection, raw or <see cref="ClientWebSocket"/>: sends, and reports how it ended.</summary>
internal interface IWsConnection : IDisposable
{
    Task<WsEnd> Ended { get; }

    Task<bool> SendTextAsync(ReadOnlyMemory<byte> payload, CancellationToken cancel);

    /// <summary>Sends close 1000 and waits up to <paramref name="wait"/> for the terminal's close; hangs up after.</summary>
    Task<WsEnd> CloseAsync(TimeSpan wait);

    void Abort(string why);
}

/// <summary>WebSocket frames as a client writes them (masked unless told otherwise), for the raw writer.</summary>
internal static class Frames
{
    public const byte Fin = 0x80;
    public const byte Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA;

    /// <param name="first">FIN, RSV bits and opcode.</param>
    /// <param name="declaredLength">a length other than the payload's (a lie, for framing tests).</param>
    public static byte[] Build(byte first, ReadOnlySpan<byte> payload, bool mask = true, ulong? declaredLength = null)
    {
        var length = declaredLength ?? (ulong)payload.Length;
        var header = new List<byte> { first };
        var maskBit = mask ? (byte)0x80 : (byte)0;
        if (length < 126) header.Add((byte)(maskBit | (byte)length));
        else if (length <= ushort.MaxValue)
        {
            header.Add((byte)(maskBit | 126));
            header.Add((byte)(length >> 8));
            header.Add((byte)length);
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            for (var shift = 56; shift >= 0; shift -= 8) header.Add((byte)(length >> shift));
        }
        var key = new byte[4];
        if (mask)
        {
            RandomNumberGenerator.Fill(key);
            header.AddRange(key);
        }
        var frame = new byte[header.Count + payload.Length];
        header.CopyTo(frame);
        for (var i = 0; i < payload.Length; i++) frame[header.Count + i] = mask ? (byte)(payload[i] ^ key[i & 3]) : payload[i];
        return frame;
    }

    public static byte[] TextFrame(ReadOnlySpan<byte> payload) => Build(Fin | Text, payload);

    public static byte[] CloseFrame(int? status, ReadOnlySpan<byte> reason = default)
    {
        var payload = new byte[(status is null ? 0 : 2) + reason.Length];
        if (status is { } s) BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)s);
        reason.CopyTo(payload.AsSpan(status is null ? 0 : 2));
        return Build(Fin | Close, payload);
    }
}

/// <summary>
/// A WebSocket client over a plain socket: the upgrade by hand, then whatever frames it is given — invalid UTF-8 in a
/// text frame, bad opcodes, unmasked frames, lying lengths. Reads the terminal's frames and answers ping and close.
/// </summary>
internal sealed class RawWebSocket : IWsConnection
{
    private const int KeptBytes = 64 * 1024;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly TaskCompletionSource<WsEnd> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WsMessageHandler _onMessage;
    private volatile bool _toolClosed;

    private RawWebSocket(Socket socket, NetworkStream stream, WsMessageHandler onMessage)
    {
        (_socket, _stream, _onMessage) = (socket, stream, onMessage);
    }

    public Task<WsEnd> Ended => _end.Task;

    public long Pongs { get; private set; }

    public static async Task<(RawWebSocket? Socket, WsEnd? Refused)> ConnectAsync(Terminal terminal, int port, string path, WsMessageHandler onMessage, TimeSpan timeout, CancellationToken cancel)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        var socket = new Socket(terminal.Host.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(terminal.Endpoint(port), limit.Token).ConfigureAwait(false);
            var stream = new NetworkStream(socket, ownsSocket: false);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var request = $"GET {path} HTTP/1.1\r\nHost: {terminal.HostHeader(port)}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                          $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), limit.Token).ConfigureAwait(false);
            var head = new List<byte>();
            var one = new byte[1];
            // Byte by byte up to the blank line: whatever follows is already the terminal's first frame.
            while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
            {
                if (await stream.ReadAsync(one, limit.Token).ConfigureAwait(false) == 0 || head.Count > 16 * 1024)
                {
                    socket.Dispose();
                    return (null, new WsEnd(WsEndKind.Refused, null, "connection closed during the upgrade"));
                }
                head.Add(one[0]);
            }
            var statusLine = Encoding.Latin1.GetString([.. head]).Split("\r\n")[0];
            var parts = statusLine.Split(' ', 3);
            if (parts.Length < 2 || parts[1] != "101")
            {
                socket.Dispose();
                return (null, new WsEnd(WsEndKind.Refused, null, $"HTTP {(parts.Length > 1 ? parts[1] : statusLine)}"));
            }
            var ws = new RawWebSocket(socket, stream, onMessage);
            _ = Task.Run(ws.ReadLoopAsync, CancellationToken.None);
            return (ws, null);
        }
        catch (Exception e) when (e is IOException or SocketException || (e is OperationCanceledException && !cancel.IsCancellationRequested))
        {
            socket.Dispose();
            return (null, new WsEnd(WsEndKind.Refused, null, e is OperationCanceledException ? "upgrade timed out" : $"connect failed ({e.GetType().Name})"));
        }
    }

    /// <summary>Writes bytes as they are (one or more frames, or a part of one); false when the connection is gone.</summary>
    public async Task<bool> SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancel)
    {
        await _send.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, cancel).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException || (e is OperationCanceledException && !cancel.IsCancellationRequested))
        {
            return false;
        }
        finally
        {
            _send.Release();
        }
    }

    public Task<bool> SendTextAsync(ReadOnlyMemory<byte> payload, CancellationToken cancel) => SendRawAsync(Frames.TextFrame(payload.Span), cancel);

    /// <summary>Sends a close frame of the tool's choosing (possibly a wrong one): the end is then the answer to it.</summary>
    public Task<bool> SendCloseAsync(byte[] closeFrame, CancellationToken cancel)
    {
        _toolClosed = true;
        return SendRawAsync(closeFrame, cancel);
    }

    public async Task<WsEnd> CloseAsync(TimeSpan wait)
    {
        if (!_end.Task.IsCompleted)
        {
            _toolClosed = true;
            await SendRawAsync(Frames.CloseFrame(1000), CancellationToken.None).ConfigureAwait(false);
            if (await Task.WhenAny(_end.Task, Task.Delay(wait)).ConfigureAwait(false) != _end.Task)
                Finish(new WsEnd(WsEndKind.CloseUnanswered, null, ""));
        }
        Dispose();
        return await _end.Task.ConfigureAwait(false);
    }

    public void Abort(string why)
    {
        Finish(new WsEnd(WsEndKind.Aborted, null, why));
        Dispose();
    }

    private void Finish(WsEnd end) => _end.TrySetResult(end);

    private async Task ReadLoopAsync()
    {
        var input = new Input(_stream);
        var header = new byte[14];
        MemoryStream? message = null;
        var messageText = false;
        long messageLength = 0;
        try
        {
            while (true)
            {
                if (!await input.ReadExactlyAsync(header.AsMemory(0, 2)).ConfigureAwait(false))
                {
                    Finish(new WsEnd(_toolClosed ? WsEndKind.DroppedAfterToolClose : WsEndKind.Dropped, null, "EOF"));
                    return;
                }
                var opcode = header[0] & 0x0F;
                var fin = (header[0] & 0x80) != 0;
                var masked = (header[1] & 0x80) != 0;
                long length = header[1] & 0x7F;
                if (length == 126)
                {
                    if (!await input.ReadExactlyAsync(header.AsMemory(2, 2)).ConfigureAwait(false)) break;
                    length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
                }
                else if (length == 127)
                {
                    if (!await input.ReadExactlyAsync(header.AsMemory(2, 8)).ConfigureAwait(false)) break;
                    length = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(2)), long.MaxValue);
                }
                var maskKey = new byte[4];
                if (masked && !await input.ReadExactlyAsync(maskKey).ConfigureAwait(false)) break;
                if (opcode >= 8)
                {
                    if (length > 125)
                    {
                        Abort("the terminal sent a control frame over 125 bytes");
                        return;
                    }
                    var payload = new byte[length];
                    if (!await input.ReadExactlyAsync(payload).ConfigureAwait(false)) break;
                    if (masked)
                        for (var i = 0; i < payload.Length; i++) payload[i] ^= maskKey[i & 3];
                    if (opcode == Frames.Close)
                    {
                        int? status = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : null;
                        var reason = payload.Length > 2 ? Encoding.UTF8.GetString(payload, 2, payload.Length - 2) : "";
                        var first = !_toolClosed;
                        if (first) await SendRawAsync(Frames.CloseFrame(status ?? 1000), CancellationToken.None).ConfigureAwait(false);
                        Finish(new WsEnd(first ? WsEndKind.ServerClosed : WsEndKind.AnsweredToolClose, status, reason));
                        return;
                    }
                    if (opcode == Frames.Ping) await SendRawAsync(Frames.Build(Frames.Fin | Frames.Pong, payload), CancellationToken.None).ConfigureAwait(false);
                    else if (opcode == Frames.Pong) Pongs++;
                    continue;
                }
                if (opcode is Frames.Text or Frames.Binary)
                {
                    message = new MemoryStream();
                    messageText = opcode == Frames.Text;
                    messageLength = 0;
                }
                message ??= new MemoryStream(); // a continuation with nothing to continue: kept as its own message
                var left = length;
                var chunk = new byte[Math.Min(64 * 1024, Math.Max(1, length))];
                while (left > 0)
                {
                    var n = (int)Math.Min(left, chunk.Length);
                    if (!await input.ReadExactlyAsync(chunk.AsMemory(0, n)).ConfigureAwait(false))
                    {
                        Finish(new WsEnd(_toolClosed ? WsEndKind.DroppedAfterToolClose : WsEndKind.Dropped, null, "EOF inside a frame"));
                        return;
                    }
                    if (masked)
                        for (var i = 0; i < n; i++) chunk[i] ^= maskKey[(int)((length - left + i) & 3)];
                    if (message.Length < KeptBytes) message.Write(chunk, 0, (int)Math.Min(n, KeptBytes - message.Length));
                    left -= n;
                }
                messageLength += length;
                if (fin)
                {
                    _onMessage(message.ToArray(), messageLength, messageText);
                    message = null;
                }
            }
            Finish(new WsEnd(_toolClosed ? WsEndKind.DroppedAfterToolClose : WsEndKind.Dropped, null, "EOF inside a frame header"));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Finish(new WsEnd(_toolClosed ? WsEndKind.DroppedAfterToolClose : WsEndKind.Dropped, null, "reset"));
        }
    }

    public void Dispose()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        _stream.Dispose();
        _socket.Dispose();
    }

    /// <summary>A small read buffer over the stream.</summary>
    private sealed class Input(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start, _end;

        public async ValueTask<bool> ReadExactlyAsync(Memory<byte> into)
        {
            var done = 0;
            while (done < into.Length)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await stream.ReadAsync(_buffer).ConfigureAwait(false);
                    if (_end == 0) return false;
                }
                var n = Math.Min(into.Length - done, _end - _start);
                _buffer.AsMemory(_start, n).CopyTo(into[done..]);
                _start += n;
                done += n;
            }
            return true;
        }
    }
}

/// <summary>A <see cref="ClientWebSocket"/> with a receive loop: well-formed frames only, and the library's view of the end.</summary>
internal sealed class ClientWs : IWsConnection
{
    private const int KeptBytes = 64 * 1024;
    private readonly ClientWebSocket _ws;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly TaskCompletionSource<WsEnd> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WsMessageHandler _onMessage;
    private volatile bool _toolClosed;

    private ClientWs(ClientWebSocket ws, WsMessageHandler onMessage)
    {
        (_ws, _onMessage) = (ws, onMessage);
    }

    public Task<WsEnd> Ended => _end.Task;

    public static async Task<(ClientWs? Socket, WsEnd? Refused)> ConnectAsync(Terminal terminal, int port, string path, WsMessageHandler onMessage, TimeSpan timeout, CancellationToken cancel)
    {
        var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        ws.Options.KeepAliveInterval = TimeSpan.Zero;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        try
        {
            await ws.ConnectAsync(terminal.WebSocketUri(port, path), limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException || (e is OperationCanceledException && !cancel.IsCancellationRequested))
        {
            var status = ws.HttpStatusCode;
            ws.Dispose();
            return (null, new WsEnd(WsEndKind.Refused, null,
                status != 0 ? $"HTTP {(int)status}" : e is OperationCanceledException ? "upgrade timed out" : $"connect failed ({e.GetType().Name})"));
        }
        var client = new ClientWs(ws, onMessage);
        _ = Task.Run(client.ReceiveLoopAsync, CancellationToken.None);
        return (client, null);
    }

    public async Task<bool> SendTextAsync(ReadOnlyMemory<byte> payload, CancellationToken cancel)
    {
        await _send.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            await _ws.SendAsync(payload, WebSocketMessageType.Text, true, cancel).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            // Gone (ClientWebSocket reports a closed stream as a cancellation): the end is seen by the receive loop.
            return false;
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>One text message sent as a frame per piece (a 60 MB message costs this tool 64 KiB).</summary>
    public async Task<bool> SendPiecesAsync(IEnumerable<ReadOnlyMemory<byte>> pieces, CancellationToken cancel)
    {
        await _send.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            using var e = pieces.GetEnumerator();
            var current = e.MoveNext() ? e.Current : ReadOnlyMemory<byte>.Empty;
            while (true)
            {
                var more = e.MoveNext();
                await _ws.SendAsync(current, WebSocketMessageType.Text, !more, cancel).ConfigureAwait(false);
                if (!more) return true;
                current = e.Current;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            // Gone (ClientWebSocket reports a closed stream as a cancellation): the end is seen by the receive loop.
            return false;
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>A message sent in <paramref name="parts"/> frames, a pause between them (a slow client).</summary>
    public async Task<bool> SendSlowlyAsync(ReadOnlyMemory<byte> payload, int parts, TimeSpan pause, CancellationToken cancel)
    {
        var size = Math.Max(1, payload.Length / parts);
        for (var at = 0; at < payload.Length; at += size)
        {
            var piece = payload.Slice(at, Math.Min(size, payload.Length - at));
            await _send.WaitAsync(cancel).ConfigureAwait(false);
            try
            {
                await _ws.SendAsync(piece, WebSocketMessageType.Text, at + piece.Length >= payload.Length, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
            {
                return false;
            }
            finally
            {
                _send.Release();
            }
            await Task.Delay(pause, cancel).ConfigureAwait(false);
        }
        return true;
    }

    public async Task<WsEnd> CloseAsync(TimeSpan wait)
    {
        if (!_end.Task.IsCompleted)
        {
            _toolClosed = true;
            using var limit = new CancellationTokenSource(wait);
            try
            {
                await _send.WaitAsync(limit.Token).ConfigureAwait(false);
                try
                {
                    if (_ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", limit.Token).ConfigureAwait(false);
                }
                finally
                {
                    _send.Release();
                }
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException) { }
            if (await Task.WhenAny(_end.Task, Task.Delay(wait)).ConfigureAwait(false) != _end.Task)
                _end.TrySetResult(new WsEnd(WsEndKind.CloseUnanswered, null, ""));
        }
        Dispose();
        return await _end.Task.ConfigureAwait(false);
    }

    public void Abort(string why)
    {
        _end.TrySetResult(new WsEnd(WsEndKind.Aborted, null, why));
        _ws.Abort();
        Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        long length = 0;
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _ws.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (WebSocketException e) when (e.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely || e.InnerException is IOException or SocketException)
            {
                // The library's word for "the connection ended without a close frame".
                _end.TrySetResult(new WsEnd(_toolClosed ? WsEndKind.DroppedAfterToolClose : WsEndKind.Dropped, null, "ConnectionClosedPrematurely"));
                return;
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                _end.TrySetResult(new WsEnd(WsEndKind.Aborted, null, e is WebSocketException w ? $"ClientWebSocket: {w.WebSocketErrorCode}" : e.GetType().Name));
                return;
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                var status = (int?)_ws.CloseStatus;
                var first = !_toolClosed;
                if (first)
                {
                    try
                    {
                        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                        await _send.WaitAsync(limit.Token).ConfigureAwait(false);
                        try
                        {
                            await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", limit.Token).ConfigureAwait(false);
                        }
                        finally
                        {
                            _send.Release();
                        }
                    }
                    catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException) { }
                }
                _end.TrySetResult(new WsEnd(first ? WsEndKind.ServerClosed : WsEndKind.AnsweredToolClose, status, _ws.CloseStatusDescription ?? ""));
                return;
            }
            if (message.Length < KeptBytes) message.Write(buffer, 0, (int)Math.Min(result.Count, KeptBytes - message.Length));
            length += result.Count;
            if (result.EndOfMessage)
            {
                _onMessage(message.ToArray(), length, result.MessageType == WebSocketMessageType.Text);
                message.SetLength(0);
                length = 0;
            }
        }
    }

    public void Dispose() => _ws.Dispose();
}
