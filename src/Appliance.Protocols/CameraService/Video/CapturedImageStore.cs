namespace Appliance.Protocols.CameraService.Video;

/// <summary>Limits of the grabbed-image directory (configuration section <c>cameraService:images</c>).</summary>
public sealed class ImageStoreOptions
{
    public const string Section = "cameraService:images";

    /// <summary>Most files kept; past it the oldest go first.</summary>
    public int MaxFiles { get; set; } = 200;

    /// <summary>Most bytes kept; past it the oldest go first.</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Returns the first problem as "cameraService:images:key: expected …", or null.</summary>
    public string? Validate()
    {
        if (MaxFiles is < 1 or > 100_000) return $"{Section}:maxFiles: expected 1..100000, found {MaxFiles}";
        if (MaxBytes < 1024 * 1024) return $"{Section}:maxBytes: expected at least 1048576, found {MaxBytes}";
        return null;
    }
}

/// <summary>
/// The images <c>video=grabimage</c> saved with <c>make_uuid</c> (seed 003 §3.3): <c>{uuid}.jpg</c> in the terminal's
/// image directory. Other calls name them by uuid in a <c>source_image</c> (e.g. §9.1 <c>background_image</c>).
/// The directory is bounded by <see cref="ImageStoreOptions"/>: each save removes the oldest files past the limits,
/// never the one just saved (the caller is about to be told its path).
/// </summary>
public sealed class CapturedImageStore(string directory, ImageStoreOptions? limits = null)
{
    private readonly ImageStoreOptions _limits = limits ?? new ImageStoreOptions();
    private readonly Lock _gate = new();

    public string Directory => directory;

    /// <summary>The stored file for <paramref name="uuid"/>, or null when no grab made it.</summary>
    public string? Find(string uuid)
    {
        // Only a uuid names a file: nothing the caller writes can reach outside the image directory.
        if (!Guid.TryParse(uuid.Trim(), out var id)) return null;
        var path = Path.Combine(directory, id.ToString("N") + ".jpg");
        return File.Exists(path) ? path : null;
    }

    /// <summary>Writes <paramref name="jpeg"/> as <paramref name="name"/> (a bare file name) and trims the directory to its limits.</summary>
    public async Task<string> SaveAsync(string name, byte[] jpeg, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        await File.WriteAllBytesAsync(path, jpeg, ct).ConfigureAwait(false);
        Trim(path);
        return path;
    }

    /// <summary>Removes the oldest files (by last write) until both limits hold, keeping <paramref name="keep"/>.</summary>
    public void Trim(string? keep = null)
    {
        lock (_gate)
        {
            var files = new DirectoryInfo(directory).EnumerateFiles().OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
            var count = files.Count;
            var bytes = files.Sum(f => f.Length);
            foreach (var f in files)
            {
                if (count <= _limits.MaxFiles && bytes <= _limits.MaxBytes) break;
                if (keep is not null && f.FullName == Path.GetFullPath(keep)) continue;
                var length = f.Length; // read before the delete: the FileInfo forgets it then
                try
                {
                    f.Delete();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue; // gone already (another trim) or busy: counted as still there, the next save tries again
                }
                count--;
                bytes -= length;
            }
        }
    }
}
