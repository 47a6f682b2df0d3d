using System.Buffers.Binary;
using Appliance.Devices.Serial;

namespace Appliance.Devices.Fingerprint;

public sealed class UartFingerprintSensorSettings
{
    public uint Address { get; set; } = FpmPacket.DefaultAddress;
    public uint Password { get; set; }
    /// <summary>How long the module may take to acknowledge a command or send the next data packet.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>Between GenImg polls while waiting for a finger.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
    /// <summary>Module score at which confidence reads 100; AS608-family modules call 50 a match.</summary>
    public int ScoreForFullConfidence { get; set; } = 200;
}

/// <summary>
/// The real fingerprint driver for R30x/AS608-family UART modules: capture (GenImg), upload image (UpImage,
/// 4-bit pixels), extract (Img2Tz), upload/download templates (UpChar/DownChar) and match on the module (Match).
/// Disposing it disposes the link it was given.
/// </summary>
public sealed class UartFingerprintSensor : IFingerprintSensor, IAsyncDisposable
{
    /// <summary>The module's template ("character file") size.</summary>
    public const int TemplateLength = 512;

    private readonly SerialLink _link;
    private readonly UartFingerprintSensorSettings _settings;

    public UartFingerprintSensor(SerialLink link, UartFingerprintSensorSettings? settings = null)
    {
        _link = link;
        _settings = settings ?? new();
    }

    /// <summary>Opens <paramref name="portPath"/> through a reconnecting link that probes with VfyPwd.</summary>
    public static UartFingerprintSensor Open(string portPath, int baud, UartFingerprintSensorSettings? settings = null)
    {
        var s = settings ?? new();
        var link = new SerialLink("fingerprint", () => TtyStream.Open(portPath, baud),
            async (stream, ct) =>
            {
                var payload = new byte[5];
                payload[0] = FpmCodes.VfyPwd;
                BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(1), s.Password);
                var ack = await new Session(stream, s).CommandAsync(payload, ct).ConfigureAwait(false);
                if (ack[0] != FpmCodes.Ok) throw new FingerprintException(DeviceErrorKind.Failed, FpmCodes.Describe(ack[0]), ack[0]);
            },
            (kind, message, inner) => new FingerprintException(kind, message, null, inner));
        link.Start();
        return new UartFingerprintSensor(link, s);
    }

    public SerialLink Link => _link;

    public Task<bool> IsFingerPresentAsync(CancellationToken cancellationToken) =>
        _link.RunAsync(async (s, ct) => await GenImgAsync(new Session(s, _settings), ct).ConfigureAwait(false), cancellationToken);

    public async Task<FingerprintCapture> CaptureAsync(FingerprintCaptureOptions options, CancellationToken cancellationToken)
    {
        await WaitForFingerAsync(options.FingerWait, cancellationToken).ConfigureAwait(false);
        return await _link.RunAsync(async (s, ct) =>
        {
            var session = new Session(s, _settings);
            FingerprintImage? image = null;
            byte[] feature = [];
            if (options.WithImage)
            {
                await session.ExpectOkAsync([FpmCodes.UpImage], "upload image", ct).ConfigureAwait(false);
                var packed = await session.ReceiveDataAsync(FingerprintImage.ModuleWidth * FingerprintImage.ModuleHeight / 2, ct).ConfigureAwait(false);
                image = Unpack(packed);
            }
            if (options.WithFeature)
            {
                await session.ExpectOkAsync([FpmCodes.Img2Tz, 1], "extract features", ct).ConfigureAwait(false);
                await session.ExpectOkAsync([FpmCodes.UpChar, 1], "upload template", ct).ConfigureAwait(false);
                feature = await session.ReceiveDataAsync(TemplateLength, ct).ConfigureAwait(false);
            }
            return new FingerprintCapture(image, feature);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<int> MatchAsync(ReadOnlyMemory<byte> feature1, ReadOnlyMemory<byte> feature2, CancellationToken cancellationToken)
    {
        CheckTemplate(feature1, "first");
        CheckTemplate(feature2, "second");
        return _link.RunAsync(async (s, ct) =>
        {
            var session = new Session(s, _settings);
            await DownloadAsync(session, 1, feature1, ct).ConfigureAwait(false);
            await DownloadAsync(session, 2, feature2, ct).ConfigureAwait(false);
            return await MatchBuffersAsync(session, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    public async Task<int> VerifyLiveAsync(ReadOnlyMemory<byte> feature, TimeSpan fingerWait, CancellationToken cancellationToken)
    {
        CheckTemplate(feature, "stored");
        await WaitForFingerAsync(fingerWait, cancellationToken).ConfigureAwait(false);
        return await _link.RunAsync(async (s, ct) =>
        {
            var session = new Session(s, _settings);
            await session.ExpectOkAsync([FpmCodes.Img2Tz, 1], "extract features", ct).ConfigureAwait(false);
            await DownloadAsync(session, 2, feature, ct).ConfigureAwait(false);
            return await MatchBuffersAsync(session, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Polls GenImg until the module captured a finger; the image stays in the module's image buffer.</summary>
    private async Task WaitForFingerAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + wait;
        while (!await IsFingerPresentAsync(cancellationToken).ConfigureAwait(false))
        {
            if (DateTime.UtcNow >= deadline)
                throw new FingerprintException(DeviceErrorKind.NothingPresented, "请按手指 / no finger was placed on the sensor", FpmCodes.NoFinger);
            await Task.Delay(_settings.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> GenImgAsync(Session session, CancellationToken ct)
    {
        var ack = await session.CommandAsync([FpmCodes.GenImg], ct).ConfigureAwait(false);
        return ack[0] switch
        {
            FpmCodes.Ok => true,
            FpmCodes.NoFinger => false,
            _ => throw new FingerprintException(DeviceErrorKind.Failed, "capture: " + FpmCodes.Describe(ack[0]), ack[0]),
        };
    }

    private static async Task DownloadAsync(Session session, byte buffer, ReadOnlyMemory<byte> template, CancellationToken ct)
    {
        await session.ExpectOkAsync([FpmCodes.DownChar, buffer], "download template", ct).ConfigureAwait(false);
        await session.SendDataAsync(template, ct).ConfigureAwait(false);
    }

    private async Task<int> MatchBuffersAsync(Session session, CancellationToken ct)
    {
        var ack = await session.CommandAsync([FpmCodes.Match], ct).ConfigureAwait(false);
        if (ack[0] is not (FpmCodes.Ok or FpmCodes.NoMatch))
            throw new FingerprintException(DeviceErrorKind.Failed, "match: " + FpmCodes.Describe(ack[0]), ack[0]);
        var score = ack.Length >= 3 ? BinaryPrimitives.ReadUInt16BigEndian(ack.AsSpan(1)) : 0;
        return ToConfidence(score, _settings.ScoreForFullConfidence);
    }

    /// <summary>Module score → seed 003 §8.2 confidence 0..100.</summary>
    public static int ToConfidence(int score, int scoreForFullConfidence) =>
        Math.Clamp((int)Math.Round(score * 100.0 / scoreForFullConfidence), 0, 100);

    private static void CheckTemplate(ReadOnlyMemory<byte> template, string which)
    {
        if (template.Length != TemplateLength)
            throw new FingerprintException(DeviceErrorKind.BadRequest, $"the {which} fingerprint feature has {template.Length} bytes; this module's templates are {TemplateLength}");
    }

    /// <summary>4-bit packed pixels (high nibble first) → 8-bit grey.</summary>
    public static FingerprintImage Unpack(ReadOnlySpan<byte> packed)
    {
        var pixels = new byte[packed.Length * 2];
        for (var i = 0; i < packed.Length; i++)
        {
            var hi = packed[i] >> 4;
            var lo = packed[i] & 0x0F;
            pixels[2 * i] = (byte)(hi << 4 | hi);
            pixels[2 * i + 1] = (byte)(lo << 4 | lo);
        }
        return new FingerprintImage(FingerprintImage.ModuleWidth, FingerprintImage.ModuleHeight, pixels);
    }

    public ValueTask DisposeAsync() => _link.DisposeAsync();

    /// <summary>Packet exchange on an open stream.</summary>
    private readonly struct Session(Stream stream, UartFingerprintSensorSettings settings)
    {
        /// <summary>Sends a command packet, returns the ack payload (confirmation code first).</summary>
        public async Task<byte[]> CommandAsync(byte[] payload, CancellationToken ct)
        {
            if (stream is TtyStream tty) tty.DiscardInput();
            await stream.WriteAsync(new FpmPacket(FpmPacket.Command, payload).ToBytes(settings.Address), ct).ConfigureAwait(false);
            var ack = await ReadPacketAsync(ct).ConfigureAwait(false);
            if (ack.Pid != FpmPacket.Ack || ack.Payload.Length == 0)
                throw new FingerprintException(DeviceErrorKind.Corrupt, $"expected an ack packet, got packet id 0x{ack.Pid:X2}");
            if (ack.Payload[0] == FpmCodes.PacketError)
                throw new FingerprintException(DeviceErrorKind.Corrupt, FpmCodes.Describe(FpmCodes.PacketError), FpmCodes.PacketError);
            return ack.Payload;
        }

        public async Task ExpectOkAsync(byte[] payload, string what, CancellationToken ct)
        {
            var ack = await CommandAsync(payload, ct).ConfigureAwait(false);
            if (ack[0] != FpmCodes.Ok)
                throw new FingerprintException(DeviceErrorKind.Failed, $"{what}: {FpmCodes.Describe(ack[0])}", ack[0]);
        }

        public async Task<byte[]> ReceiveDataAsync(int expected, CancellationToken ct)
        {
            var data = new byte[expected];
            var got = 0;
            while (true)
            {
                var packet = await ReadPacketAsync(ct).ConfigureAwait(false);
                if (packet.Pid is not (FpmPacket.Data or FpmPacket.EndOfData))
                    throw new FingerprintException(DeviceErrorKind.Corrupt, $"expected a data packet, got packet id 0x{packet.Pid:X2}");
                if (got + packet.Payload.Length > expected)
                    throw new FingerprintException(DeviceErrorKind.Corrupt, $"module sent more than the {expected} bytes expected");
                packet.Payload.CopyTo(data, got);
                got += packet.Payload.Length;
                if (packet.Pid == FpmPacket.EndOfData) break;
            }
            if (got != expected) throw new FingerprintException(DeviceErrorKind.Corrupt, $"module sent {got} of {expected} bytes");
            return data;
        }

        public async Task SendDataAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
        {
            for (var offset = 0; offset < data.Length; offset += FpmPacket.DataChunk)
            {
                var chunk = data.Slice(offset, Math.Min(FpmPacket.DataChunk, data.Length - offset)).ToArray();
                var pid = offset + FpmPacket.DataChunk >= data.Length ? FpmPacket.EndOfData : FpmPacket.Data;
                await stream.WriteAsync(new FpmPacket(pid, chunk).ToBytes(settings.Address), ct).ConfigureAwait(false);
            }
        }

        private async Task<FpmPacket> ReadPacketAsync(CancellationToken ct)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(settings.ResponseTimeout);
            // Hunt for EF 01.
            var one = new byte[1];
            var previous = -1;
            var seen = 0;
            while (true)
            {
                if (await StreamReading.ReadAvailableAsync(stream, one, timeout.Token).ConfigureAwait(false) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                    throw seen == 0
                        ? new FingerprintException(DeviceErrorKind.Timeout, $"fingerprint module did not answer within {settings.ResponseTimeout.TotalSeconds:0.#} s")
                        : new FingerprintException(DeviceErrorKind.Corrupt, $"truncated packet: {seen} bytes without a header");
                }
                seen++;
                if (previous == 0xEF && one[0] == 0x01) break;
                previous = one[0];
                if (seen > 4096) throw new FingerprintException(DeviceErrorKind.Corrupt, "no packet header in the module's answer");
            }
            var head = new byte[7];
            var got = await StreamReading.ReadAvailableAsync(stream, head, timeout.Token).ConfigureAwait(false);
            if (got < head.Length) throw Truncated(ct, got + 2, FpmPacket.HeaderLength);
            var pid = head[4];
            var length = BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(5));
            if (length is < 2 or > 1024) throw new FingerprintException(DeviceErrorKind.Corrupt, $"packet length {length} is impossible");
            var rest = new byte[length];
            got = await StreamReading.ReadAvailableAsync(stream, rest, timeout.Token).ConfigureAwait(false);
            if (got < length) throw Truncated(ct, FpmPacket.HeaderLength + got, FpmPacket.HeaderLength + length);
            var payload = rest.AsSpan(0, length - 2).ToArray();
            var sum = BinaryPrimitives.ReadUInt16BigEndian(rest.AsSpan(length - 2));
            var expected = FpmPacket.Checksum(pid, length, payload);
            if (sum != expected)
                throw new FingerprintException(DeviceErrorKind.Corrupt, $"packet checksum {sum:X4}, computed {expected:X4}");
            return new FpmPacket(pid, payload);
        }

        private static FingerprintException Truncated(CancellationToken ct, int got, int expected)
        {
            ct.ThrowIfCancellationRequested();
            return new FingerprintException(DeviceErrorKind.Corrupt, $"truncated packet: {got} of {expected} bytes");
        }
    }
}
