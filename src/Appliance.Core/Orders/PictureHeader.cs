using System.Buffers.Binary;

namespace Appliance.Core.Orders;

/// <summary>
/// Reads a picture's size from its header (PNG IHDR, JPEG SOFn) without decoding it: a seal is checked when the order
/// arrives, not when the signer already signed, and a small file that claims 60000 × 60000 pixels is refused.
/// </summary>
public static class PictureHeader
{
    /// <summary>Null when the bytes are a PNG or JPEG within <see cref="OrderLimits.MaxSealSide"/>; else why not, in words.</summary>
    public static string? Problem(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > OrderLimits.MaxSealBytes) return $"is larger than {OrderLimits.MaxSealBytes} bytes";
        if (Size(bytes) is not { } size) return "is not a PNG or JPEG picture";
        if (size.Width is < 1 or > OrderLimits.MaxSealSide || size.Height is < 1 or > OrderLimits.MaxSealSide)
            return $"is {size.Width} × {size.Height} pixels; at most {OrderLimits.MaxSealSide} a side";
        return null;
    }

    public static (int Width, int Height)? Size(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 24 && bytes[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) && bytes.Slice(12, 4).SequenceEqual("IHDR"u8))
            return ((int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(bytes[16..])), (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(bytes[20..])));
        if (bytes.Length < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8) return null;
        // JPEG: walk the segments to the first start-of-frame (SOF0..SOF15 but DHT C4, JPG C8, DAC CC).
        var at = 2;
        while (at + 9 <= bytes.Length)
        {
            if (bytes[at] != 0xFF) return null;
            var marker = bytes[at + 1];
            if (marker == 0xFF) { at++; continue; }
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
                return (BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 5)..]));
            if (marker == 0xDA || length < 2) return null; // image data before any frame header
            at += 2 + length;
        }
        return null;
    }
}
