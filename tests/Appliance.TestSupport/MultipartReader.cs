using System.Text;

namespace Appliance.TestSupport;

/// <summary>Reads a multipart/x-mixed-replace body part by part, as a browser's &lt;img&gt; does.</summary>
public sealed class MultipartReader(Stream stream, string boundary)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    /// <summary>The next part's body, or null after the closing boundary.</summary>
    public async Task<(Dictionary<string, string> Headers, byte[] Body)?> NextAsync(CancellationToken ct)
    {
        var line = await ReadLineAsync(ct);
        while (line.Length == 0) line = await ReadLineAsync(ct);
        if (line == $"--{boundary}--") return null;
        if (line != $"--{boundary}") throw new InvalidDataException($"expected boundary, got \"{line}\"");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while ((line = await ReadLineAsync(ct)).Length > 0)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var length = int.Parse(headers["Content-Length"], System.Globalization.CultureInfo.InvariantCulture);
        var body = new byte[length];
        var got = 0;
        while (got < length)
        {
            if (_start == _end) await FillAsync(ct);
            var n = Math.Min(length - got, _end - _start);
            Array.Copy(_buffer, _start, body, got, n);
            _start += n;
            got += n;
        }
        return (headers, body);
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end) await FillAsync(ct);
            var b = _buffer[_start++];
            if (b == '\n') return Encoding.ASCII.GetString(line.ToArray()).TrimEnd('\r');
            line.Add(b);
        }
    }

    private async Task FillAsync(CancellationToken ct)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, ct);
        if (_end == 0) throw new EndOfStreamException("stream ended without the closing boundary");
    }
}
