using System.Buffers.Binary;

namespace Appliance.Core.Capture;

/// <summary>
/// The raw pen samples of a signature as kept with its result (evidence): 20 bytes per sample, little-endian
/// float32 x, y, pressure (0..1) and int64 milliseconds since the first touch.
/// </summary>
public static class PenSampleEncoding
{
    public const int BytesPerSample = 20;

    public static byte[] Encode(IReadOnlyList<PenSample> samples)
    {
        var bytes = new byte[samples.Count * BytesPerSample];
        for (var i = 0; i < samples.Count; i++)
        {
            var s = bytes.AsSpan(i * BytesPerSample, BytesPerSample);
            BinaryPrimitives.WriteSingleLittleEndian(s, samples[i].X);
            BinaryPrimitives.WriteSingleLittleEndian(s[4..], samples[i].Y);
            BinaryPrimitives.WriteSingleLittleEndian(s[8..], samples[i].Pressure);
            BinaryPrimitives.WriteInt64LittleEndian(s[12..], samples[i].Millis);
        }
        return bytes;
    }

    public static PenSample[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % BytesPerSample != 0) throw new FormatException($"pen samples: {bytes.Length} bytes is not a multiple of {BytesPerSample}");
        var samples = new PenSample[bytes.Length / BytesPerSample];
        for (var i = 0; i < samples.Length; i++)
        {
            var s = bytes.Slice(i * BytesPerSample, BytesPerSample);
            samples[i] = new PenSample(BinaryPrimitives.ReadSingleLittleEndian(s), BinaryPrimitives.ReadSingleLittleEndian(s[4..]),
                BinaryPrimitives.ReadSingleLittleEndian(s[8..]), BinaryPrimitives.ReadInt64LittleEndian(s[12..]));
        }
        return samples;
    }
}
