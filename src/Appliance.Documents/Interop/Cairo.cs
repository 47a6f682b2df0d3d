using System.Runtime.InteropServices;

namespace Appliance.Documents.Interop;

/// <summary>cairo (<c>libcairo.so.2</c>): image surfaces over our own pixel memory, and the few drawing calls a page render needs.</summary>
internal static unsafe partial class Cairo
{
    private const string Lib = "libcairo.so.2";

    /// <summary>32-bit premultiplied ARGB in native-endian words: BGRA bytes on little-endian machines.</summary>
    public const int CAIRO_FORMAT_ARGB32 = 0;
    public const int CAIRO_STATUS_SUCCESS = 0;

    /// <summary>Both sides of an image surface are limited to this many pixels (pixman's coordinates are 16-bit).</summary>
    public const int MaxSurfaceSide = 32767;

    [LibraryImport(Lib)] public static partial int cairo_format_stride_for_width(int format, int width);
    [LibraryImport(Lib)] public static partial nint cairo_image_surface_create_for_data(byte* data, int format, int width, int height, int stride);
    [LibraryImport(Lib)] public static partial int cairo_surface_status(nint surface);
    [LibraryImport(Lib)] public static partial void cairo_surface_flush(nint surface);
    [LibraryImport(Lib)] public static partial void cairo_surface_finish(nint surface);
    [LibraryImport(Lib)] public static partial void cairo_surface_destroy(nint surface);

    [LibraryImport(Lib)] public static partial nint cairo_create(nint surface);
    [LibraryImport(Lib)] public static partial int cairo_status(nint cr);
    [LibraryImport(Lib)] public static partial void cairo_destroy(nint cr);
    [LibraryImport(Lib)] public static partial void cairo_set_source_rgb(nint cr, double red, double green, double blue);
    [LibraryImport(Lib)] public static partial void cairo_paint(nint cr);
    [LibraryImport(Lib)] public static partial void cairo_scale(nint cr, double sx, double sy);

    [LibraryImport(Lib)] public static partial nint cairo_status_to_string(int status);

    public static string Describe(int status) => Marshal.PtrToStringUTF8(cairo_status_to_string(status)) ?? $"cairo status {status}";
}
