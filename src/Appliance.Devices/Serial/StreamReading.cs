namespace Appliance.Devices.Serial;

/// <summary>Exact-length reads with a deadline, telling "nothing came" apart from "part of a frame came".</summary>
internal static class StreamReading
{
    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes; returns how many arrived before <paramref name="token"/> fired.</summary>
    public static async Task<int> ReadAvailableAsync(Stream stream, Memory<byte> buffer, CancellationToken token)
    {
        var got = 0;
        try
        {
            while (got < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer[got..], token).ConfigureAwait(false);
                if (n == 0) throw new TtyHangupException(stream is TtyStream t ? t.PortPath : "stream", "end of stream");
                got += n;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        return got;
    }
}
