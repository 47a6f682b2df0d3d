using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace HostileLoad;

/// <summary>An HTTP answer as seen on the socket. <see cref="Status"/> 0: no status line came back (see <see cref="Failure"/>).</summary>
internal sealed record HttpAnswer(int Status, byte[] Body, string? Failure, TimeSpan Elapsed, bool WriteFailed);

internal sealed class HttpOptions
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Send the body with <c>Transfer-Encoding: chunked</c> instead of <c>Content-Length</c>.</summary>
    public bool Chunked { get; init; }

    /// <summary>A streaming answer (multipart): read the head and up to 64 KiB or 2 s of it, then hang up.</summary>
    public bool Streaming { get; init; }

    /// <summary>Replaces the whole request (head and body) with these bytes: for framing that no client library would write.</summary>
    public byte[]? RawRequest { get; init; }

    /// <summary>After writing, shut the sending side (the terminal sees the end of the request stream).</summary>
    public bool HalfClose { get; init; }
}

/// <summary>A request body written in pieces, so a 60 MB body costs this tool 64 KiB.</summary>
internal abstract class RequestBody
{
    public abstract long Length { get; }

    public abstract IEnumerable<ReadOnlyMemory<byte>> Pieces();

    public static RequestBody Of(byte[] bytes) => new Bytes(bytes);

    public static RequestBody Of(string text) => new Bytes(Encoding.UTF8.GetBytes(text));

    /// <summary><paramref name="prefix"/>, then <paramref name="count"/> times <paramref name="fill"/>, then <paramref name="suffix"/>.</summary>
    public static RequestBody Filled(string prefix, byte fill, long count, string suffix) => new Fill(Encoding.UTF8.GetBytes(prefix), fill, count, Encoding.UTF8.GetBytes(suffix));

    private sealed class Bytes(byte[] bytes) : RequestBody
    {
        public override long Length => bytes.Length;

        public override IEnumerable<ReadOnlyMemory<byte>> Pieces()
        {
            yield return bytes;
        }
    }

    private sealed class Fill(byte[] prefix, byte fill, long count, byte[] suffix) : RequestBody
    {
        public override long Length => prefix.Length + count + suffix.Length;

        public override IEnumerable<ReadOnlyMemory<byte>> Pieces()
        {
            yield return prefix;
            var block = new byte[64 * 1024];
            Array.Fill(block, fill);
            for (var left = count; left > 0; left -= block.Length) yield return block.AsMemory(0, (int)Math.Min(left, block.Length));
            yield return suffix;
        }
    }
}

/// <summary>
/// HTTP/1.1 over a plain socket, one request per connection (<c>Connection: close</c>): writes exactly the bytes given
/// (invalid UTF-8, NULs, chunked or not), reads the answer while still writing (an early 413 is seen), and says what
/// happened when no answer came.
/// </summary>
internal static class RawHttp
{
    private const int MaxStoredBody = 32 * 1024 * 1024;

    public static async Task<HttpAnswer> SendAsync(Terminal terminal, int port, string method, string target, RequestBody? body, HttpOptions options, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(options.Timeout);
        using var socket = new Socket(terminal.Host.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(terminal.Endpoint(port), timeout.Token).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return new HttpAnswer(0, [], $"connect failed ({e.SocketErrorCode})", clock.Elapsed, false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return new HttpAnswer(0, [], "connect timed out", clock.Elapsed, false);
        }
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reading = ReadAnswerAsync(stream, options.Streaming, timeout.Token);
        var writeFailed = false;
        try
        {
            if (options.RawRequest is { } raw)
                await stream.WriteAsync(raw, timeout.Token).ConfigureAwait(false);
            else
            {
                var head = new StringBuilder();
                head.Append(CultureInfo.InvariantCulture, $"{method} {target} HTTP/1.1\r\nHost: {terminal.HostHeader(port)}\r\nConnection: close\r\n");
                if (body is not null)
                {
                    head.Append("Content-Type: text/plain;charset=UTF-8\r\n");
                    head.Append(options.Chunked ? "Transfer-Encoding: chunked\r\n" : string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n"));
                }
                head.Append("\r\n");
                await stream.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()), timeout.Token).ConfigureAwait(false);
                if (body is not null)
                {
                    foreach (var piece in body.Pieces())
                    {
                        if (options.Chunked)
                        {
                            if (piece.Length == 0) continue;
                            await stream.WriteAsync(Encoding.ASCII.GetBytes(piece.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), timeout.Token).ConfigureAwait(false);
                            await stream.WriteAsync(piece, timeout.Token).ConfigureAwait(false);
                            await stream.WriteAsync("\r\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
                        }
                        else
                            await stream.WriteAsync(piece, timeout.Token).ConfigureAwait(false);
                        // Once the answer is in (an early refusal), the rest of the body is not sent.
                        if (reading.IsCompleted) break;
                    }
                    if (options.Chunked && !reading.IsCompleted) await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
                }
            }
            if (options.HalfClose) socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException || (e is OperationCanceledException && !cancel.IsCancellationRequested))
        {
            // The terminal stopped reading (or reset): what it answered, if anything, is still read below.
            writeFailed = true;
        }
        var (status, answerBody, failure) = await reading.ConfigureAwait(false);
        if (status == 0 && writeFailed && failure is not null) failure += " (sending had failed)";
        return new HttpAnswer(status, answerBody, failure, clock.Elapsed, writeFailed);
    }

    private static async Task<(int Status, byte[] Body, string? Failure)> ReadAnswerAsync(Stream stream, bool streaming, CancellationToken cancel)
    {
        await Task.Yield();
        var buffer = new byte[64 * 1024];
        using var head = new MemoryStream();
        var status = 0;
        try
        {
            int headEnd;
            string[] lines;
            while (true)
            {
                while (true)
                {
                    headEnd = head.GetBuffer().AsSpan(0, (int)head.Length).IndexOf("\r\n\r\n"u8);
                    if (headEnd >= 0) break;
                    if (head.Length > 256 * 1024) return (0, [], "answer head over 256 KiB");
                    var n = await stream.ReadAsync(buffer, cancel).ConfigureAwait(false);
                    if (n == 0) return (0, [], head.Length == 0 ? "closed without an answer" : "closed inside the answer's head");
                    head.Write(buffer, 0, n);
                }
                lines = Encoding.Latin1.GetString(head.GetBuffer(), 0, headEnd).Split("\r\n");
                var statusLine = lines[0].Split(' ', 3);
                if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(statusLine[1], CultureInfo.InvariantCulture, out status))
                    return (0, [], $"not an HTTP answer: {Tally.Printable(Encoding.Latin1.GetBytes(lines[0]), 60)}");
                if (status is < 100 or >= 200 or 101) break;
                // An interim answer (100 Continue): the real one follows.
                var rest = head.GetBuffer().AsSpan(headEnd + 4, (int)head.Length - headEnd - 4).ToArray();
                head.SetLength(0);
                head.Write(rest);
                status = 0;
            }
            long? length = null;
            var chunked = false;
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0) continue;
                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && long.TryParse(value, CultureInfo.InvariantCulture, out var l)) length = l;
                if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase)) chunked = true;
            }
            using var body = new MemoryStream();
            var start = headEnd + 4;
            body.Write(head.GetBuffer(), start, (int)head.Length - start);
            long received = body.Length;
            if (streaming)
            {
                using var brief = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                brief.CancelAfter(TimeSpan.FromSeconds(2));
                try
                {
                    while (body.Length < 64 * 1024)
                    {
                        var n = await stream.ReadAsync(buffer, brief.Token).ConfigureAwait(false);
                        if (n == 0) break;
                        body.Write(buffer, 0, n);
                    }
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested) { }
                return (status, body.ToArray(), null);
            }
            if (status is 204 or 304 || status < 200) return (status, [], null);
            // Connection: close was asked, so without a length the answer ends where the connection does.
            while (length is not { } total || received < total)
            {
                var n = await stream.ReadAsync(buffer, cancel).ConfigureAwait(false);
                if (n == 0)
                {
                    if (length is { } expected && received < expected) return (status, body.ToArray(), $"answer cut short at {received} of {expected} bytes");
                    break;
                }
                received += n;
                if (body.Length < MaxStoredBody) body.Write(buffer, 0, (int)Math.Min(n, MaxStoredBody - body.Length));
            }
            var bytes = body.ToArray();
            return (status, chunked ? Dechunk(bytes) : bytes, null);
        }
        catch (OperationCanceledException)
        {
            return (status, [], status == 0 ? "no answer in time (the tool gave up)" : "answer not finished in time (the tool gave up)");
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return (status, [], status == 0 ? "connection reset without an answer" : "connection reset inside the answer");
        }
    }

    private static byte[] Dechunk(byte[] data)
    {
        using var output = new MemoryStream();
        var i = 0;
        while (i < data.Length)
        {
            var lineEnd = data.AsSpan(i).IndexOf("\r\n"u8);
            if (lineEnd < 0) break;
            var sizeText = Encoding.ASCII.GetString(data, i, lineEnd).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size < 0) return data;
            i += lineEnd + 2;
            if (size == 0) break;
            if (i + size > data.Length) size = data.Length - i;
            output.Write(data, i, size);
            i += size + 2;
        }
        return output.ToArray();
    }
}
