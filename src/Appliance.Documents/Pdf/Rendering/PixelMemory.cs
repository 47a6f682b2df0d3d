using System.Runtime.InteropServices;

namespace Appliance.Documents.Pdf.Rendering;

/// <summary>
/// Native memory holding one rendered page. A SafeHandle so that an image nobody disposed is still freed; the GC is
/// told about the size because a page at 150 dpi is megabytes it would otherwise not see.
/// </summary>
internal sealed unsafe class PixelMemory : SafeHandle
{
    // Cache-line alignment lets pixman use its aligned SIMD paths on every row start (the stride is a multiple of 4 only).
    private const nuint Alignment = 64;

    public PixelMemory(long length) : base(nint.Zero, ownsHandle: true)
    {
        Length = length;
        SetHandle((nint)NativeMemory.AlignedAlloc((nuint)length, Alignment));
        GC.AddMemoryPressure(length);
    }

    public long Length { get; }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMemory.AlignedFree((void*)handle);
        GC.RemoveMemoryPressure(Length);
        return true;
    }
}
