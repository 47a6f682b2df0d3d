using Appliance.Documents.Interop;

namespace Appliance.Documents.Pdf.Rendering;

/// <summary>
/// A PDF opened through libpoppler-glib, its pages rendered with cairo. Every call is safe from any thread: poppler's
/// document is not, so each one holds the document's lock.
/// </summary>
public sealed unsafe partial class PdfDocument : IDisposable
{
    /// <summary>More pages than this is not a document a person signs at a counter; refused as malformed.</summary>
    public const int MaxPages = 10_000;

    /// <summary>The smallest page side taken as a page (ISO 32000's minimum user space is 3 units; under 1 pt nothing shows).</summary>
    private const double MinPageSide = 1;

    private readonly Lock _gate = new();
    private readonly PopplerDocumentHandle _document;
    private readonly PdfPageSize[] _sizes;

    private PdfDocument(PopplerDocumentHandle document, PdfPageSize[] sizes)
    {
        _document = document;
        _sizes = sizes;
    }

    public int PageCount => _sizes.Length;

    /// <summary>Opens a copy of <paramref name="pdf"/>; the caller may reuse its buffer afterwards.</summary>
    /// <exception cref="PdfDocumentException">The bytes are not a readable PDF, need a password, or poppler is not installed.</exception>
    public static PdfDocument Open(ReadOnlyMemory<byte> pdf)
    {
        try
        {
            return OpenWithPoppler(pdf.Span);
        }
        catch (DllNotFoundException e)
        {
            throw new PdfDocumentException(PdfDocumentFailure.LibraryMissing, $"PDF rendering needs libpoppler-glib, libcairo and GLib: {e.Message}", e);
        }
        catch (EntryPointNotFoundException e)
        {
            // poppler_document_new_from_bytes appeared in poppler 0.82: an older library is as good as none.
            throw new PdfDocumentException(PdfDocumentFailure.LibraryMissing, $"the installed libpoppler-glib is too old: {e.Message}", e);
        }
    }

    private static PdfDocument OpenWithPoppler(ReadOnlySpan<byte> pdf)
    {
        nint bytes;
        fixed (byte* data = pdf)
            bytes = GLib.g_bytes_new(data, (nuint)pdf.Length);

        GLib.GError* error = null;
        nint document;
        try
        {
            document = PopplerGlib.poppler_document_new_from_bytes(bytes, null, &error);
        }
        finally
        {
            // The document keeps its own reference to the bytes for as long as it lives.
            GLib.g_bytes_unref(bytes);
        }

        if (document == nint.Zero)
        {
            if (error == null) throw new PdfDocumentException(PdfDocumentFailure.Malformed, "poppler could not open the document and said nothing why");
            var encrypted = error->Domain == PopplerGlib.poppler_error_quark() && error->Code == PopplerGlib.POPPLER_ERROR_ENCRYPTED;
            var message = GLib.TakeMessage(error);
            throw encrypted
                ? new PdfDocumentException(PdfDocumentFailure.Encrypted, $"the document is encrypted: {message}")
                : new PdfDocumentException(PdfDocumentFailure.Malformed, message);
        }

        var handle = new PopplerDocumentHandle(document);
        try
        {
            var pageCount = PopplerGlib.poppler_document_get_n_pages(document);
            if (pageCount < 1) throw new PdfDocumentException(PdfDocumentFailure.Malformed, "the document has no pages");
            if (pageCount > MaxPages) throw new PdfDocumentException(PdfDocumentFailure.Malformed, $"the document has {pageCount} pages; at most {MaxPages} are shown");
            // Every size read once here: the screen asks for them on every frame and pen sample, and must never wait for
            // the lock a render holds.
            var sizes = new PdfPageSize[pageCount];
            for (var i = 0; i < pageCount; i++)
            {
                var page = PopplerGlib.poppler_document_get_page(document, i);
                if (page == nint.Zero) throw new PdfDocumentException(PdfDocumentFailure.Malformed, $"page {i + 1} cannot be read");
                try { sizes[i] = SizeOf(page); }
                finally { GLib.g_object_unref(page); }
                if (!(sizes[i].Width >= MinPageSide && sizes[i].Height >= MinPageSide && sizes[i].Width < 1e6 && sizes[i].Height < 1e6))
                    throw new PdfDocumentException(PdfDocumentFailure.Malformed, $"page {i + 1} has no usable size ({sizes[i].Width} x {sizes[i].Height} pt)");
            }
            return new PdfDocument(handle, sizes);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageIndex"/> is not a page of this document.</exception>
    /// <remarks>Read at open: no lock, no call into poppler, also after <see cref="Dispose"/>.</remarks>
    public PdfPageSize PageSize(int pageIndex)
    {
        ValidatePageIndex(pageIndex);
        return _sizes[pageIndex];
    }

    /// <summary>Renders page <paramref name="pageIndex"/> on white at <paramref name="scale"/> pixels per point (150 dpi is 150/72).</summary>
    public PdfPageImage Render(int pageIndex, double scale) => Render(pageIndex, scale, ownedByCache: false);

    internal PdfPageImage Render(int pageIndex, double scale, bool ownedByCache)
    {
        ValidatePageIndex(pageIndex);
        if (!double.IsFinite(scale) || scale <= 0) throw new ArgumentOutOfRangeException(nameof(scale), scale, "the scale must be a positive number of pixels per point");

        lock (_gate)
        {
            var page = GetPage(pageIndex);
            try
            {
                var (width, height) = PixelSize(SizeOf(page), scale);
                var stride = Cairo.cairo_format_stride_for_width(Cairo.CAIRO_FORMAT_ARGB32, width);
                var memory = new PixelMemory((long)stride * height);
                try
                {
                    Draw(page, scale, (byte*)memory.DangerousGetHandle(), width, height, stride);
                    return new PdfPageImage(pageIndex, scale, width, height, stride, memory, ownedByCache);
                }
                catch
                {
                    memory.Dispose();
                    throw;
                }
            }
            finally
            {
                GLib.g_object_unref(page);
            }
        }
    }

    /// <summary>
    /// The pixel size a page renders to at <paramref name="scale"/>: a partly covered last row or column counts, as in
    /// pdftoppm, but not a rounding error's worth (792 pt × 150/72 is 1650.0000000000002 in doubles, and 1650 rows).
    /// </summary>
    internal static (int Width, int Height) PixelSize(PdfPageSize size, double scale)
    {
        const double RoundingSlack = 1e-6;
        var width = Math.Max(1, Math.Ceiling(size.Width * scale - RoundingSlack));
        var height = Math.Max(1, Math.Ceiling(size.Height * scale - RoundingSlack));
        if (width > Cairo.MaxSurfaceSide || height > Cairo.MaxSurfaceSide)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"the page would be {width}x{height} pixels; cairo draws at most {Cairo.MaxSurfaceSide} on a side");
        return ((int)width, (int)height);
    }

    /// <summary>Bytes the page at <paramref name="pageIndex"/> will take once rendered at <paramref name="scale"/>.</summary>
    internal long RenderedByteCount(int pageIndex, double scale)
    {
        var (width, height) = PixelSize(PageSize(pageIndex), scale);
        return (long)Cairo.cairo_format_stride_for_width(Cairo.CAIRO_FORMAT_ARGB32, width) * height;
    }

    private static void Draw(nint page, double scale, byte* pixels, int width, int height, int stride)
    {
        var surface = Cairo.cairo_image_surface_create_for_data(pixels, Cairo.CAIRO_FORMAT_ARGB32, width, height, stride);
        try
        {
            ThrowIfFailed(Cairo.cairo_surface_status(surface), "creating the image surface");
            var cr = Cairo.cairo_create(surface);
            try
            {
                Cairo.cairo_set_source_rgb(cr, 1, 1, 1);
                Cairo.cairo_paint(cr);
                Cairo.cairo_scale(cr, scale, scale);
                PopplerGlib.poppler_page_render(page, cr);
                ThrowIfFailed(Cairo.cairo_status(cr), "rendering the page");
            }
            finally
            {
                Cairo.cairo_destroy(cr);
            }
            Cairo.cairo_surface_flush(surface);
            ThrowIfFailed(Cairo.cairo_surface_status(surface), "flushing the image surface");
        }
        finally
        {
            // Finish first so cairo lets go of our memory before we may free it, even if something still holds the surface.
            Cairo.cairo_surface_finish(surface);
            Cairo.cairo_surface_destroy(surface);
        }
    }

    private static void ThrowIfFailed(int status, string doing)
    {
        if (status != Cairo.CAIRO_STATUS_SUCCESS) throw new InvalidOperationException($"cairo failed {doing}: {Cairo.Describe(status)}");
    }

    private static PdfPageSize SizeOf(nint page)
    {
        double width, height;
        PopplerGlib.poppler_page_get_size(page, &width, &height);
        return new PdfPageSize(width, height);
    }

    /// <summary>A new reference to the page; the caller holds the lock and unrefs it.</summary>
    private nint GetPage(int pageIndex)
    {
        ObjectDisposedException.ThrowIf(_document.IsClosed, this);
        var page = PopplerGlib.poppler_document_get_page(_document.DangerousGetHandle(), pageIndex);
        return page != nint.Zero ? page : throw new InvalidOperationException($"poppler has no page {pageIndex} although the document counts {PageCount}");
    }

    private void ValidatePageIndex(int pageIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pageIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pageIndex, PageCount);
    }

    public void Dispose()
    {
        lock (_gate) _document.Dispose();
    }
}
