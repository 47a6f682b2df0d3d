namespace Appliance.Documents.Pdf.Rendering;

/// <summary>
/// One rendered page: cairo ARGB32 premultiplied, which is BGRA8888 premultiplied in memory on little-endian machines
/// (Skia's <c>Bgra8888</c>/<c>Premul</c> can wrap <see cref="Address"/> without copying). Owns its pixel memory.
/// </summary>
public sealed unsafe class PdfPageImage : IDisposable
{
    private readonly PixelMemory _memory;
    private readonly bool _ownedByCache;

    internal PdfPageImage(int pageIndex, double scale, int width, int height, int stride, PixelMemory memory, bool ownedByCache = false)
    {
        PageIndex = pageIndex;
        Scale = scale;
        Width = width;
        Height = height;
        Stride = stride;
        _memory = memory;
        _ownedByCache = ownedByCache;
    }

    public int PageIndex { get; }

    /// <summary>Pixels per point.</summary>
    public double Scale { get; }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Bytes per row, at least <c>4 × Width</c>.</summary>
    public int Stride { get; }

    /// <summary>Bytes of pixel memory held: <c>Stride × Height</c>.</summary>
    public long ByteCount => (long)Stride * Height;

    public ReadOnlySpan<byte> Pixels => new((void*)Address, checked((int)ByteCount));

    public nint Address
    {
        get
        {
            ObjectDisposedException.ThrowIf(_memory.IsClosed, this);
            return _memory.DangerousGetHandle();
        }
    }

    /// <summary>
    /// Frees the pixels. An image handed out through a <see cref="PdfPageLease"/> belongs to the cache, which frees it
    /// when no lease holds it; disposing such an image does nothing, so a careless caller cannot pull pixels from under
    /// another lease.
    /// </summary>
    public void Dispose()
    {
        if (!_ownedByCache) _memory.Dispose();
    }

    /// <summary>The cache's way to free an image it owns.</summary>
    internal void Release() => _memory.Dispose();
}
