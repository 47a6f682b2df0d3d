using System.Buffers.Binary;
using Appliance.Devices.Serial;

namespace Appliance.Devices.IdCard;

public sealed class SamIdCardReaderSettings
{
    /// <summary>How long the module may take to start answering a command.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>How long a whole read-card answer (up to 2.3 KB) may take once it started.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Between find-card polls while waiting for a card.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>
/// The real ID-card reader driver: GA 467 frames to a SAM module over the serial link. Sequence of a read:
/// find card (20 01) until 9F, select card (20 02), read text+photo (30 01) or text+photo+fingerprint (30 10).
/// Disposing it disposes the link it was given.
/// </summary>
public sealed class SamIdCardReader : IIdCardReader, IAsyncDisposable
{
    private const byte CmdFind = 0x20, ParaFind = 0x01, ParaSelect = 0x02;
    private const byte CmdRead = 0x30, ParaReadBase = 0x01, ParaReadWithFingerprint = 0x10;
    private const byte CmdManage = 0x12, ParaSamId = 0xFF;

    private readonly SerialLink _link;
    private readonly SamIdCardReaderSettings _settings;
    private readonly WltPhotoDecoder? _decoder;
    private readonly string _noDecoderReason;

    /// <param name="link">The serial link to the module; owned by this reader from now on.</param>
    /// <param name="decoderLibrary">The board's WLT decoder library path, or null.</param>
    public SamIdCardReader(SerialLink link, SamIdCardReaderSettings? settings = null, string? decoderLibrary = null)
    {
        _link = link;
        _settings = settings ?? new();
        _decoder = WltPhotoDecoder.TryLoad(decoderLibrary, out _noDecoderReason);
    }

    /// <summary>Opens <paramref name="portPath"/> at <paramref name="baud"/> through a reconnecting link that probes with read-SAM-id.</summary>
    public static SamIdCardReader Open(string portPath, int baud, SamIdCardReaderSettings? settings = null, string? decoderLibrary = null)
    {
        var s = settings ?? new();
        var link = new SerialLink("idCard", () => TtyStream.Open(portPath, baud),
            (stream, ct) => Exchange(stream, CmdManage, ParaSamId, s.ResponseTimeout, s.ResponseTimeout, ct),
            (kind, message, inner) => new IdCardException(kind, message, null, inner));
        link.Start();
        return new SamIdCardReader(link, s, decoderLibrary);
    }

    public SerialLink Link => _link;

    /// <summary>True when the board has a WLT decoder and photos come back decoded.</summary>
    public bool CanDecodePhoto => _decoder is not null;

    public Task<bool> IsCardPresentAsync(CancellationToken cancellationToken) =>
        _link.RunAsync((s, ct) => FindAsync(s, ct), cancellationToken);

    public Task<string> ReadSamIdAsync(CancellationToken cancellationToken) =>
        _link.RunAsync(async (s, ct) =>
        {
            var answer = await Exchange(s, CmdManage, ParaSamId, _settings.ResponseTimeout, _settings.ResponseTimeout, ct).ConfigureAwait(false);
            Expect(answer, SamStatus.Success, "read SAM id");
            if (answer.Data.Length < 16) throw new IdCardException(DeviceErrorKind.Corrupt, $"SAM id answer has {answer.Data.Length} bytes, expected 16");
            return IdCardText.FormatSamId(answer.Data);
        }, cancellationToken);

    public async Task<IdCardData> ReadAsync(IdCardReadOptions options, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + options.CardWait;
        while (true)
        {
            // Each poll takes the link only briefly, so a SAM-id request is not starved while we wait for a card.
            if (await IsCardPresentAsync(cancellationToken).ConfigureAwait(false)) break;
            if (DateTime.UtcNow >= deadline)
                throw new IdCardException(DeviceErrorKind.NothingPresented, "请放置身份证 / no card was placed on the reader", SamStatus.NoCard);
            await Task.Delay(_settings.PollInterval, cancellationToken).ConfigureAwait(false);
        }
        options.CardFound?.Invoke();
        return await _link.RunAsync((s, ct) => SelectAndReadAsync(s, options.WithFingerprint, ct), cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> FindAsync(Stream s, CancellationToken ct)
    {
        var answer = await Exchange(s, CmdFind, ParaFind, _settings.ResponseTimeout, _settings.ResponseTimeout, ct).ConfigureAwait(false);
        if (answer.Status == SamStatus.CardFound) return true;
        if (answer.Status == SamStatus.NoCard) return false;
        throw Failure(answer.Status, "find card");
    }

    private async Task<IdCardData> SelectAndReadAsync(Stream s, bool withFingerprint, CancellationToken ct)
    {
        var select = await Exchange(s, CmdFind, ParaSelect, _settings.ResponseTimeout, _settings.ResponseTimeout, ct).ConfigureAwait(false);
        Expect(select, SamStatus.Success, "select card");

        var para = withFingerprint ? ParaReadWithFingerprint : ParaReadBase;
        var read = await Exchange(s, CmdRead, para, _settings.ResponseTimeout, _settings.ReadTimeout, ct).ConfigureAwait(false);
        Expect(read, SamStatus.Success, "read card");

        var data = read.Data;
        var header = withFingerprint ? 6 : 4;
        if (data.Length < header) throw new IdCardException(DeviceErrorKind.Corrupt, "read-card answer too short for its length header");
        var textLength = BinaryPrimitives.ReadUInt16BigEndian(data);
        var photoLength = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(2));
        var fpLength = withFingerprint ? BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(4)) : 0;
        if (header + textLength + photoLength + fpLength != data.Length || textLength < IdCardText.BlockLength)
            throw new IdCardException(DeviceErrorKind.Corrupt,
                $"read-card answer lengths disagree (text {textLength}, photo {photoLength}, fingerprint {fpLength}, got {data.Length - header})");

        var text = data.AsSpan(header, textLength).ToArray();
        var photo = data.AsSpan(header + textLength, photoLength).ToArray();
        var fingerprint = data.AsSpan(header + textLength + photoLength, fpLength).ToArray();

        byte[]? bmp = null;
        var reason = _noDecoderReason;
        if (_decoder is not null) bmp = _decoder.Decode(photo, out reason);
        return IdCardText.Decode(text, photo, fingerprint, bmp, reason);
    }

    private static void Expect(SamAnswer answer, byte status, string what)
    {
        if (answer.Status != status) throw Failure(answer.Status, what);
    }

    private static IdCardException Failure(byte status, string what) =>
        new(DeviceErrorKind.Failed, $"{what}: {SamStatus.Describe(status)}", status);

    internal readonly record struct SamAnswer(byte Status, byte[] Data);

    /// <summary>Sends one command and reads its answer frame, checking framing and checksum.</summary>
    internal static async Task<SamAnswer> Exchange(Stream s, byte cmd, byte para, TimeSpan firstByteTimeout, TimeSpan frameTimeout, CancellationToken ct)
    {
        if (s is TtyStream tty) tty.DiscardInput(); // a late answer to an earlier, timed-out command must not be taken for this one
        var request = Ga467Frame.Command(cmd, para);
        await s.WriteAsync(request, ct).ConfigureAwait(false);

        // Hunt for the preamble; bytes before it are line noise.
        using var first = CancellationTokenSource.CreateLinkedTokenSource(ct);
        first.CancelAfter(firstByteTimeout);
        var window = new byte[5];
        var one = new byte[1];
        var seen = 0;
        var skipped = 0;
        while (!window.AsSpan().SequenceEqual(Ga467Frame.Preamble))
        {
            var n = await StreamReading.ReadAvailableAsync(s, one, first.Token).ConfigureAwait(false);
            if (n == 0)
            {
                ct.ThrowIfCancellationRequested();
                throw seen == 0
                    ? new IdCardException(DeviceErrorKind.Timeout, $"ID-card module did not answer command {cmd:X2} {para:X2} within {firstByteTimeout.TotalSeconds:0.#} s")
                    : new IdCardException(DeviceErrorKind.Corrupt, $"truncated frame: {seen} bytes without a complete preamble");
            }
            window.AsSpan(1).CopyTo(window);
            window[4] = one[0];
            if (++seen > 5) skipped++;
            if (skipped > Ga467Frame.MaxLength) throw new IdCardException(DeviceErrorKind.Corrupt, "no GA 467 preamble in the module's answer");
        }

        using var rest = CancellationTokenSource.CreateLinkedTokenSource(ct);
        rest.CancelAfter(frameTimeout);
        var lengthBytes = new byte[2];
        if (await StreamReading.ReadAvailableAsync(s, lengthBytes, rest.Token).ConfigureAwait(false) < 2)
            throw Truncated(ct, "length", 0, 2);
        var length = BinaryPrimitives.ReadUInt16BigEndian(lengthBytes);
        if (length is < 4 or > Ga467Frame.MaxLength)
            throw new IdCardException(DeviceErrorKind.Corrupt, $"answer frame length {length} is impossible");
        var body = new byte[length];
        var got = await StreamReading.ReadAvailableAsync(s, body, rest.Token).ConfigureAwait(false);
        if (got < length) throw Truncated(ct, "body", got, length);

        var expected = (byte)(Ga467Frame.Checksum(lengthBytes) ^ Ga467Frame.Checksum(body.AsSpan(0, length - 1)));
        if (expected != body[^1])
            throw new IdCardException(DeviceErrorKind.Corrupt, $"answer frame checksum {body[^1]:X2}, computed {expected:X2}");
        var status = body[2];
        if (status == SamStatus.ChecksumError)
            throw new IdCardException(DeviceErrorKind.Corrupt, "the module received our command with a bad checksum (line noise?)", status);
        return new SamAnswer(status, body.AsSpan(3, length - 4).ToArray());
    }

    private static IdCardException Truncated(CancellationToken ct, string part, int got, int expected)
    {
        ct.ThrowIfCancellationRequested();
        return new IdCardException(DeviceErrorKind.Corrupt, $"truncated frame: {part} has {got} of {expected} bytes");
    }

    public async ValueTask DisposeAsync()
    {
        await _link.DisposeAsync().ConfigureAwait(false);
        _decoder?.Dispose();
    }
}
