using System.Runtime.InteropServices;

namespace Appliance.Host.Memory;

/// <summary>
/// glibc's malloc, which holds most of what a grab leaves behind: Skia bitmaps and libturbojpeg buffers are native.
/// Measured (docs/BUDGETS.md): with glibc's sliding mmap threshold, a freed 8 MB frame raises the threshold and later
/// frames stay resident in per-thread arenas (RSS 44 → 178 MB after 900 grabs, with the GC heap at 2 MB). A fixed
/// threshold (mallopt M_MMAP_THRESHOLD 128 KB, 2 arenas) cut that to 62 MB on x64, but in the arm64 VM it starved the
/// pen: vm-test's ink check lost half the strokes (536 and 258 of the ≥ 1000 pixels) and passed again without it. So
/// only the idle trim is used until that is measured on a real terminal.
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>Hands freed malloc memory back to the kernel (every arena, not only the top of the main heap).</summary>
    public static void Trim()
    {
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
