using Appliance.Documents.Interop;

namespace Appliance.Documents.Pdf.Rendering;

public sealed unsafe partial class PdfDocument
{
    /// <summary>A caller asking for a word that occurs more often than this gets the first ones: the rest is no placement.</summary>
    public const int MaxTextMatches = 1000;

    /// <summary>
    /// Every occurrence of <paramref name="text"/> (poppler's search: case-insensitive, within one line), page by page in
    /// reading order, at most <paramref name="maxMatches"/>. Boxes are in points with a top-left origin.
    /// </summary>
    public IReadOnlyList<PdfTextMatch> FindText(string text, int maxMatches = MaxTextMatches)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMatches);
        // poppler takes a C string: a NUL would search for a shorter text than asked.
        if (text.Length == 0 || text.Contains('\0', StringComparison.Ordinal)) return [];

        var matches = new List<PdfTextMatch>();
        lock (_gate)
        {
            for (var pageIndex = 0; pageIndex < PageCount && matches.Count < maxMatches; pageIndex++)
            {
                var page = GetPage(pageIndex);
                try { CollectMatches(page, pageIndex, text, matches, maxMatches); }
                finally { GLib.g_object_unref(page); }
            }
        }
        return matches;
    }

    private void CollectMatches(nint page, int pageIndex, string text, List<PdfTextMatch> matches, int maxMatches)
    {
        var list = PopplerGlib.poppler_page_find_text(page, text);
        // poppler's y runs up from the page's bottom edge; the page height is the displayed one, as the rectangles are.
        var pageHeight = _sizes[pageIndex].Height;
        try
        {
            for (var node = list; node != null; node = node->Next)
            {
                if (matches.Count >= maxMatches) break;
                var r = (PopplerGlib.PopplerRectangle*)node->Data;
                var (bottom, top) = (Math.Min(r->Y1, r->Y2), Math.Max(r->Y1, r->Y2));
                matches.Add(new PdfTextMatch(pageIndex, Math.Min(r->X1, r->X2), pageHeight - top, Math.Abs(r->X2 - r->X1), top - bottom));
            }
        }
        finally
        {
            // The list owns its rectangles (g_list_free_full with poppler_rectangle_free, done by hand).
            for (var node = list; node != null; node = node->Next) PopplerGlib.poppler_rectangle_free((PopplerGlib.PopplerRectangle*)node->Data);
            GLib.g_list_free(list);
        }
    }
}
