using System.Buffers.Binary;

namespace Appliance.Devices.IdCard;

/// <summary>
/// GA 467 serial framing of the resident-ID-card SAM module: preamble <c>AA AA AA 96 69</c>, a big-endian
/// length counting every byte after it (checksum included), the body, and an XOR checksum over the length
/// and the body. A host command's body is <c>CMD PARA data…</c>; a module answer's is <c>SW1 SW2 SW3 data…</c>.
/// </summary>
public static class Ga467Frame
{
    public static ReadOnlySpan<byte> Preamble => [0xAA, 0xAA, 0xAA, 0x96, 0x69];

    /// <summary>Longest body a module sends (text + photo + fingerprint is 2 324 bytes); more means garbage.</summary>
    public const int MaxLength = 4096;

    /// <summary>A whole frame around <paramref name="body"/>.</summary>
    public static byte[] Build(ReadOnlySpan<byte> body)
    {
        var length = body.Length + 1;
        var frame = new byte[Preamble.Length + 2 + length];
        Preamble.CopyTo(frame);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(5), (ushort)length);
        body.CopyTo(frame.AsSpan(7));
        frame[^1] = Checksum(frame.AsSpan(5, 2 + body.Length));
        return frame;
    }

    public static byte[] Command(byte command, byte parameter, ReadOnlySpan<byte> data = default)
    {
        var body = new byte[2 + data.Length];
        body[0] = command;
        body[1] = parameter;
        data.CopyTo(body.AsSpan(2));
        return Build(body);
    }

    public static byte[] Answer(byte sw3, ReadOnlySpan<byte> data = default)
    {
        var body = new byte[3 + data.Length];
        body[2] = sw3;
        data.CopyTo(body.AsSpan(3));
        return Build(body);
    }

    /// <summary>XOR of the length bytes and the body (everything between preamble and checksum).</summary>
    public static byte Checksum(ReadOnlySpan<byte> lengthAndBody)
    {
        byte x = 0;
        foreach (var b in lengthAndBody) x ^= b;
        return x;
    }
}

/// <summary>SW3 status bytes the module answers with (SW1 SW2 are 00 00).</summary>
public static class SamStatus
{
    public const byte Success = 0x90;
    public const byte CardFound = 0x9F;
    public const byte ChecksumError = 0x10;
    public const byte LengthError = 0x11;
    public const byte CommandError = 0x21;
    public const byte NotAuthorised = 0x23;
    public const byte CardAuthFailed = 0x31;
    public const byte ReadFailed = 0x41;
    public const byte NoCard = 0x80;
    public const byte SelectFailed = 0x81;
    public const byte NoContent = 0x91;

    public static string Describe(byte sw3) => sw3 switch
    {
        Success => "success",
        CardFound => "card found",
        ChecksumError => "module received a frame with a bad checksum",
        LengthError => "module received a frame with a bad length",
        CommandError => "module does not know the command",
        NotAuthorised => "operation not authorised",
        CardAuthFailed => "card/SAM mutual authentication failed",
        ReadFailed => "reading the card failed (card moved?)",
        NoCard => "no card on the reader",
        SelectFailed => "selecting the card failed",
        NoContent => "card has no such content",
        _ => $"module status 0x{sw3:X2}",
    };
}
