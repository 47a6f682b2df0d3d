using System.Globalization;

namespace Appliance.Protocols.Admin;

/// <summary>Reads the process's memory figures for <c>/health</c>: procfs for what the kernel counts, the GC for its own part.</summary>
public static class ProcessMemory
{
    public static MemoryDto Read()
    {
        var (rss, peak) = ReadStatus("/proc/self/status");
        var gc = GC.GetGCMemoryInfo();
        return new MemoryDto(rss, peak, gc.HeapSizeBytes, gc.TotalCommittedBytes);
    }

    /// <summary><c>VmRSS</c> and <c>VmHWM</c> in bytes (the file says kB); 0 for a figure the file lacks.</summary>
    public static (long Rss, long Peak) ReadStatus(string path)
    {
        long rss = 0, peak = 0;
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kilobytes(line);
            }
        }
        catch (IOException)
        {
            // No procfs (not Linux, or a sandbox): the GC figures still say something.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return (rss, peak);
    }

    private static long Kilobytes(string line)
    {
        var value = line.AsSpan(line.IndexOf(':') + 1).Trim();
        var space = value.IndexOf(' ');
        if (space > 0) value = value[..space];
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : 0;
    }
}
