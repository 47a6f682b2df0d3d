using System.Runtime.InteropServices;

namespace Appliance.Devices.Display;

/// <summary>
/// The sim board's display: a framebuffer of exactly the fbdev layout (stride, pixel format) in process memory.
/// <see cref="Flushed"/> tells viewers (the /sim/ page) that pixels changed.
/// </summary>
public sealed unsafe class MemoryFramebuffer : IFramebuffer
{
    private nint _address;
    private long _version;

    /// <param name="stride">Bytes per row; 0 = packed. A larger stride models panels with padded rows.</param>
    public MemoryFramebuffer(int width, int height, FramebufferPixelFormat format = FramebufferPixelFormat.Xrgb8888, int stride = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        Format = format;
        var bpp = format == FramebufferPixelFormat.Xrgb8888 ? 4 : 2;
        Stride = stride == 0 ? width * bpp : stride;
        if (Stride < width * bpp) throw new ArgumentOutOfRangeException(nameof(stride), stride, $"less than {width * bpp} bytes per row");
        _address = (nint)NativeMemory.AllocZeroed((nuint)(Stride * height));
    }

    public int Width { get; }
    public int Height { get; }
    public int Stride { get; }
    public FramebufferPixelFormat Format { get; }
    public nint Address => _address;
    public string Location => "memory";

    /// <summary>Increases with every flush; a viewer compares it to know whether to fetch a new picture.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Raised after each flush with the changed rectangle (panel pixels).</summary>
    public event Action<int, int, int, int>? Flushed;

    public Span<byte> Bytes => new((void*)_address, Stride * Height);

    public void Flush(int x, int y, int width, int height)
    {
        Interlocked.Increment(ref _version);
        Flushed?.Invoke(x, y, width, height);
    }

    public void Dispose()
    {
        var a = Interlocked.Exchange(ref _address, 0);
        if (a != 0) NativeMemory.Free((void*)a);
    }
}
