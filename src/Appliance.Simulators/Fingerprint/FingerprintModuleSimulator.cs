using System.Buffers.Binary;
using Appliance.Devices.Fingerprint;
using Appliance.Simulators.Serial;

namespace Appliance.Simulators.Fingerprint;

/// <summary>What the simulated module does wrong with its next packet (tests' fault injection).</summary>
public enum FpmFault
{
    None,
    BadChecksum,
    Truncate,
    Silent,
    UnplugMidAnswer,
}

/// <summary>
/// An AS608-family module on a pty: VfyPwd, GenImg, Img2Tz, UpImage, UpChar, DownChar, Match, ReadSysPara.
/// It keeps an image buffer and two character buffers like the module, extracts the placed finger's template
/// on Img2Tz and matches templates with <see cref="SimulatedFinger.MatchScore"/>.
/// </summary>
public sealed class FingerprintModuleSimulator(string portPath) : PtySimulator(portPath)
{
    private readonly Lock _gate = new();
    private SimulatedFinger? _finger;
    private int _captures;
    private (SimulatedFinger Finger, int Capture)? _image;
    private readonly byte[][] _charBuffers = [new byte[512], new byte[512]];
    private FpmFault _nextFault;

    public List<byte> ReceivedInstructions { get; } = [];

    public SimulatedFinger? Finger
    {
        get { lock (_gate) return _finger; }
    }

    public void PlaceFinger(SimulatedFinger finger)
    {
        lock (_gate) _finger = finger;
    }

    public void RemoveFinger()
    {
        lock (_gate) _finger = null;
    }

    public void InjectFault(FpmFault fault)
    {
        lock (_gate) _nextFault = fault;
    }

    protected override async Task ServeAsync(Stream master, CancellationToken token)
    {
        var reader = new PacketReader(master);
        while (!token.IsCancellationRequested)
        {
            var packet = await reader.NextAsync(token).ConfigureAwait(false);
            if (packet is null)
            {
                RejectedFrames++;
                await SendAsync(master, Ack(FpmCodes.PacketError), token).ConfigureAwait(false);
                continue;
            }
            if (packet.Value.Pid != FpmPacket.Command) continue; // stray data packet
            var p = packet.Value.Payload;
            lock (_gate) ReceivedInstructions.Add(p[0]);
            switch (p[0])
            {
                case FpmCodes.VfyPwd:
                    await SendAsync(master, Ack(p.Length == 5 && BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(1)) == 0 ? FpmCodes.Ok : FpmCodes.WrongPassword), token).ConfigureAwait(false);
                    break;
                case FpmCodes.GenImg:
                    byte code;
                    lock (_gate)
                    {
                        if (_finger is null) code = FpmCodes.NoFinger;
                        else
                        {
                            _image = (_finger, _captures++);
                            code = FpmCodes.Ok;
                        }
                    }
                    await SendAsync(master, Ack(code), token).ConfigureAwait(false);
                    break;
                case FpmCodes.Img2Tz when p.Length == 2 && p[1] is 1 or 2:
                    var image = _image;
                    if (image is null)
                    {
                        await SendAsync(master, Ack(FpmCodes.NoValidImage), token).ConfigureAwait(false);
                        break;
                    }
                    _charBuffers[p[1] - 1] = image.Value.Finger.Template(image.Value.Capture);
                    await SendAsync(master, Ack(FpmCodes.Ok), token).ConfigureAwait(false);
                    break;
                case FpmCodes.UpImage:
                    if (_image is not { } shot)
                    {
                        await SendAsync(master, Ack(FpmCodes.ImageUploadFailed), token).ConfigureAwait(false);
                        break;
                    }
                    if (!await SendAsync(master, Ack(FpmCodes.Ok), token).ConfigureAwait(false)) return;
                    if (!await SendDataAsync(master, Pack(shot.Finger.Image(shot.Capture)), token).ConfigureAwait(false)) return;
                    break;
                case FpmCodes.UpChar when p.Length == 2 && p[1] is 1 or 2:
                    if (!await SendAsync(master, Ack(FpmCodes.Ok), token).ConfigureAwait(false)) return;
                    if (!await SendDataAsync(master, _charBuffers[p[1] - 1], token).ConfigureAwait(false)) return;
                    break;
                case FpmCodes.DownChar when p.Length == 2 && p[1] is 1 or 2:
                    await SendAsync(master, Ack(FpmCodes.Ok), token).ConfigureAwait(false);
                    var data = await reader.ReceiveDataAsync(512, token).ConfigureAwait(false);
                    if (data is null) RejectedFrames++;
                    else _charBuffers[p[1] - 1] = data;
                    break;
                case FpmCodes.Match:
                    var score = SimulatedFinger.MatchScore(_charBuffers[0], _charBuffers[1]);
                    var answer = new byte[3];
                    answer[0] = score >= 50 ? FpmCodes.Ok : FpmCodes.NoMatch;
                    BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(1), (ushort)score);
                    await SendAsync(master, new FpmPacket(FpmPacket.Ack, answer), token).ConfigureAwait(false);
                    break;
                case FpmCodes.ReadSysPara:
                    var para = new byte[17];
                    BinaryPrimitives.WriteUInt16BigEndian(para.AsSpan(5), 300); // library size
                    BinaryPrimitives.WriteUInt16BigEndian(para.AsSpan(7), 3);   // security level
                    BinaryPrimitives.WriteUInt32BigEndian(para.AsSpan(9), FpmPacket.DefaultAddress);
                    BinaryPrimitives.WriteUInt16BigEndian(para.AsSpan(13), 1);  // packet size code: 128 bytes
                    BinaryPrimitives.WriteUInt16BigEndian(para.AsSpan(15), 6);  // baud = 6 x 9600
                    await SendAsync(master, new FpmPacket(FpmPacket.Ack, para), token).ConfigureAwait(false);
                    break;
                default:
                    await SendAsync(master, Ack(FpmCodes.PacketError), token).ConfigureAwait(false);
                    break;
            }
        }
    }

    private static FpmPacket Ack(byte code) => new(FpmPacket.Ack, [code]);

    /// <summary>8-bit grey → the module's 4-bit packed pixels.</summary>
    private static byte[] Pack(byte[] pixels)
    {
        var packed = new byte[pixels.Length / 2];
        for (var i = 0; i < packed.Length; i++) packed[i] = (byte)(pixels[2 * i] & 0xF0 | pixels[2 * i + 1] >> 4);
        return packed;
    }

    private async Task<bool> SendDataAsync(Stream master, byte[] data, CancellationToken token)
    {
        for (var offset = 0; offset < data.Length; offset += FpmPacket.DataChunk)
        {
            var pid = offset + FpmPacket.DataChunk >= data.Length ? FpmPacket.EndOfData : FpmPacket.Data;
            if (!await SendAsync(master, new FpmPacket(pid, data.AsSpan(offset, Math.Min(FpmPacket.DataChunk, data.Length - offset)).ToArray()), token).ConfigureAwait(false))
                return false;
        }
        return true;
    }

    /// <returns>False when the fault unplugged the device.</returns>
    private async Task<bool> SendAsync(Stream master, FpmPacket packet, CancellationToken token)
    {
        var bytes = packet.ToBytes();
        FpmFault fault;
        lock (_gate)
        {
            fault = _nextFault;
            _nextFault = FpmFault.None;
        }
        switch (fault)
        {
            case FpmFault.Silent:
                return true;
            case FpmFault.BadChecksum:
                bytes[^1] ^= 0x5A;
                break;
            case FpmFault.Truncate:
                bytes = bytes[..(bytes.Length / 2)];
                break;
            case FpmFault.UnplugMidAnswer:
                await WritePartThenUnplugAsync(master, bytes, token).ConfigureAwait(false);
                return false;
        }
        await master.WriteAsync(bytes, token).ConfigureAwait(false);
        return true;
    }

    /// <summary>Reads host packets; a packet with a bad checksum comes back as null.</summary>
    private sealed class PacketReader(Stream stream)
    {
        private readonly byte[] _one = new byte[1];

        private async Task<byte> ByteAsync(CancellationToken token)
        {
            while (await stream.ReadAsync(_one, token).ConfigureAwait(false) == 0) { }
            return _one[0];
        }

        public async Task<FpmPacket?> NextAsync(CancellationToken token)
        {
            var previous = -1;
            while (true)
            {
                var b = await ByteAsync(token).ConfigureAwait(false);
                if (previous == 0xEF && b == 0x01) break;
                previous = b;
            }
            var head = new byte[7];
            for (var i = 0; i < 7; i++) head[i] = await ByteAsync(token).ConfigureAwait(false);
            var length = BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(5));
            if (length is < 2 or > 1024) return null;
            var rest = new byte[length];
            for (var i = 0; i < length; i++) rest[i] = await ByteAsync(token).ConfigureAwait(false);
            var payload = rest[..(length - 2)];
            if (BinaryPrimitives.ReadUInt16BigEndian(rest.AsSpan(length - 2)) != FpmPacket.Checksum(head[4], length, payload)) return null;
            return payload.Length == 0 ? null : new FpmPacket(head[4], payload);
        }

        public async Task<byte[]?> ReceiveDataAsync(int expected, CancellationToken token)
        {
            using var ms = new MemoryStream();
            while (true)
            {
                var packet = await NextAsync(token).ConfigureAwait(false);
                if (packet is null) return null;
                ms.Write(packet.Value.Payload);
                if (packet.Value.Pid == FpmPacket.EndOfData) break;
            }
            return ms.Length == expected ? ms.ToArray() : null;
        }
    }
}
