namespace Appliance.Protocols.CameraService.Param;

/// <summary>
/// Limits of the §5.16 cache (configuration section <c>cameraService:cache</c>). Every page on the LAN may write to
/// it, and it is kept in flash: a set past a limit is refused with code 8 and stores nothing.
/// </summary>
public sealed class CacheOptions
{
    public const string Section = "cameraService:cache";

    /// <summary>Most UTF-8 bytes in one value.</summary>
    public int MaxValueBytes { get; set; } = 64 * 1024;

    /// <summary>Most UTF-8 bytes of all keys and values together.</summary>
    public int MaxTotalBytes { get; set; } = 1024 * 1024;

    /// <summary>Most keys.</summary>
    public int MaxKeys { get; set; } = 256;

    /// <summary>Returns the first problem as "cameraService:cache:key: expected …", or null.</summary>
    public string? Validate()
    {
        // 16 MiB keeps params.json (and the memory that holds it) small next to the state directory's budget.
        const int ceiling = 16 * 1024 * 1024;
        if (MaxValueBytes is < 1 or > ceiling) return $"{Section}:maxValueBytes: expected 1..{ceiling}, found {MaxValueBytes}";
        if (MaxTotalBytes is < 1 or > ceiling) return $"{Section}:maxTotalBytes: expected 1..{ceiling}, found {MaxTotalBytes}";
        if (MaxTotalBytes < MaxValueBytes) return $"{Section}:maxTotalBytes: expected at least maxValueBytes ({MaxValueBytes}), found {MaxTotalBytes}";
        if (MaxKeys is < 1 or > 65536) return $"{Section}:maxKeys: expected 1..65536, found {MaxKeys}";
        return null;
    }
}
