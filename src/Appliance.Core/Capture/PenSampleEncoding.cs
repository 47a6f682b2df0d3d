using System.Buffers.Binary;

namespace Appliance.Core.Capture;

/// <summary>
/// The raw pen samples of a signature as kept with its result (evidence). Little-endian: the 4-byte magic
/// <c>PEN2</c>, then 32 bytes per sample: float32 x, y (window pixels), pressure (0..1), tilt x, tilt y (degrees;
/// NaN when the pen reports none), int64 milliseconds since the first touch, uint32 flags (bit 0 = pen down).
/// Strokes are the runs of pen-down samples; each ends with a pen-up sample.
/// <see cref="Decode"/> also reads the first format (no magic, 20 bytes: x, y, pressure, milliseconds; all pen down).
/// </summary>
public static class PenSampleEncoding
{
    /// <summary>The name of the result part (journal image) that holds a signature's samples, whichever protocol asked.</summary>
    public const string PartName = "penSamples";

    public const int BytesPerSample = 32;
    public const int LegacyBytesPerSample = 20;
    private const uint PenDownFlag = 1;
    private static ReadOnlySpan<byte> Magic => "PEN2"u8;

    public static byte[] Encode(IReadOnlyList<PenSample> samples)
    {
        var bytes = new byte[Magic.Length + samples.Count * BytesPerSample];
        Magic.CopyTo(bytes);
        for (var i = 0; i < samples.Count; i++)
        {
            var s = bytes.AsSpan(Magic.Length + i * BytesPerSample, BytesPerSample);
            var sample = samples[i];
            BinaryPrimitives.WriteSingleLittleEndian(s, sample.X);
            BinaryPrimitives.WriteSingleLittleEndian(s[4..], sample.Y);
            BinaryPrimitives.WriteSingleLittleEndian(s[8..], sample.Pressure);
            BinaryPrimitives.WriteSingleLittleEndian(s[12..], sample.TiltX ?? float.NaN);
            BinaryPrimitives.WriteSingleLittleEndian(s[16..], sample.TiltY ?? float.NaN);
            BinaryPrimitives.WriteInt64LittleEndian(s[20..], sample.Millis);
            BinaryPrimitives.WriteUInt32LittleEndian(s[28..], sample.PenDown ? PenDownFlag : 0);
        }
        return bytes;
    }

    public static PenSample[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.StartsWith(Magic)) return DecodeLegacy(bytes);
        var body = bytes[Magic.Length..];
        if (body.Length % BytesPerSample != 0) throw new FormatException($"pen samples: {body.Length} bytes after the magic is not a multiple of {BytesPerSample}");
        var samples = new PenSample[body.Length / BytesPerSample];
        for (var i = 0; i < samples.Length; i++)
        {
            var s = body.Slice(i * BytesPerSample, BytesPerSample);
            samples[i] = new PenSample(BinaryPrimitives.ReadSingleLittleEndian(s), BinaryPrimitives.ReadSingleLittleEndian(s[4..]),
                BinaryPrimitives.ReadSingleLittleEndian(s[8..]), BinaryPrimitives.ReadInt64LittleEndian(s[20..]),
                Tilt(BinaryPrimitives.ReadSingleLittleEndian(s[12..])), Tilt(BinaryPrimitives.ReadSingleLittleEndian(s[16..])),
                (BinaryPrimitives.ReadUInt32LittleEndian(s[28..]) & PenDownFlag) != 0);
        }
        return samples;
    }

    private static float? Tilt(float value) => float.IsNaN(value) ? null : value;

    private static PenSample[] DecodeLegacy(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % LegacyBytesPerSample != 0) throw new FormatException($"pen samples: {bytes.Length} bytes is neither PEN2 nor a multiple of {LegacyBytesPerSample}");
        var samples = new PenSample[bytes.Length / LegacyBytesPerSample];
        for (var i = 0; i < samples.Length; i++)
        {
            var s = bytes.Slice(i * LegacyBytesPerSample, LegacyBytesPerSample);
            samples[i] = new PenSample(BinaryPrimitives.ReadSingleLittleEndian(s), BinaryPrimitives.ReadSingleLittleEndian(s[4..]),
                BinaryPrimitives.ReadSingleLittleEndian(s[8..]), BinaryPrimitives.ReadInt64LittleEndian(s[12..]));
        }
        return samples;
    }
}
