namespace Appliance.Core.Images;

/// <summary>JPEG from raw pixels (e.g. the screen as the panel shows it, for a stream).</summary>
public interface IJpegEncoder
{
    /// <param name="pixels">Tightly packed rows in <paramref name="layout"/>.</param>
    /// <param name="quality">1..100.</param>
    byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PixelLayout layout, int quality);
}

/// <summary>How raw pixels are laid out: 4 bytes a pixel in the named order, or 1 byte of grey.</summary>
public enum PixelLayout
{
    Rgba,
    Bgra,
    Gray,
}
