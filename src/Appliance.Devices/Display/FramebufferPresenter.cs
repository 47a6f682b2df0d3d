namespace Appliance.Devices.Display;

/// <summary>
/// Copies a rectangle of a logical-orientation BGRA32 image (the compositor's back buffer) into a framebuffer,
/// converting to its pixel format and rotating to the panel's mounting, then flushes just that rectangle.
/// </summary>
public sealed unsafe class FramebufferPresenter
{
    public FramebufferPresenter(IFramebuffer framebuffer, int rotation)
    {
        ScreenRotation.Validate(rotation);
        Framebuffer = framebuffer;
        Rotation = rotation;
        (Width, Height) = ScreenRotation.LogicalSize(framebuffer.Width, framebuffer.Height, rotation);
    }

    public IFramebuffer Framebuffer { get; }
    public int Rotation { get; }
    /// <summary>Logical width (as the person sees the screen).</summary>
    public int Width { get; }
    public int Height { get; }

    /// <param name="source">Top-left of the logical BGRA32 image, <paramref name="sourceStride"/> bytes per row, <see cref="Width"/>×<see cref="Height"/>.</param>
    public void Present(nint source, int sourceStride, int x, int y, int width, int height)
    {
        var x0 = Math.Max(0, x); var y0 = Math.Max(0, y);
        var x1 = Math.Min(Width, x + width); var y1 = Math.Min(Height, y + height);
        if (x1 <= x0 || y1 <= y0) return;
        var fb = Framebuffer;
        var dst = (byte*)fb.Address;
        var src = (byte*)source;
        if (Rotation == 0 && fb.Format == FramebufferPixelFormat.Xrgb8888)
        {
            var bytes = (x1 - x0) * 4;
            for (var row = y0; row < y1; row++)
                Buffer.MemoryCopy(src + row * sourceStride + x0 * 4, dst + row * fb.Stride + x0 * 4, bytes, bytes);
        }
        else
        {
            var rgb565 = fb.Format == FramebufferPixelFormat.Rgb565;
            for (var row = y0; row < y1; row++)
            {
                var line = (uint*)(src + row * sourceStride);
                for (var col = x0; col < x1; col++)
                {
                    var (px, py) = ScreenRotation.LogicalToPhysical(col, row, fb.Width, fb.Height, Rotation);
                    var bgra = line[col];
                    if (rgb565)
                    {
                        var r = (bgra >> 16) & 0xFF; var g = (bgra >> 8) & 0xFF; var b = bgra & 0xFF;
                        *(ushort*)(dst + py * fb.Stride + px * 2) = (ushort)(((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3));
                    }
                    else
                    {
                        *(uint*)(dst + py * fb.Stride + px * 4) = bgra | 0xFF000000;
                    }
                }
            }
        }
        var (ax, ay) = ScreenRotation.LogicalToPhysical(x0, y0, fb.Width, fb.Height, Rotation);
        var (bx, by) = ScreenRotation.LogicalToPhysical(x1 - 1, y1 - 1, fb.Width, fb.Height, Rotation);
        fb.Flush(Math.Min(ax, bx), Math.Min(ay, by), Math.Abs(bx - ax) + 1, Math.Abs(by - ay) + 1);
    }

    /// <summary>Reads the framebuffer back as a logical-orientation BGRA32 image (opaque), for screenshots.</summary>
    public void ReadBack(nint destination, int destinationStride)
    {
        var fb = Framebuffer;
        var src = (byte*)fb.Address;
        var dst = (byte*)destination;
        for (var row = 0; row < Height; row++)
        {
            var line = (uint*)(dst + row * destinationStride);
            for (var col = 0; col < Width; col++)
            {
                var (px, py) = ScreenRotation.LogicalToPhysical(col, row, fb.Width, fb.Height, Rotation);
                if (fb.Format == FramebufferPixelFormat.Rgb565)
                {
                    uint v = *(ushort*)(src + py * fb.Stride + px * 2);
                    uint r = (v >> 11) & 0x1F, g = (v >> 5) & 0x3F, b = v & 0x1F;
                    line[col] = 0xFF000000 | (((r << 3) | (r >> 2)) << 16) | (((g << 2) | (g >> 4)) << 8) | ((b << 3) | (b >> 2));
                }
                else
                {
                    line[col] = *(uint*)(src + py * fb.Stride + px * 4) | 0xFF000000;
                }
            }
        }
    }
}
