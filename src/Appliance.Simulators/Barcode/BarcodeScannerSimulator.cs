using System.Text;
using System.Threading.Channels;
using Appliance.Simulators.Serial;

namespace Appliance.Simulators.Barcode;

/// <summary>A serial barcode scanner on a pty: each <see cref="Scan"/> sends the code and its terminator.</summary>
public sealed class BarcodeScannerSimulator(string portPath, string terminator = "\r\n") : PtySimulator(portPath)
{
    private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>();

    public void Scan(string code) => _outgoing.Writer.TryWrite(Encoding.UTF8.GetBytes(code + terminator));

    /// <summary>Sends raw bytes as they are (noise, a code without its terminator, …).</summary>
    public void SendRaw(byte[] bytes) => _outgoing.Writer.TryWrite(bytes);

    /// <summary>Sends the first half of a code, then pulls the plug.</summary>
    public void ScanThenUnplug(string code) => _outgoing.Writer.TryWrite([.. Encoding.UTF8.GetBytes(code), 0xFF, 0xFE, 0xFD]);

    protected override async Task ServeAsync(Stream master, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var bytes = await _outgoing.Reader.ReadAsync(token).ConfigureAwait(false);
            if (bytes is [.., 0xFF, 0xFE, 0xFD])
            {
                await WritePartThenUnplugAsync(master, bytes[..^3], token).ConfigureAwait(false);
                return;
            }
            await master.WriteAsync(bytes, token).ConfigureAwait(false);
        }
    }
}
