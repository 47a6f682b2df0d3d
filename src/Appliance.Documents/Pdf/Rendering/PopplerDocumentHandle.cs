using System.Runtime.InteropServices;
using Appliance.Documents.Interop;

namespace Appliance.Documents.Pdf.Rendering;

/// <summary>Our reference to a <c>PopplerDocument</c>; dropping it lets poppler free the document and its bytes.</summary>
internal sealed class PopplerDocumentHandle : SafeHandle
{
    public PopplerDocumentHandle(nint document) : base(nint.Zero, ownsHandle: true) => SetHandle(document);

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        GLib.g_object_unref(handle);
        return true;
    }
}
