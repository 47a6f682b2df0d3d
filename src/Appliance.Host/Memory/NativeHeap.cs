using System.Runtime.InteropServices;

namespace Appliance.Host.Memory;

/// <summary>
/// glibc's malloc, which holds most of what a grab leaves behind: Skia bitmaps and libturbojpeg buffers are native.
/// Measured (docs/BUDGETS.md): with glibc's sliding mmap threshold, a freed 8 MB frame raises the threshold and later
/// frames stay resident in per-thread arenas (RSS 44 → 178 MB after 900 grabs, with the GC heap at 2 MB). A fixed
/// threshold keeps frame-sized blocks in their own mappings, given back on free; fewer arenas and a trim when idle
/// return the rest. (A first try of this starved the pen in the arm64 VM: every pen sample then mmapped, faulted in
/// and unmapped a copy of the whole sign window, because <c>SKCanvas.DrawBitmap</c> copies a mutable bitmap. The
/// screen now borrows the pixels instead (<c>SkiaConversions.DrawPixels</c>), so no big block is allocated per sample.)
/// </summary>
internal static partial class NativeHeap
{
    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_THRESHOLD = -3;
    private const int M_ARENA_MAX = -8;

    /// <summary>Blocks from this size up get their own mapping (glibc's default before it starts sliding).</summary>
    public const int MmapThreshold = 128 * 1024;

    /// <summary>Arenas: the default is 8 per core, each keeping its own freed memory.</summary>
    public const int ArenaMax = 2;

    /// <summary>Called once at start-up, before any native library allocates much. False where there is no glibc.</summary>
    public static bool Configure()
    {
        try
        {
            return Mallopt(M_MMAP_THRESHOLD, MmapThreshold) == 1
                & Mallopt(M_TRIM_THRESHOLD, 2 * MmapThreshold) == 1
                & Mallopt(M_ARENA_MAX, ArenaMax) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

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

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int param, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
