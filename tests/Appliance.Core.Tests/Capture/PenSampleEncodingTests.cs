using System.Buffers.Binary;
using Appliance.Core.Capture;
using Appliance.Core.Screen;

namespace Appliance.Core.Tests.Capture;

/// <summary>The raw samples kept with a signature: every field survives the journal, strokes stay apart, old records still read.</summary>
public sealed class PenSampleEncodingTests
{
    [Fact]
    public void Tilt_pen_up_and_time_survive_the_round_trip_byte_for_byte()
    {
        PenSample[] samples =
        [
            new(10.5f, 20.25f, 0.5f, 0, TiltX: 12.5f, TiltY: -30f),
            new(30f, 40f, 0.75f, 16, TiltX: 13f, TiltY: -29.5f),
            new(31f, 41f, 0f, 21, TiltX: 13f, TiltY: -29.5f, PenDown: false),
            new(100f, 50f, 0.25f, 500), // a pen without tilt
        ];
        var bytes = PenSampleEncoding.Encode(samples);

        Assert.Equal(4 + 4 * PenSampleEncoding.BytesPerSample, bytes.Length);
        Assert.Equal("PEN2"u8.ToArray(), bytes[..4]);
        var third = bytes.AsSpan(4 + 2 * 32, 32);
        Assert.Equal(13f, BinaryPrimitives.ReadSingleLittleEndian(third[12..]));
        Assert.Equal(21L, BinaryPrimitives.ReadInt64LittleEndian(third[20..]));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(third[28..]));
        Assert.True(float.IsNaN(BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 + 3 * 32 + 12))));
        Assert.Equal(samples, PenSampleEncoding.Decode(bytes));
    }

    [Fact]
    public void Records_of_the_first_format_still_decode_as_pen_down_without_tilt()
    {
        var legacy = new byte[2 * PenSampleEncoding.LegacyBytesPerSample];
        BinaryPrimitives.WriteSingleLittleEndian(legacy, 10);
        BinaryPrimitives.WriteSingleLittleEndian(legacy.AsSpan(4), 20);
        BinaryPrimitives.WriteSingleLittleEndian(legacy.AsSpan(8), 0.5f);
        BinaryPrimitives.WriteInt64LittleEndian(legacy.AsSpan(12), 0);
        BinaryPrimitives.WriteSingleLittleEndian(legacy.AsSpan(20), 30);
        BinaryPrimitives.WriteSingleLittleEndian(legacy.AsSpan(24), 40);
        BinaryPrimitives.WriteSingleLittleEndian(legacy.AsSpan(28), 0.75f);
        BinaryPrimitives.WriteInt64LittleEndian(legacy.AsSpan(32), 16);

        Assert.Equal([new PenSample(10, 20, 0.5f, 0), new PenSample(30, 40, 0.75f, 16)], PenSampleEncoding.Decode(legacy));
        Assert.Throws<FormatException>(() => PenSampleEncoding.Decode(new byte[21]));
        Assert.Throws<FormatException>(() => PenSampleEncoding.Decode([.. "PEN2"u8, 1, 2, 3]));
    }

    [Fact]
    public void A_signature_keeps_tilt_and_pen_up_from_the_window_in_its_evidence()
    {
        PenSample[] ink = [new(1, 2, 0.5f, 0, 10f, -5f, true), new(3, 4, 0.6f, 8, 11f, -4f, false), new(5, 6, 0.7f, 20, null, null, true)];

        var parts = SignatureEvidence.Parts(new SignatureOutcome.Confirmed([1, 2, 3], 10, 10, ink, null));
        var samples = PenSampleEncoding.Decode(parts.Single(p => p.Key == PenSampleEncoding.PartName).Value);

        Assert.Equal([new PenSample(1, 2, 0.5f, 0, 10f, -5f, true), new PenSample(3, 4, 0.6f, 8, 11f, -4f, false), new PenSample(5, 6, 0.7f, 20)],
            samples);
    }
}
