namespace Appliance.Documents.Pdf.Rendering;

/// <summary>A hold on one cached page: its <see cref="Image"/> stays valid until the lease is disposed, even if the cache evicts it or is disposed.</summary>
public sealed class PdfPageLease : IDisposable
{
    private PdfPageCache? _cache;
    private readonly PdfPageCache.Entry _entry;

    internal PdfPageLease(PdfPageCache cache, PdfPageCache.Entry entry, PdfPageImage image)
    {
        _cache = cache;
        _entry = entry;
        Image = image;
    }

    public PdfPageImage Image { get; }

    public void Dispose() => Interlocked.Exchange(ref _cache, null)?.Release(_entry);
}
