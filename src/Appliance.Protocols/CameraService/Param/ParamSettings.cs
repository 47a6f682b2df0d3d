using System.Text;
using System.Text.Json;

namespace Appliance.Protocols.CameraService.Param;

/// <summary>
/// The <c>param=set</c> values that outlive a restart (frame rates, preview sizes, stream format, sign-screen mouse,
/// cut mode) and the §5.16 cache, kept in <c>STATE/cameraservice/params.json</c>. The cache is bounded by
/// <see cref="CacheOptions"/>, so the file is too. Written atomically (temp + rename) and only when a value changed:
/// a page repeating the same set costs no flash.
/// </summary>
public sealed class ParamSettings
{
    public const string RelativePath = "cameraservice/params.json";

    private readonly string _path;
    private readonly CacheOptions _limits;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, string> _settings = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _cache = [];
    private long _cacheBytes;

    public ParamSettings(string stateDir, CacheOptions? limits = null)
    {
        _path = Path.Combine(stateDir, RelativePath);
        _limits = limits ?? new CacheOptions();
        Load();
    }

    public CacheOptions Limits => _limits;

    public string? Get(string key)
    {
        lock (_gate) return _settings.GetValueOrDefault(key);
    }

    public void Set(string key, string value)
    {
        lock (_gate)
        {
            if (_settings.TryGetValue(key, out var old) && old == value) return;
            _settings[key] = value;
            Save();
        }
    }

    public string? CacheGet(string key)
    {
        lock (_gate) return _cache.FirstOrDefault(p => p.Key == key).Value;
    }

    /// <summary>In the order first set (§5.17 lists them as an array).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> CacheAll()
    {
        lock (_gate) return [.. _cache];
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>; or, past a limit, stores nothing and says which limit.</summary>
    public string? CacheSet(string key, string value)
    {
        var valueBytes = Encoding.UTF8.GetByteCount(value);
        if (valueBytes > _limits.MaxValueBytes)
            return $"缓存值过大 / a cached value may hold at most {_limits.MaxValueBytes} bytes ({CacheOptions.Section}:maxValueBytes), this one has {valueBytes}";
        var entryBytes = Encoding.UTF8.GetByteCount(key) + (long)valueBytes;
        lock (_gate)
        {
            var i = _cache.FindIndex(p => p.Key == key);
            if (i >= 0 && _cache[i].Value == value) return null;
            if (i < 0 && _cache.Count >= _limits.MaxKeys)
                return $"缓存键数已满 / the cache holds at most {_limits.MaxKeys} keys ({CacheOptions.Section}:maxKeys); clean_cache_data empties it";
            var total = _cacheBytes + entryBytes - (i >= 0 ? Size(_cache[i]) : 0);
            if (total > _limits.MaxTotalBytes)
                return $"缓存已满 / the cache holds at most {_limits.MaxTotalBytes} bytes in all ({CacheOptions.Section}:maxTotalBytes), this value would make it {total}";
            var before = i >= 0 ? _cache[i] : default;
            if (i >= 0) _cache[i] = new(key, value);
            else _cache.Add(new(key, value));
            try
            {
                Save();
            }
            catch
            {
                // Nothing stored unless it is in the file too.
                if (i >= 0) _cache[i] = before;
                else _cache.RemoveAt(_cache.Count - 1);
                throw;
            }
            _cacheBytes = total;
            return null;
        }
    }

    public void CacheClear()
    {
        lock (_gate)
        {
            if (_cache.Count == 0) return;
            _cache.Clear();
            _cacheBytes = 0;
            Save();
        }
    }

    private static long Size(KeyValuePair<string, string> entry) => Encoding.UTF8.GetByteCount(entry.Key) + (long)Encoding.UTF8.GetByteCount(entry.Value);

    private void Load()
    {
        var file = new FileInfo(_path);
        if (!file.Exists) return;
        // A file far past what the limits allow (an older firmware kept whatever it was sent) is not read into memory:
        // it means defaults, and the next change rewrites it within the limits. JSON escaping at most sextuples a value.
        if (file.Length > 6L * _limits.MaxTotalBytes + 1024 * 1024) return;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(_path));
            if (doc.RootElement.TryGetProperty("settings", out var settings) && settings.ValueKind == JsonValueKind.Object)
                foreach (var p in settings.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.String) _settings[p.Name] = p.Value.GetString()!;
            if (doc.RootElement.TryGetProperty("cache", out var cache) && cache.ValueKind == JsonValueKind.Array)
                foreach (var e in cache.EnumerateArray())
                    if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("key", out var k) && e.TryGetProperty("value", out var v)
                        && k.ValueKind == JsonValueKind.String && v.ValueKind == JsonValueKind.String)
                    {
                        // Entries past today's limits (lowered since they were stored) are dropped, newest first.
                        KeyValuePair<string, string> entry = new(k.GetString()!, v.GetString()!);
                        var size = Size(entry);
                        if (_cache.Count >= _limits.MaxKeys || Encoding.UTF8.GetByteCount(entry.Value) > _limits.MaxValueBytes
                            || _cacheBytes + size > _limits.MaxTotalBytes || _cache.Exists(p => p.Key == entry.Key)) continue;
                        _cache.Add(entry);
                        _cacheBytes += size;
                    }
        }
        catch (JsonException)
        {
            // A damaged file means defaults; the next change rewrites it whole.
        }
    }

    private void Save()
    {
        // Serialized whole before the file is touched: a value the writer refuses leaves the old file as it was.
        var content = new MemoryStream();
        using (var w = new Utf8JsonWriter(content, CameraServicePort.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartObject("settings");
            foreach (var (k, v) in _settings) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteStartArray("cache");
            foreach (var (k, v) in _cache)
            {
                w.WriteStartObject();
                w.WriteString("key", k);
                w.WriteString("value", v);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var temp = _path + ".tmp";
        using (var stream = File.Create(temp))
        {
            stream.Write(content.GetBuffer(), 0, (int)content.Length);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, _path, overwrite: true);
    }
}
