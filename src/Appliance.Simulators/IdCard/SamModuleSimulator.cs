using System.Buffers.Binary;
using Appliance.Devices.IdCard;
using Appliance.Simulators.Serial;

namespace Appliance.Simulators.IdCard;

/// <summary>What the simulated module does wrong with its next answer (tests' fault injection).</summary>
public enum SamFault
{
    None,
    /// <summary>Flip the checksum byte.</summary>
    BadChecksum,
    /// <summary>Send only the first half of the frame, then nothing.</summary>
    Truncate,
    /// <summary>Do not answer at all.</summary>
    Silent,
    /// <summary>Send half the frame, then pull the plug.</summary>
    UnplugMidAnswer,
}

/// <summary>
/// A SAM module on a pty: parses GA 467 command frames and answers find card (20 01), select card (20 02),
/// read text+photo (30 01), read text+photo+fingerprint (30 10) and read SAM id (12 FF) for the card placed
/// with <see cref="PlaceCard"/>. A command with a bad checksum gets SW3 10, an unknown one SW3 21.
/// </summary>
public sealed class SamModuleSimulator(string portPath) : PtySimulator(portPath)
{
    private readonly Lock _gate = new();
    private FictionalCard? _card;
    private SamFault _nextFault;

    /// <summary>The module's 16-byte id (reads as 05.01-20240618-0000123456-0987654321).</summary>
    public byte[] SamId { get; } = MakeSamId();

    public FictionalCard? Card
    {
        get { lock (_gate) return _card; }
    }

    /// <summary>Commands received, as (cmd, para), for tests.</summary>
    public List<(byte Cmd, byte Para)> Received { get; } = [];

    public void PlaceCard(FictionalCard card)
    {
        lock (_gate) _card = card;
    }

    public void RemoveCard()
    {
        lock (_gate) _card = null;
    }

    public void InjectFault(SamFault fault)
    {
        lock (_gate) _nextFault = fault;
    }

    private static byte[] MakeSamId()
    {
        var id = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(id, 5);
        BinaryPrimitives.WriteUInt16LittleEndian(id.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(id.AsSpan(4), 20240618);
        BinaryPrimitives.WriteUInt32LittleEndian(id.AsSpan(8), 123456);
        BinaryPrimitives.WriteUInt32LittleEndian(id.AsSpan(12), 987654321);
        return id;
    }

    protected override async Task ServeAsync(Stream master, CancellationToken token)
    {
        var parser = new FrameHunter();
        var buffer = new byte[512];
        while (!token.IsCancellationRequested)
        {
            var n = await master.ReadAsync(buffer, token).ConfigureAwait(false);
            for (var i = 0; i < n; i++)
            {
                if (parser.Push(buffer[i]) is not { } frame) continue;
                var answer = Answer(frame);
                SamFault fault;
                lock (_gate)
                {
                    fault = _nextFault;
                    _nextFault = SamFault.None;
                }
                switch (fault)
                {
                    case SamFault.Silent:
                        break;
                    case SamFault.BadChecksum:
                        answer[^1] ^= 0x5A;
                        await master.WriteAsync(answer, token).ConfigureAwait(false);
                        break;
                    case SamFault.Truncate:
                        await master.WriteAsync(answer.AsMemory(0, answer.Length / 2), token).ConfigureAwait(false);
                        break;
                    case SamFault.UnplugMidAnswer:
                        await WritePartThenUnplugAsync(master, answer, token).ConfigureAwait(false);
                        return;
                    default:
                        await master.WriteAsync(answer, token).ConfigureAwait(false);
                        break;
                }
            }
        }
    }

    private byte[] Answer(byte[] frame)
    {
        // frame = length(2) + body; body = CMD PARA data… CHK
        var body = frame.AsSpan(2);
        if (Ga467Frame.Checksum(frame.AsSpan(0, frame.Length - 1)) != frame[^1])
        {
            RejectedFrames++;
            return Ga467Frame.Answer(SamStatus.ChecksumError);
        }
        if (body.Length < 3) return Ga467Frame.Answer(SamStatus.LengthError);
        var (cmd, para) = (body[0], body[1]);
        FictionalCard? card;
        lock (_gate)
        {
            Received.Add((cmd, para));
            card = _card;
        }
        return (cmd, para) switch
        {
            (0x12, 0xFF) => Ga467Frame.Answer(SamStatus.Success, SamId),
            (0x20, 0x01) => card is null ? Ga467Frame.Answer(SamStatus.NoCard) : Ga467Frame.Answer(SamStatus.CardFound, [0, 0, 0, 0]),
            (0x20, 0x02) => card is null ? Ga467Frame.Answer(SamStatus.SelectFailed) : Ga467Frame.Answer(SamStatus.Success, new byte[8]),
            (0x30, 0x01) => card is null ? Ga467Frame.Answer(SamStatus.ReadFailed) : Ga467Frame.Answer(SamStatus.Success, ReadData(card, false)),
            (0x30, 0x10) => card is null ? Ga467Frame.Answer(SamStatus.ReadFailed) : Ga467Frame.Answer(SamStatus.Success, ReadData(card, true)),
            _ => Ga467Frame.Answer(SamStatus.CommandError),
        };
    }

    private static byte[] ReadData(FictionalCard card, bool withFingerprint)
    {
        var text = card.TextBlock();
        var photo = card.PhotoWlt;
        var fp = withFingerprint ? card.Fingerprint : [];
        var header = withFingerprint ? 6 : 4;
        var data = new byte[header + text.Length + photo.Length + fp.Length];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)text.Length);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2), (ushort)photo.Length);
        if (withFingerprint) BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(4), (ushort)fp.Length);
        text.CopyTo(data, header);
        photo.CopyTo(data, header + text.Length);
        fp.CopyTo(data, header + text.Length + photo.Length);
        return data;
    }

    /// <summary>Finds GA 467 frames in the byte stream; yields length(2)+body.</summary>
    private sealed class FrameHunter
    {
        private readonly List<byte> _frame = [];
        private readonly byte[] _window = new byte[5];
        private bool _inFrame;
        private int _expected = -1;

        public byte[]? Push(byte b)
        {
            if (!_inFrame)
            {
                _window.AsSpan(1).CopyTo(_window);
                _window[4] = b;
                if (_window.AsSpan().SequenceEqual(Ga467Frame.Preamble))
                {
                    _inFrame = true;
                    Array.Clear(_window);
                }
                return null;
            }
            _frame.Add(b);
            if (_frame.Count == 2)
            {
                _expected = 2 + (_frame[0] << 8 | _frame[1]);
                if (_expected > 2 + Ga467Frame.MaxLength || _expected < 4) Reset();
                return null;
            }
            if (_expected > 0 && _frame.Count == _expected)
            {
                var frame = _frame.ToArray();
                Reset();
                return frame;
            }
            return null;
        }

        private void Reset()
        {
            _frame.Clear();
            _inFrame = false;
            _expected = -1;
        }
    }
}
