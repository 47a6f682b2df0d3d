using System.Runtime.InteropServices;

namespace Appliance.Documents.Interop;

/// <summary>
/// poppler's GLib binding (<c>libpoppler-glib.so.8</c>, Debian <c>libpoppler-glib8</c>). Documents and pages are
/// GObjects (release with <see cref="GLib.g_object_unref"/>); a document is not safe to use from two threads at once.
/// </summary>
internal static unsafe partial class PopplerGlib
{
    private const string Lib = "libpoppler-glib.so.8";

    /// <summary><c>PopplerError</c> codes in the <see cref="poppler_error_quark"/> domain.</summary>
    public const int POPPLER_ERROR_INVALID = 0, POPPLER_ERROR_ENCRYPTED = 1;

    [LibraryImport(Lib)] public static partial uint poppler_error_quark();

    /// <summary>Takes its own reference on <paramref name="bytes"/>; <paramref name="password"/> is UTF-8 or null.</summary>
    [LibraryImport(Lib)] public static partial nint poppler_document_new_from_bytes(nint bytes, byte* password, GLib.GError** error);
    [LibraryImport(Lib)] public static partial int poppler_document_get_n_pages(nint document);

    /// <summary>A new reference to page <paramref name="index"/> (0-based), or null.</summary>
    [LibraryImport(Lib)] public static partial nint poppler_document_get_page(nint document, int index);

    /// <summary>Size in points as displayed: width and height are swapped for a page with /Rotate 90 or 270.</summary>
    [LibraryImport(Lib)] public static partial void poppler_page_get_size(nint page, double* width, double* height);

    /// <summary>Draws the page, with its /Rotate applied, onto the cairo context at 1 unit per point.</summary>
    [LibraryImport(Lib)] public static partial void poppler_page_render(nint page, nint cairo);

    /// <summary>
    /// <c>PopplerRectangle</c>: two corners in points. <see cref="poppler_page_find_text"/> gives them in the displayed
    /// page with the origin at its BOTTOM-left (y1 the bottom edge, y2 the top).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PopplerRectangle
    {
        public double X1, Y1, X2, Y2;
    }

    /// <summary>
    /// Every match of the UTF-8 <paramref name="text"/> on the page, case-insensitive, in reading order: a new
    /// <see cref="GLib.GList"/> of new <see cref="PopplerRectangle"/>s, or null for none. Free each rectangle with
    /// <see cref="poppler_rectangle_free"/>, then the list with <see cref="GLib.g_list_free"/>.
    /// </summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial GLib.GList* poppler_page_find_text(nint page, string text);
    [LibraryImport(Lib)] public static partial void poppler_rectangle_free(PopplerRectangle* rectangle);
}
