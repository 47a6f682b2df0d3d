using System.Buffers.Binary;

namespace Appliance.Devices.Fingerprint;

/// <summary>
/// The R30x/AS608-family UART packet: <c>EF 01</c>, 4-byte module address, packet id, big-endian length
/// (payload + 2), payload, and a 16-bit big-endian checksum that sums the packet id, the length bytes and
/// the payload.
/// </summary>
public readonly record struct FpmPacket(byte Pid, byte[] Payload)
{
    public const byte Command = 0x01;
    public const byte Data = 0x02;
    public const byte Ack = 0x07;
    public const byte EndOfData = 0x08;
    public const uint DefaultAddress = 0xFFFFFFFF;
    public const int HeaderLength = 9;
    /// <summary>Data payload per packet at the modules' default packet-size setting.</summary>
    public const int DataChunk = 128;

    public byte[] ToBytes(uint address = DefaultAddress)
    {
        var length = Payload.Length + 2;
        var bytes = new byte[HeaderLength + length];
        bytes[0] = 0xEF;
        bytes[1] = 0x01;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(2), address);
        bytes[6] = Pid;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(7), (ushort)length);
        Payload.CopyTo(bytes, HeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(HeaderLength + Payload.Length), Checksum(Pid, (ushort)length, Payload));
        return bytes;
    }

    public static ushort Checksum(byte pid, ushort length, ReadOnlySpan<byte> payload)
    {
        var sum = pid + (length >> 8) + (length & 0xFF);
        foreach (var b in payload) sum += b;
        return (ushort)sum;
    }
}

/// <summary>Instruction codes and confirmation codes of the module.</summary>
public static class FpmCodes
{
    public const byte GenImg = 0x01, Img2Tz = 0x02, Match = 0x03, Search = 0x04, RegModel = 0x05, Store = 0x06;
    public const byte LoadChar = 0x07, UpChar = 0x08, DownChar = 0x09, UpImage = 0x0A, DownImage = 0x0B;
    public const byte ReadSysPara = 0x0F, VfyPwd = 0x13;

    public const byte Ok = 0x00, PacketError = 0x01, NoFinger = 0x02, EnrollFailed = 0x03, ImageMessy = 0x06, TooFewFeatures = 0x07;
    public const byte NoMatch = 0x08, NotFound = 0x09, CombineFailed = 0x0A, UploadFailed = 0x0D, ReceiveFailed = 0x0E;
    public const byte ImageUploadFailed = 0x0F, NoValidImage = 0x15, WrongPassword = 0x13;

    public static string Describe(byte code) => code switch
    {
        Ok => "ok",
        PacketError => "module received a damaged packet",
        NoFinger => "no finger on the sensor",
        EnrollFailed => "capturing the finger failed",
        ImageMessy => "image too disorderly to extract features",
        TooFewFeatures => "too few features in the image",
        NoMatch => "the fingerprints do not match",
        NotFound => "no matching template in the library",
        CombineFailed => "templates could not be combined",
        UploadFailed => "uploading the template failed",
        ReceiveFailed => "module could not receive the following data packets",
        ImageUploadFailed => "uploading the image failed",
        WrongPassword => "wrong module password",
        NoValidImage => "no valid image in the image buffer",
        _ => $"module confirmation code 0x{code:X2}",
    };
}
