using System.Text.Json;

namespace Appliance.Protocols.CameraService.Param;

/// <summary>
/// The <c>param=set</c> values that outlive a restart (frame rates, preview sizes, stream format, sign-screen mouse,
/// cut mode) and the §5.16 cache, kept in <c>STATE/cameraservice/params.json</c>. Written atomically (temp + rename)
/// on every change, so a power cut leaves the old or the new file, never half of one.
/// </summary>
public sealed class ParamSettings
{
    public const string RelativePath = "cameraservice/params.json";

    private readonly string _path;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, string> _settings = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _cache = [];

    public ParamSettings(string stateDir)
    {
        _path = Path.Combine(stateDir, RelativePath);
        Load();
    }

    public string? Get(string key)
    {
        lock (_gate) return _settings.GetValueOrDefault(key);
    }

    public void Set(string key, string value)
    {
        lock (_gate)
        {
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

    public void CacheSet(string key, string value)
    {
        lock (_gate)
        {
            var i = _cache.FindIndex(p => p.Key == key);
            if (i >= 0) _cache[i] = new(key, value);
            else _cache.Add(new(key, value));
            Save();
        }
    }

    public void CacheClear()
    {
        lock (_gate)
        {
            _cache.Clear();
            Save();
        }
    }

    private void Load()
    {
        if (!File.Exists(_path)) return;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(_path));
            if (doc.RootElement.TryGetProperty("settings", out var settings) && settings.ValueKind == JsonValueKind.Object)
                foreach (var p in settings.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.String) _settings[p.Name] = p.Value.GetString()!;
            if (doc.RootElement.TryGetProperty("cache", out var cache) && cache.ValueKind == JsonValueKind.Array)
                foreach (var e in cache.EnumerateArray())
                    if (e.TryGetProperty("key", out var k) && e.TryGetProperty("value", out var v))
                        _cache.Add(new(k.GetString() ?? "", v.GetString() ?? ""));
        }
        catch (JsonException)
        {
            // A damaged file means defaults; the next change rewrites it whole.
        }
    }

    private void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var temp = _path + ".tmp";
        using (var stream = File.Create(temp))
        using (var w = new Utf8JsonWriter(stream, CameraServicePort.WriterOptions))
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
            w.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, _path, overwrite: true);
    }
}
