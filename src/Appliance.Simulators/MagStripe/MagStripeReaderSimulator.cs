using System.Threading.Channels;
using Appliance.Devices.MagStripe;
using Appliance.Simulators.Serial;

namespace Appliance.Simulators.MagStripe;

/// <summary>A serial magnetic-stripe reader on a pty: each <see cref="Swipe"/> sends one STX…ETX LRC frame.</summary>
public sealed class MagStripeReaderSimulator(string portPath) : PtySimulator(portPath)
{
    private readonly Channel<(byte[] Bytes, bool UnplugMidway)> _outgoing = Channel.CreateUnbounded<(byte[], bool)>();

    /// <summary>An invented card: a test PAN (Luhn-valid, issuer range 999999 reserved for tests) and a fictional holder.</summary>
    public static MagStripeSwipe SampleCard { get; } = new(
        "B9999990000000006^SAMPLE/CARDHOLDER^30121010000000000000",
        "9999990000000006=30121010000000000000",
        "");

    public void Swipe(MagStripeSwipe swipe) => _outgoing.Writer.TryWrite((SerialMagStripeReader.Frame(swipe), false));

    public void SendRaw(byte[] bytes) => _outgoing.Writer.TryWrite((bytes, false));

    public void SwipeThenUnplug(MagStripeSwipe swipe) => _outgoing.Writer.TryWrite((SerialMagStripeReader.Frame(swipe), true));

    protected override async Task ServeAsync(Stream master, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var (bytes, unplug) = await _outgoing.Reader.ReadAsync(token).ConfigureAwait(false);
            if (unplug)
            {
                await WritePartThenUnplugAsync(master, bytes, token).ConfigureAwait(false);
                return;
            }
            await master.WriteAsync(bytes, token).ConfigureAwait(false);
        }
    }
}
