using System.Runtime.InteropServices;

namespace Appliance.Documents.Interop;

/// <summary>
/// GLib (<c>libglib-2.0.so.0</c>) and GObject (<c>libgobject-2.0.so.0</c>): the byte buffers, errors and reference
/// counts poppler-glib hands across. <c>gsize</c> is <see cref="nuint"/>; a <c>GQuark</c> is a 32-bit unsigned int.
/// </summary>
internal static unsafe partial class GLib
{
    private const string GLibLib = "libglib-2.0.so.0";
    private const string GObjectLib = "libgobject-2.0.so.0";

    /// <summary><c>GError</c>: domain, code, UTF-8 message.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GError
    {
        public uint Domain;
        public int Code;
        public nint Message;
    }

    /// <summary><c>GList</c>: a doubly linked list node; <see cref="Data"/> is the element.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GList
    {
        public void* Data;
        public GList* Next;
        public GList* Prev;
    }

    /// <summary>Copies <paramref name="size"/> bytes into a new immutable buffer with one reference.</summary>
    [LibraryImport(GLibLib)] public static partial nint g_bytes_new(void* data, nuint size);
    [LibraryImport(GLibLib)] public static partial void g_bytes_unref(nint bytes);
    [LibraryImport(GLibLib)] public static partial void g_error_free(GError* error);
    /// <summary>Frees the list's nodes, not their elements.</summary>
    [LibraryImport(GLibLib)] public static partial void g_list_free(GList* list);
    [LibraryImport(GObjectLib)] public static partial void g_object_unref(nint gobject);

    /// <summary>The error's message, then frees the error.</summary>
    public static string TakeMessage(GError* error)
    {
        var message = Marshal.PtrToStringUTF8(error->Message) ?? "no message";
        g_error_free(error);
        return message;
    }
}
