namespace Appliance.Devices.Display;

public enum FramebufferPixelFormat
{
    /// <summary>32 bits per pixel, little-endian B, G, R, X bytes (DRM XRGB8888, fbdev 32 bpp red at offset 16).</summary>
    Xrgb8888,
    /// <summary>16 bits per pixel, little-endian RRRRRGGG GGGBBBBB.</summary>
    Rgb565,
}

/// <summary>
/// A linear framebuffer in the panel's own orientation: <see cref="Width"/>×<see cref="Height"/> pixels,
/// rows <see cref="Stride"/> bytes apart starting at <see cref="Address"/>. What is written there is what the panel shows
/// once <see cref="Flush"/> has been called for the rectangle.
/// </summary>
public interface IFramebuffer : IDisposable
{
    int Width { get; }
    int Height { get; }
    int Stride { get; }
    FramebufferPixelFormat Format { get; }
    nint Address { get; }
    int BytesPerPixel => Format == FramebufferPixelFormat.Xrgb8888 ? 4 : 2;

    /// <summary>Where the framebuffer lives, for health and logs (<c>/dev/fb0</c>, <c>memory</c>).</summary>
    string Location { get; }

    /// <summary>Makes the rectangle (panel pixels) visible; only it changed since the last flush.</summary>
    void Flush(int x, int y, int width, int height);
}
