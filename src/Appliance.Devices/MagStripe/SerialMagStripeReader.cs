using System.Text;
using Appliance.Devices.Serial;

namespace Appliance.Devices.MagStripe;

/// <summary>
/// The real serial magnetic-stripe reader driver. Each swipe arrives as one frame:
/// <c>STX</c> tracks <c>ETX</c> <c>LRC</c>, where tracks are ISO 7811 text with their sentinels
/// (<c>%…?</c> track 1, <c>;…?</c> track 2, <c>+…?</c> or a second <c>;…?</c> track 3) and LRC is the XOR of
/// every byte after STX up to and including ETX. A frame with a wrong LRC, or cut short, is dropped and counted.
/// </summary>
public sealed class SerialMagStripeReader : IMagStripeReader, IAsyncDisposable
{
    public const byte Stx = 0x02, Etx = 0x03;

    private readonly SerialReceiver _receiver;
    private readonly Lock _gate = new();
    private readonly List<byte> _frame = [];
    private bool _inFrame;
    private bool _awaitingLrc;
    private readonly SwipeMailbox _swipes = new();

    /// <param name="link">The serial link to the reader; owned by this driver from now on.</param>
    public SerialMagStripeReader(SerialLink link, TimeSpan? interCharacterTimeout = null)
    {
        _receiver = new SerialReceiver(link, interCharacterTimeout ?? TimeSpan.FromMilliseconds(500), OnBytes, OnGap, OnDisconnect);
        _receiver.Start();
    }

    public static SerialMagStripeReader Open(string portPath, int baud) =>
        new(new SerialLink("magStripe", () => TtyStream.Open(portPath, baud), null,
            (kind, message, inner) => new MagStripeException(kind, message, inner)));

    public SerialLink Link => _receiver.Link;

    public int DroppedFrames { get; private set; }

    public MagStripeSwipe? TakeLastSwipe() => _swipes.TakeLast();

    public async Task<MagStripeSwipe> ReadSwipeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Link.State != SerialLinkState.Ready)
            throw new MagStripeException(DeviceErrorKind.Absent, $"magnetic-stripe reader is not connected ({Link.Detail})");
        return await _swipes.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Splits the track text into tracks 1-3 by their start sentinels.</summary>
    public static MagStripeSwipe ParseTracks(string text)
    {
        string t1 = "", t2 = "", t3 = "";
        var i = 0;
        while (i < text.Length)
        {
            var start = text[i];
            var end = text.IndexOf('?', i + 1);
            if (end < 0) break;
            var body = text[(i + 1)..end];
            switch (start)
            {
                case '%': t1 = body; break;
                case ';' when t2.Length == 0: t2 = body; break;
                case ';' or '+': t3 = body; break;
            }
            i = end + 1;
        }
        return new MagStripeSwipe(t1, t2, t3);
    }

    /// <summary>The frame a reader sends for <paramref name="swipe"/> (the simulator and tests build frames with it).</summary>
    public static byte[] Frame(MagStripeSwipe swipe)
    {
        var text = new StringBuilder();
        if (swipe.Track1.Length > 0) text.Append('%').Append(swipe.Track1).Append('?');
        if (swipe.Track2.Length > 0) text.Append(';').Append(swipe.Track2).Append('?');
        if (swipe.Track3.Length > 0) text.Append('+').Append(swipe.Track3).Append('?');
        var body = Encoding.ASCII.GetBytes(text.ToString());
        var frame = new byte[body.Length + 3];
        frame[0] = Stx;
        body.CopyTo(frame, 1);
        frame[^2] = Etx;
        byte lrc = 0;
        foreach (var b in frame.AsSpan(1, body.Length + 1)) lrc ^= b;
        frame[^1] = lrc;
        return frame;
    }

    private void OnBytes(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            MagStripeSwipe? done = null;
            lock (_gate)
            {
                if (_awaitingLrc)
                {
                    _awaitingLrc = false;
                    _inFrame = false;
                    byte lrc = 0;
                    foreach (var x in _frame) lrc ^= x;
                    lrc ^= Etx;
                    if (lrc == b && _frame.TrueForAll(c => c is >= 0x20 and < 0x7F))
                        done = ParseTracks(Encoding.ASCII.GetString(_frame.ToArray()));
                    else DroppedFrames++;
                    _frame.Clear();
                }
                else if (b == Stx)
                {
                    if (_inFrame) DroppedFrames++; // a new frame before the old one ended
                    _frame.Clear();
                    _inFrame = true;
                }
                else if (_inFrame && b == Etx) _awaitingLrc = true;
                else if (_inFrame && _frame.Count < 1024) _frame.Add(b);
            }
            if (done is not null) _swipes.Deliver(done);
        }
    }

    private void OnGap()
    {
        lock (_gate)
        {
            if (!_inFrame) return;
            _inFrame = false;
            _awaitingLrc = false;
            _frame.Clear();
            DroppedFrames++;
        }
    }

    private void OnDisconnect(Exception e) =>
        _swipes.FailWaiters(new MagStripeException(DeviceErrorKind.Disconnected, "magnetic-stripe reader was unplugged", e));

    public ValueTask DisposeAsync() => _receiver.DisposeAsync();
}
