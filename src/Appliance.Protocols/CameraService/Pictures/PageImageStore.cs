using Appliance.Core.Storage;

namespace Appliance.Protocols.CameraService.Pictures;

/// <summary>Limits and lifetime of the grabbed-image directory (configuration section <c>cameraService:images</c>).</summary>
public sealed class ImageStoreOptions
{
    public const string Section = "cameraService:images";

    /// <summary>Most files kept; past it the oldest go first.</summary>
    public int MaxFiles { get; set; } = 200;

    /// <summary>Most bytes kept; past it the oldest go first.</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// A grabbed image is a customer's picture: it is wiped this long after the grab, whether or not the page used it
    /// (docs/PRIVACY.md). Long enough for a page to show it as a sign window's background after the grab.
    /// </summary>
    public int KeepMinutes { get; set; } = 60;

    /// <summary>Returns the first problem as "cameraService:images:key: expected …", or null.</summary>
    public string? Validate()
    {
        if (MaxFiles is < 1 or > 100_000) return $"{Section}:maxFiles: expected 1..100000, found {MaxFiles}";
        if (MaxBytes < 1024 * 1024) return $"{Section}:maxBytes: expected at least 1048576, found {MaxBytes}";
        if (KeepMinutes is < 1 or > 7 * 24 * 60) return $"{Section}:keepMinutes: expected 1..10080, found {KeepMinutes}";
        return null;
    }
}

/// <summary>
/// The images <c>video=grabimage</c> saved (seed 003 §3.3), kept per page: <c>{directory}/{page space}/{name}</c>, where
/// the space is <see cref="PageIdentity.Space"/>. A page names its pictures by uuid or by the page path the grab answered
/// (<c>/images/{name}</c>); the real path under the state directory never leaves the terminal, and a page cannot name
/// another page's pictures. The directory is bounded by <see cref="ImageStoreOptions"/> (files, bytes, age): each save
/// trims it, never removing the picture just saved (the caller is about to be told its name).
/// </summary>
public sealed class PageImageStore(string directory, ImageStoreOptions? limits = null, TimeProvider? time = null) : IRetention, IPageSessionEnd
{
    /// <summary>Where a page's pictures appear to the page: <c>/images/{name}</c>.</summary>
    public const string PagePrefix = "/images/";

    private readonly ImageStoreOptions _limits = limits ?? new ImageStoreOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<string>> _bySession = new(StringComparer.Ordinal);

    public string Directory => directory;

    /// <summary>
    /// The file for <paramref name="reference"/> (a uuid, or a page path <c>/images/{name}</c>) in the page's own space,
    /// or null when that page holds no such picture (never grabbed, another page's, or past its lifetime).
    /// </summary>
    public string? Find(PageIdentity page, string reference)
    {
        var text = reference.Trim();
        string? name = text.StartsWith(PagePrefix, StringComparison.Ordinal) ? text[PagePrefix.Length..]
            : Guid.TryParse(text, out var id) ? id.ToString("N") + ".jpg"
            : null;
        // Only a bare file name inside the page's folder: nothing a page writes reaches outside it.
        if (name is null || !IsFileName(name)) return null;
        var path = Path.Combine(directory, page.Space, name);
        return File.Exists(path) && !Expired(File.GetLastWriteTimeUtc(path)) ? path : null;
    }

    /// <summary>Whether <paramref name="name"/> is a name a file may have in a page's space.</summary>
    public static bool IsFileName(string name) =>
        name.Length > 0 && name is not ("." or "..") && name.IndexOfAny(['/', '\\', '\0']) < 0
        && System.Text.Encoding.UTF8.GetByteCount(name) <= 255; // NAME_MAX

    /// <summary>Writes <paramref name="jpeg"/> as <paramref name="name"/> in the page's space; returns its page path.</summary>
    /// <param name="session">The page's WebSocket session, when the grab came over one: the picture goes when it ends.</param>
    public async Task<string> SaveAsync(PageIdentity page, string name, byte[] jpeg, CancellationToken ct, string? session = null)
    {
        if (!IsFileName(name)) throw new ArgumentException("not a bare file name", nameof(name));
        var folder = Path.Combine(directory, page.Space);
        System.IO.Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await File.WriteAllBytesAsync(path, jpeg, ct).ConfigureAwait(false);
        // The age counts from the grab on the terminal's clock (injected in tests), not from the filesystem's.
        File.SetLastWriteTimeUtc(path, _time.GetUtcNow().UtcDateTime);
        if (session is not null)
            lock (_gate)
            {
                if (!_bySession.TryGetValue(session, out var files)) _bySession[session] = files = [];
                files.Add(path);
            }
        Trim(path);
        return PagePrefix + name;
    }

    /// <summary>Wipes every picture of one page (<c>param=set clean_cache_data</c>). Returns how many were removed.</summary>
    public int Forget(PageIdentity page)
    {
        var folder = Path.Combine(directory, page.Space);
        lock (_gate)
        {
            if (!System.IO.Directory.Exists(folder)) return 0;
            var count = System.IO.Directory.EnumerateFiles(folder).Count();
            System.IO.Directory.Delete(folder, recursive: true);
            return count;
        }
    }

    /// <summary>
    /// Removes pictures past their lifetime, then the oldest (by grab time) until both size limits hold, keeping
    /// <paramref name="keep"/>. Returns how many were removed.
    /// </summary>
    public int Trim(string? keep = null)
    {
        lock (_gate)
        {
            if (!System.IO.Directory.Exists(directory)) return 0;
            var files = new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories)
                .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.FullName, StringComparer.Ordinal).ToList();
            var count = files.Count;
            var bytes = files.Sum(f => f.Length);
            var removed = 0;
            var keepPath = keep is null ? null : Path.GetFullPath(keep);
            foreach (var f in files)
            {
                var expired = Expired(f.LastWriteTimeUtc);
                if (!expired && count <= _limits.MaxFiles && bytes <= _limits.MaxBytes) break;
                if (f.FullName == keepPath) continue;
                var length = f.Length; // read before the delete: the FileInfo forgets it then
                try
                {
                    f.Delete();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue; // gone already (another trim) or busy: counted as still there, the next trim tries again
                }
                count--;
                bytes -= length;
                removed++;
            }
            foreach (var folder in System.IO.Directory.EnumerateDirectories(directory))
                if (!System.IO.Directory.EnumerateFileSystemEntries(folder).Any()) System.IO.Directory.Delete(folder);
            return removed;
        }
    }

    /// <summary>Wipes the pictures grabbed over a WebSocket session that has ended.</summary>
    public void SessionEnded(string session)
    {
        lock (_gate)
        {
            if (!_bySession.Remove(session, out var files)) return;
            foreach (var file in files) File.Delete(file); // gone already (trimmed, cleaned) is no error
        }
    }

    string IRetention.RetentionName => "images";

    int IRetention.ApplyRetention() => Trim();

    private bool Expired(DateTime writtenUtc) => _time.GetUtcNow().UtcDateTime - writtenUtc >= TimeSpan.FromMinutes(_limits.KeepMinutes);
}
